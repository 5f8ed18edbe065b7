/**
 * Comparison levels: how each field of two match records agrees. The ladder
 * per field goes from the strongest agreement to none; the first level that
 * holds is taken.
 *
 * - names: exact / nickname (first names, `nicknames.ts`) / close
 *   (Jaro-Winkler ≥ 0.9, one edit, an OCR confusion, two edits for longer
 *   names that start alike, or one name's words inside the other's) /
 *   phonetic (Kölner Phonetik, long enough codes) / initial (first names) /
 *   swapped (first ↔ last) / different. Male and female forms of a known
 *   name (Paul, Paula) are different: twins bear them;
 * - birth date: exact / swapped (day ↔ month) / transposed (two adjacent
 *   digits) / typo (one digit) / partial (two of year, month and day, or two
 *   digits apart with the day or month intact) / different;
 * - street: exact / close / phonetic / different; house number: exact /
 *   close (same number, other suffix) / transposed / typo / different;
 * - postal code: exact / transposed / typo / different; city: exact / close /
 *   different;
 * - email: exact / local (same local part) / different; phone: exact / last7
 *   (same last 7 digits) / different;
 * - missing when either side has no value.
 */
import {
  editsWithin,
  genderForms,
  jaroWinkler,
  ocrShape,
  singleEdit,
  wordsContained,
} from './comparators';
import { isKnownFirstName, isNameVariant } from './nicknames';
import { phoneticKey } from './phonetic';
import type { ComparisonVector, MatchField, MatchRecord } from './types';

/** Every field and its levels, strongest first; `missing` last. */
export const fieldLevels: Record<MatchField, readonly string[]> = {
  firstName: [
    'exact',
    'nickname',
    'close',
    'phonetic',
    'initial',
    'swapped',
    'different',
    'missing',
  ],
  lastName: ['exact', 'close', 'phonetic', 'swapped', 'different', 'missing'],
  birthDate: ['exact', 'swapped', 'transposed', 'typo', 'partial', 'different', 'missing'],
  street: ['exact', 'close', 'phonetic', 'different', 'missing'],
  houseNumber: ['exact', 'close', 'transposed', 'typo', 'different', 'missing'],
  postalCode: ['exact', 'transposed', 'typo', 'different', 'missing'],
  city: ['exact', 'close', 'different', 'missing'],
  email: ['exact', 'local', 'different', 'missing'],
  phone: ['exact', 'last7', 'different', 'missing'],
};

export const matchFields = Object.keys(fieldLevels) as MatchField[];

/** One field's level with the values compared and why. */
export interface LevelDetail {
  level: string;
  a: string | null;
  b: string | null;
  note?: string;
}

const closeName = 0.9;

function nameLevel(a: string, b: string, first: boolean): { level: string; note?: string } {
  if (a === b) return { level: 'exact' };
  if (first && isNameVariant(a, b)) return { level: 'nickname' };
  // Only for names the table knows: "Svenj" is a typo of Svenja, not a man's name.
  if (first && genderForms(a, b) && isKnownFirstName(a) && isKnownFirstName(b))
    return { level: 'different', note: 'male and female form' };
  const jw = jaroWinkler(a, b);
  if (jw >= closeName) return { level: 'close', note: `Jaro-Winkler ${jw.toFixed(2)}` };
  const shorter = Math.min(a.length, b.length);
  if (shorter >= 2 && singleEdit(a, b))
    return { level: 'close', note: `one edit (Jaro-Winkler ${jw.toFixed(2)})` };
  const sa = ocrShape(a);
  const sb = ocrShape(b);
  if (sa === sb || (shorter >= 3 && singleEdit(sa, sb)))
    return { level: 'close', note: 'OCR-like confusion' };
  // Two edits only for longer names that start alike: twins are often named
  // two letters apart (Joana, Luana), typists rarely miss the first letter.
  if (shorter >= 5 && a[0] === b[0] && jw >= 0.8 && editsWithin(a, b, 2))
    return { level: 'close', note: `two edits (Jaro-Winkler ${jw.toFixed(2)})` };
  if (wordsContained(a, b)) return { level: 'close', note: 'one name inside the other' };
  const pa = phoneticKey(a);
  // Short codes say too little: surnames need two consonant codes, first
  // names three (Jerome and Arne share 076, Nadja and Matteo 62).
  if (pa.replace(/^0/, '').length >= (first ? 3 : 2) && pa === phoneticKey(b))
    return { level: 'phonetic', note: `Kölner Phonetik ${pa}` };
  if (first && (a.length === 1 || b.length === 1) && a[0] === b[0]) return { level: 'initial' };
  return { level: 'different', note: `Jaro-Winkler ${jw.toFixed(2)}` };
}

/**
 * Whether two records' first and last names are exchanged: both cross
 * comparisons close, or one exact and the other at least phonetic (a
 * nickname or phonetic match on both would pair strangers).
 * One close and one nickname or phonetic is enough.
 */
function swappedNames(af: string, al: string, bf: string, bl: string): boolean {
  // Cheap first: a close pair nearly always starts alike.
  if (af[0] !== bl[0] && al[0] !== bf[0]) return false;
  const x = nameLevel(af, bl, true).level;
  const y = nameLevel(al, bf, true).level;
  const strong = (l: string) => l === 'exact' || l === 'close';
  const weak = (l: string) => l === 'nickname' || l === 'phonetic';
  return (strong(x) && (strong(y) || weak(y))) || (strong(y) && weak(x));
}

function digitsLevel(a: string, b: string): string {
  if (a === b) return 'exact';
  const edit = singleEdit(a, b);
  if (edit === 'transpose') return 'transposed';
  if (edit === 'substitute') return 'typo';
  return 'different';
}

function birthDateLevel(a: string, b: string): { level: string; note?: string } {
  if (a === b) return { level: 'exact' };
  // YYYY-MM-DD: same year, day and month exchanged (US vs European writing).
  if (
    a.slice(0, 4) === b.slice(0, 4) &&
    a.slice(5, 7) === b.slice(8, 10) &&
    a.slice(8, 10) === b.slice(5, 7)
  )
    return { level: 'swapped', note: 'day and month exchanged' };
  const level = digitsLevel(a.replace(/-/g, ''), b.replace(/-/g, ''));
  if (level === 'transposed') return { level, note: 'two adjacent digits exchanged' };
  if (level === 'typo') return { level, note: 'one digit differs' };
  // Two of year, month and day agree: two typos, or one in a two-digit part.
  const same =
    Number(a.slice(0, 4) === b.slice(0, 4)) +
    Number(a.slice(5, 7) === b.slice(5, 7)) +
    Number(a.slice(8, 10) === b.slice(8, 10));
  if (same === 2) return { level: 'partial', note: 'two of year, month and day agree' };
  // Two digits apart with the month or the day intact; a shared year alone
  // is too common (namesakes born the same year).
  const dayOrMonth = a.slice(5, 7) === b.slice(5, 7) || a.slice(8, 10) === b.slice(8, 10);
  if (dayOrMonth && editsWithin(a, b, 2)) return { level: 'partial', note: 'two digits apart' };
  const years = Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4)));
  return { level: 'different', note: years > 0 ? `${years} years apart` : undefined };
}

function houseNumberLevel(a: string, b: string): { level: string; note?: string } {
  if (a === b) return { level: 'exact' };
  const na = /^\d+/.exec(a)?.[0] ?? '';
  const nb = /^\d+/.exec(b)?.[0] ?? '';
  if (na !== '' && na === nb) return { level: 'close', note: 'same number, other suffix' };
  const level = digitsLevel(na || a, nb || b);
  return level === 'exact' ? { level: 'close' } : { level };
}

function streetLevel(a: string, b: string): { level: string; note?: string } {
  if (a === b) return { level: 'exact' };
  const jw = jaroWinkler(a, b);
  if (jw >= closeName) return { level: 'close', note: `Jaro-Winkler ${jw.toFixed(2)}` };
  if (phoneticKey(a) === phoneticKey(b)) return { level: 'phonetic' };
  return { level: 'different', note: `Jaro-Winkler ${jw.toFixed(2)}` };
}

function cityLevel(a: string, b: string): { level: string; note?: string } {
  if (a === b) return { level: 'exact' };
  const jw = jaroWinkler(a, b);
  if (jw >= closeName || wordsContained(a, b) || phoneticKey(a) === phoneticKey(b))
    return { level: 'close', note: `Jaro-Winkler ${jw.toFixed(2)}` };
  return { level: 'different' };
}

function localPart(email: string): string {
  const at = email.indexOf('@');
  return at < 0 ? email : email.slice(0, at);
}

function emailLevel(a: string[], b: string[]): LevelDetail {
  if (a.length === 0 || b.length === 0)
    return { level: 'missing', a: a[0] ?? null, b: b[0] ?? null };
  const shared = a.find((e) => b.includes(e));
  if (shared) return { level: 'exact', a: shared, b: shared };
  for (const x of a)
    for (const y of b)
      if (localPart(x) === localPart(y) && localPart(x).length >= 3)
        return { level: 'local', a: x, b: y };
  return { level: 'different', a: a[0], b: b[0] };
}

function phoneLevel(a: string[], b: string[]): LevelDetail {
  if (a.length === 0 || b.length === 0)
    return { level: 'missing', a: a[0] ?? null, b: b[0] ?? null };
  const shared = a.find((p) => b.includes(p));
  if (shared) return { level: 'exact', a: shared, b: shared };
  for (const x of a)
    for (const y of b) {
      const dx = x.replace(/\D/g, '');
      const dy = y.replace(/\D/g, '');
      if (dx.length >= 7 && dy.length >= 7 && dx.slice(-7) === dy.slice(-7))
        return { level: 'last7', a: x, b: y };
    }
  return { level: 'different', a: a[0], b: b[0] };
}

function scalar(
  a: string | null,
  b: string | null,
  compare: (a: string, b: string) => { level: string; note?: string },
): LevelDetail {
  if (a === null || b === null) return { level: 'missing', a, b };
  return { a, b, ...compare(a, b) };
}

/** The level of every field of a pair, with the values compared and a note where it helps. */
export function compareFields(a: MatchRecord, b: MatchRecord): Record<MatchField, LevelDetail> {
  const firstName = scalar(a.firstName, b.firstName, (x, y) => nameLevel(x, y, true));
  const lastName = scalar(a.lastName, b.lastName, (x, y) => nameLevel(x, y, false));
  // First and last name exchanged: only when the straight reading disagrees.
  if (
    (firstName.level === 'different' || lastName.level === 'different') &&
    a.firstName &&
    a.lastName &&
    b.firstName &&
    b.lastName &&
    swappedNames(a.firstName, a.lastName, b.firstName, b.lastName)
  ) {
    firstName.level = 'swapped';
    firstName.note = 'first and last name exchanged';
    lastName.level = 'swapped';
    lastName.note = 'first and last name exchanged';
  }
  return {
    firstName,
    lastName,
    birthDate: scalar(a.birthDate, b.birthDate, birthDateLevel),
    street: scalar(a.street, b.street, streetLevel),
    houseNumber: scalar(a.houseNumber, b.houseNumber, houseNumberLevel),
    postalCode: scalar(a.postalCode, b.postalCode, (x, y) => ({ level: digitsLevel(x, y) })),
    city: scalar(a.city, b.city, cityLevel),
    email: emailLevel(a.emails, b.emails),
    phone: phoneLevel(a.phones, b.phones),
  };
}

/**
 * The comparison vector of a pair (field → level). Without details: vectors
 * are collected by the hundred thousand for estimation, and `scorePair`
 * gives the explained comparison.
 */
export function compareRecords(
  a: MatchRecord,
  b: MatchRecord,
): ComparisonVector & { details?: unknown } {
  const fields = compareFields(a, b);
  const vector = {} as ComparisonVector;
  for (const field of matchFields) vector[field] = fields[field].level;
  return vector;
}
