/**
 * Corrupted duplicates of person records, generated the way public
 * record-linkage benchmarks (FEBRL, GeCo) generate them: originals with
 * names, birth date, street and house number, postal code, city and
 * sometimes email and phone; then, for a share of them, one to four
 * duplicates, each with a few corruptions of the original: typos (insert,
 * delete, substitute, transpose), OCR-like substitutions (rn ↔ m, 0 ↔ O,
 * 1 ↔ l, ß → ss), missing fields, first and last name exchanged, transposed
 * digits in dates, house numbers and postal codes, day and month exchanged,
 * nicknames, transliterations (ü → ue), a new or changed email, a new phone,
 * and now and then a move to a new address.
 *
 * So that precision is measured honestly, the people include the look-alikes
 * a customer base really has, each a person of their own (a non-match):
 * households (same address and surname, other first names and birth dates,
 * sometimes a shared landline), a father and son of the same name at one
 * address, twins (same birth date, surname and address), and namesakes
 * (same first and last name elsewhere).
 *
 * Seeded and pure: the same options give the same records.
 *
 * @example generateCorrupted({ people: 10_000, seed: 42 })
 */
import { Faker, base, de, de_AT, de_CH, en, en_GB, en_US, it, pl, tr } from '@faker-js/faker';
import { matchRecordFrom } from '../../domain/src/matching/record';
import type { MatchRecord } from '../../domain/src/matching/types';
import { firstNameVariants } from '../../domain/src/matching/nicknames';
import { normalizeEmail, normalizePhone } from '../../domain/src/normalize';
import { dachCity } from '../../scripts/demo/dach-cities';
import { SeededRandom, mixSeed } from '../../scripts/demo/seeded-random';

/** One generated record; `personId` is the ground truth. */
export interface CorruptedRecord {
  recordId: string;
  personId: string;
  firstName: string | null;
  lastName: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  /** Street and house number as one line ("Am Wasserturm 43"). */
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  email: string | null;
  phone: string | null;
  /** 'original' or 'duplicate'. */
  kind: 'original' | 'duplicate';
  /**
   * What makes the record hard: for a person, 'household', 'father-son',
   * 'twin', 'namesake' (a look-alike of another person); for a duplicate, the
   * corruptions applied ('typo:lastName', 'swap-names', 'missing:birthDate' …).
   */
  tags: string[];
}

export interface CorruptionOptions {
  /** Originals (people, look-alikes included). */
  people: number;
  seed: number;
  /** Share of people with at least one duplicate; default 0.5. */
  duplicateShare?: number;
}

type Origin = 'de' | 'de_AT' | 'de_CH' | 'tr' | 'pl' | 'it' | 'en_GB' | 'en_US';

const fakers: Record<Origin, Faker> = {
  de: new Faker({ locale: [de, en, base] }),
  de_AT: new Faker({ locale: [de_AT, de, en, base] }),
  de_CH: new Faker({ locale: [de_CH, de, en, base] }),
  tr: new Faker({ locale: [tr, en, base] }),
  pl: new Faker({ locale: [pl, en, base] }),
  it: new Faker({ locale: [it, en, base] }),
  en_GB: new Faker({ locale: [en_GB, en, base] }),
  en_US: new Faker({ locale: [en_US, en, base] }),
};

// [name origin, country of residence], weight: a German customer base.
const origins: readonly (readonly [readonly [Origin, string], number])[] = [
  [['de', 'DE'], 60],
  [['de_AT', 'AT'], 10],
  [['de_CH', 'CH'], 8],
  [['tr', 'DE'], 6],
  [['pl', 'DE'], 5],
  [['it', 'DE'], 3],
  [['en_GB', 'DE'], 2],
  [['en_GB', 'GB'], 3],
  [['en_US', 'US'], 3],
];

interface Person {
  personId: string;
  origin: Origin;
  sex: 'female' | 'male';
  firstName: string;
  lastName: string;
  birthDate: string;
  streetName: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  country: string;
  email: string | null;
  phone: string | null;
  tags: string[];
}

const DAY = 86_400_000;
// Ages 18..90 at a fixed reference day, so a seed gives the same dates every year.
const reference = Date.UTC(2026, 0, 1);

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function birthDateOf(rng: SeededRandom, minAge: number, maxAge: number): string {
  return isoDay(reference - rng.int(minAge * 365, maxAge * 365) * DAY);
}

function isValidDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '');
}

const mailDomains = [
  'gmail.com',
  'web.de',
  'gmx.de',
  't-online.de',
  'outlook.com',
  'yahoo.com',
  'posteo.de',
];

function emailOf(rng: SeededRandom, first: string, last: string): string {
  const local = rng.weighted([
    [`${slug(first)}.${slug(last)}`, 4],
    [`${slug(first)}${slug(last)}${rng.int(1, 99)}`, 2],
    [`${slug(first).slice(0, 1)}${slug(last)}`, 2],
    [`${slug(last)}.${slug(first)}`, 1],
  ]);
  return `${local}@${rng.pick(mailDomains)}`;
}

function mobileOf(rng: SeededRandom, country: string): string {
  if (country === 'DE') return `+49 15${rng.int(1, 9)} ${rng.digits(7)}`;
  if (country === 'AT') return `+43 66${rng.int(0, 9)} ${rng.digits(7)}`;
  if (country === 'CH') return `+41 7${rng.int(5, 9)} ${rng.digits(7)}`;
  if (country === 'GB') return `+44 7${rng.digits(3)} ${rng.digits(6)}`;
  return `+1 ${rng.int(201, 989)} ${rng.digits(7)}`;
}

function newAddress(
  rng: SeededRandom,
  faker: Faker,
  country: string,
): Pick<Person, 'streetName' | 'houseNumber' | 'postalCode' | 'city'> {
  const place = dachCity(rng, country) ?? {
    city: faker.location.city(),
    postalCode: faker.location.zipCode(),
  };
  const houseNumber =
    String(
      rng.weighted([
        [rng.int(1, 40), 6],
        [rng.int(41, 199), 3],
      ]),
    ) + (rng.chance(0.08) ? rng.pick(['a', 'b', 'c']) : '');
  return { streetName: faker.location.street(), houseNumber, ...place };
}

function firstNameOf(faker: Faker, sex: 'female' | 'male'): string {
  return faker.person.firstName(sex);
}

function createPerson(rng: SeededRandom, index: number, seed: number): Person {
  const [origin, country] = rng.weighted(origins);
  const faker = fakers[origin];
  faker.seed(mixSeed(seed, index, 1));
  const sex = rng.chance(0.5) ? 'female' : 'male';
  const firstName = firstNameOf(faker, sex);
  const lastName = faker.person.lastName();
  return {
    personId: `p${index}`,
    origin,
    sex,
    firstName,
    lastName,
    birthDate: birthDateOf(rng, 18, 90),
    ...newAddress(rng, faker, country),
    country,
    email: rng.chance(0.6) ? emailOf(rng, firstName, lastName) : null,
    phone: rng.chance(0.5) ? mobileOf(rng, country) : null,
    tags: [],
  };
}

/** A look-alike of `p`: another person who shares much with them. */
function lookAlike(
  rng: SeededRandom,
  p: Person,
  index: number,
  seed: number,
  kind: 'household' | 'father-son' | 'twin' | 'namesake',
): Person {
  const faker = fakers[p.origin];
  faker.seed(mixSeed(seed, index, 2));
  const sex = kind === 'father-son' ? p.sex : rng.chance(0.5) ? 'female' : 'male';
  let firstName = p.firstName;
  if (kind !== 'father-son' && kind !== 'namesake')
    for (let i = 0; i < 10 && firstName === p.firstName; i++) firstName = firstNameOf(faker, sex);
  const pYear = Number(p.birthDate.slice(0, 4));
  let birthDate = p.birthDate;
  if (kind === 'household') {
    // A partner of about the same age, or a grown-up child or a parent.
    const age = 2026 - pYear;
    birthDate = rng.chance(0.5)
      ? birthDateOf(rng, Math.max(18, age - 6), age + 6)
      : age >= 45
        ? birthDateOf(rng, 18, age - 20)
        : birthDateOf(rng, age + 20, Math.min(95, age + 40));
  } else if (kind === 'father-son') {
    // The child of an older person, the parent of a younger one.
    const age = 2026 - pYear;
    birthDate =
      age >= 45
        ? birthDateOf(rng, 18, age - 22)
        : birthDateOf(rng, age + 22, Math.min(95, age + 40));
  } else if (kind === 'namesake') {
    birthDate = birthDateOf(rng, 18, 90);
  }
  const sameAddress = kind !== 'namesake';
  const address = sameAddress
    ? {
        streetName: p.streetName,
        houseNumber: p.houseNumber,
        postalCode: p.postalCode,
        city: p.city,
      }
    : newAddress(rng, faker, p.country);
  // Families share a landline or a family mailbox now and then.
  const phone =
    sameAddress && p.phone && rng.chance(0.2)
      ? p.phone
      : rng.chance(0.5)
        ? mobileOf(rng, p.country)
        : null;
  const email =
    sameAddress && p.email && rng.chance(0.05)
      ? p.email
      : rng.chance(0.6)
        ? emailOf(rng, firstName, p.lastName)
        : null;
  return {
    ...p,
    ...address,
    personId: `p${index}`,
    sex,
    firstName,
    birthDate,
    phone,
    email,
    tags: [kind],
  };
}

// ---- corruptions of one value ------------------------------------------

const letters = 'abcdefghijklmnopqrstuvwxyz';
// Keys next to each other on a German keyboard: typists hit these instead.
const neighbours: Record<string, string> = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'kö',
  m: 'n', n: 'bm', o: 'ip', p: 'oü', q: 'wa', r: 'et', s: 'ad', t: 'rz', u: 'zi', v: 'cb', w: 'qe', x: 'yc',
  y: 'x', z: 'tu',
}; // prettier-ignore

function typo(rng: SeededRandom, s: string): string {
  if (s.length < 2) return s;
  const i = rng.int(0, s.length - 1);
  const ch = s[i];
  const lower = ch.toLowerCase();
  const replacement = () => {
    const near = neighbours[lower];
    const r = near && rng.chance(0.7) ? rng.pick([...near]) : rng.pick([...letters]);
    return ch === lower ? r : r.toUpperCase();
  };
  switch (
    rng.weighted<'insert' | 'delete' | 'substitute' | 'transpose'>([
    ['insert', 2], ['delete', 3], ['substitute', 4], ['transpose', 2],
  ]) // prettier-ignore
  ) {
    case 'insert':
      return (
        s.slice(0, i + 1) +
        (rng.chance(0.5) ? ch.toLowerCase() : replacement().toLowerCase()) +
        s.slice(i + 1)
      );
    case 'delete':
      return s.slice(0, i) + s.slice(i + 1);
    case 'substitute':
      return s.slice(0, i) + replacement() + s.slice(i + 1);
    case 'transpose': {
      const j = Math.min(i, s.length - 2);
      return s.slice(0, j) + s[j + 1] + s[j] + s.slice(j + 2);
    }
  }
}

// What OCR and hurried transcription confuse.
const ocrPairs: readonly (readonly [string, string])[] = [
  ['rn', 'm'], ['m', 'rn'], ['cl', 'd'], ['d', 'cl'], ['vv', 'w'], ['w', 'vv'], ['0', 'O'], ['O', '0'],
  ['1', 'l'], ['l', '1'], ['5', 'S'], ['ß', 'ss'], ['ü', 'ii'], ['e', 'c'], ['h', 'b'], ['u', 'ii'],
]; // prettier-ignore

function ocr(rng: SeededRandom, s: string): string {
  const options = ocrPairs.filter(([from]) => s.includes(from));
  if (options.length === 0) return typo(rng, s);
  const [from, to] = rng.pick(options);
  const at = s.indexOf(from);
  return s.slice(0, at) + to + s.slice(at + from.length);
}

function transliterate(s: string): string {
  return s.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue').replace(/ß/g, 'ss'); // prettier-ignore
}

function swapAdjacentDigits(rng: SeededRandom, s: string): string {
  const positions: number[] = [];
  for (let i = 0; i + 1 < s.length; i++)
    if (/\d/.test(s[i]) && /\d/.test(s[i + 1]) && s[i] !== s[i + 1]) positions.push(i);
  if (positions.length === 0) return s;
  const i = rng.pick(positions);
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

function digitTypo(rng: SeededRandom, s: string): string {
  const positions = [...s].flatMap((c, i) => (/\d/.test(c) ? [i] : []));
  if (positions.length === 0) return s;
  const i = rng.pick(positions);
  const d = (Number(s[i]) + rng.int(1, 9)) % 10;
  return s.slice(0, i) + String(d) + s.slice(i + 1);
}

function dateCorruption(rng: SeededRandom, date: string): { value: string; tag: string } {
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = rng.weighted<'transpose' | 'typo' | 'day-month'>([
      ['transpose', 3], ['typo', 4], ['day-month', 2],
    ]); // prettier-ignore
    let value = date;
    if (kind === 'day-month')
      value = `${date.slice(0, 4)}-${date.slice(8, 10)}-${date.slice(5, 7)}`;
    else if (kind === 'transpose') value = swapAdjacentDigits(rng, date);
    else value = digitTypo(rng, date);
    if (value !== date && isValidDate(value)) return { value, tag: `date-${kind}` };
  }
  return { value: date, tag: 'date-unchanged' };
}

// ---- one duplicate -----------------------------------------------------

type Corruption =
  | 'typo:firstName' | 'typo:lastName' | 'typo:street' | 'typo:city'
  | 'ocr:firstName' | 'ocr:lastName' | 'ocr:street'
  | 'transliterate' | 'nickname' | 'swap-names' | 'date'
  | 'houseNumber' | 'postalCode'
  | 'missing:firstName' | 'missing:birthDate' | 'missing:address' | 'missing:postalCode' | 'missing:city'
  | 'new-email' | 'email-domain' | 'missing:email' | 'new-phone' | 'missing:phone'
  | 'moved' | 'married'; // prettier-ignore

// prettier-ignore
const corruptions: readonly (readonly [Corruption, number])[] = [
  ['typo:firstName', 8], ['typo:lastName', 10], ['typo:street', 6], ['typo:city', 3],
  ['ocr:firstName', 2], ['ocr:lastName', 3], ['ocr:street', 2],
  ['transliterate', 3], ['nickname', 5], ['swap-names', 3], ['date', 10],
  ['houseNumber', 5], ['postalCode', 4],
  ['missing:firstName', 1], ['missing:birthDate', 6], ['missing:address', 2], ['missing:postalCode', 2],
  ['missing:city', 2], ['new-email', 4], ['email-domain', 2], ['missing:email', 4], ['new-phone', 3],
  ['missing:phone', 3], ['moved', 3], ['married', 1],
];

interface Draft {
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  streetName: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
}

function corrupt(rng: SeededRandom, p: Person, d: Draft, what: Corruption, faker: Faker): boolean {
  switch (what) {
    case 'typo:firstName':
      if (!d.firstName) return false;
      d.firstName = typo(rng, d.firstName);
      return true;
    case 'typo:lastName':
      if (!d.lastName) return false;
      d.lastName = typo(rng, d.lastName);
      return true;
    case 'typo:street':
      if (!d.streetName) return false;
      d.streetName = typo(rng, d.streetName);
      return true;
    case 'typo:city':
      if (!d.city) return false;
      d.city = typo(rng, d.city);
      return true;
    case 'ocr:firstName':
      if (!d.firstName) return false;
      d.firstName = ocr(rng, d.firstName);
      return true;
    case 'ocr:lastName':
      if (!d.lastName) return false;
      d.lastName = ocr(rng, d.lastName);
      return true;
    case 'ocr:street':
      if (!d.streetName) return false;
      d.streetName = ocr(rng, d.streetName);
      return true;
    case 'transliterate': {
      const before = `${d.firstName}${d.lastName}${d.streetName}${d.city}`;
      d.firstName = d.firstName && transliterate(d.firstName);
      d.lastName = d.lastName && transliterate(d.lastName);
      d.streetName = d.streetName && transliterate(d.streetName);
      d.city = d.city && transliterate(d.city);
      if (rng.chance(0.5)) d.lastName = d.lastName && d.lastName.toUpperCase();
      return before !== `${d.firstName}${d.lastName}${d.streetName}${d.city}`;
    }
    case 'nickname': {
      if (!d.firstName) return false;
      const variants = firstNameVariants(d.firstName);
      if (variants.length === 0) return false;
      d.firstName = rng.pick(variants);
      return true;
    }
    case 'swap-names':
      if (!d.firstName || !d.lastName) return false;
      [d.firstName, d.lastName] = [d.lastName, d.firstName];
      return true;
    case 'date': {
      if (!d.birthDate) return false;
      const { value } = dateCorruption(rng, d.birthDate);
      if (value === d.birthDate) return false;
      d.birthDate = value;
      return true;
    }
    case 'houseNumber': {
      if (!d.houseNumber) return false;
      const swapped = swapAdjacentDigits(rng, d.houseNumber);
      d.houseNumber =
        swapped !== d.houseNumber && rng.chance(0.6) ? swapped : digitTypo(rng, d.houseNumber);
      return true;
    }
    case 'postalCode': {
      if (!d.postalCode) return false;
      const swapped = swapAdjacentDigits(rng, d.postalCode);
      d.postalCode =
        swapped !== d.postalCode && rng.chance(0.5) ? swapped : digitTypo(rng, d.postalCode);
      return true;
    }
    case 'missing:firstName':
      d.firstName = null;
      return true;
    case 'missing:birthDate':
      d.birthDate = null;
      return true;
    case 'missing:address':
      d.streetName = null;
      d.houseNumber = null;
      return true;
    case 'missing:postalCode':
      d.postalCode = null;
      return true;
    case 'missing:city':
      d.city = null;
      return true;
    case 'new-email':
      d.email = emailOf(rng, p.firstName, p.lastName);
      return d.email !== p.email;
    case 'email-domain':
      if (!d.email) return false;
      d.email = `${d.email.slice(0, d.email.indexOf('@'))}@${rng.pick(mailDomains)}`;
      return true;
    case 'missing:email':
      if (!d.email) return false;
      d.email = null;
      return true;
    case 'new-phone':
      d.phone = mobileOf(rng, p.country);
      return true;
    case 'missing:phone':
      if (!d.phone) return false;
      d.phone = null;
      return true;
    case 'moved': {
      const a = newAddress(rng, faker, p.country);
      Object.assign(d, a);
      return true;
    }
    case 'married':
      if (p.sex !== 'female' || !d.lastName) return false;
      d.lastName = faker.person.lastName();
      return true;
  }
}

function duplicateOf(
  rng: SeededRandom,
  p: Person,
  recordId: string,
  seed: number,
  n: number,
): CorruptedRecord {
  const faker = fakers[p.origin];
  faker.seed(mixSeed(seed, Number(p.personId.slice(1)), 3, n));
  const d: Draft = {
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    streetName: p.streetName,
    houseNumber: p.houseNumber,
    postalCode: p.postalCode,
    city: p.city,
    email: p.email,
    phone: p.phone,
  };
  const tags: string[] = [];
  // FEBRL's defaults: a few modifications per record, at most one or two per field.
  const wanted = rng.weighted([
    [1, 35],
    [2, 40],
    [3, 20],
    [4, 5],
  ]);
  for (let attempt = 0; tags.length < wanted && attempt < 20; attempt++) {
    const what = rng.weighted(corruptions);
    if (tags.includes(what)) continue;
    if (corrupt(rng, p, d, what, faker)) tags.push(what);
  }
  return {
    recordId,
    personId: p.personId,
    firstName: d.firstName,
    lastName: d.lastName,
    birthDate: d.birthDate,
    street: d.streetName
      ? d.houseNumber
        ? `${d.streetName} ${d.houseNumber}`
        : d.streetName
      : null,
    postalCode: d.postalCode,
    city: d.city,
    country: p.country,
    email: d.email,
    phone: d.phone,
    kind: 'duplicate',
    tags,
  };
}

function originalOf(p: Person): CorruptedRecord {
  return {
    recordId: `${p.personId}-0`,
    personId: p.personId,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    street: `${p.streetName} ${p.houseNumber}`,
    postalCode: p.postalCode,
    city: p.city,
    country: p.country,
    email: p.email,
    phone: p.phone,
    kind: 'original',
    tags: p.tags,
  };
}

// Shares of look-alikes among the people: each becomes a person of its own.
// prettier-ignore
const lookAlikes: readonly (readonly ['household' | 'father-son' | 'twin' | 'namesake', number])[] = [
  ['household', 0.08], ['father-son', 0.01], ['twin', 0.01], ['namesake', 0.02],
];
const lookAlikeShare = lookAlikes.reduce((sum, [, share]) => sum + share, 0);

/**
 * Originals (`people`, look-alikes included) and their corrupted duplicates,
 * in a seeded shuffled order. `recordId` is `<personId>-<n>`, n = 0 for the
 * original; records of one `personId` are true matches, all others are not.
 */
export function generateCorrupted(options: CorruptionOptions): CorruptedRecord[] {
  const { people, seed } = options;
  const duplicateShare = options.duplicateShare ?? 0.5;
  const rng = new SeededRandom(mixSeed(seed, 0x1d));
  const persons: Person[] = [];
  while (persons.length < people) {
    const index = persons.length;
    // A look-alike of someone generated recently (any of the last 50).
    const base =
      index > 0 && rng.chance(lookAlikeShare)
        ? persons[rng.int(Math.max(0, index - 50), index - 1)]
        : null;
    if (base) {
      const kind = rng.weighted(lookAlikes);
      persons.push(lookAlike(rng, base, index, seed, kind));
      if (!base.tags.includes(kind)) base.tags.push(kind);
    } else persons.push(createPerson(rng, index, seed));
  }
  const records: CorruptedRecord[] = [];
  for (const p of persons) {
    records.push(originalOf(p));
    if (!rng.chance(duplicateShare)) continue;
    const count = rng.weighted([
      [1, 70],
      [2, 18],
      [3, 8],
      [4, 4],
    ]);
    for (let n = 1; n <= count; n++)
      records.push(duplicateOf(rng, p, `${p.personId}-${n}`, seed, n));
  }
  // Shuffle, so record order says nothing about who belongs together.
  for (let i = records.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [records[i], records[j]] = [records[j], records[i]];
  }
  return records;
}

/**
 * The match record of a generated record, normalized as the fold would
 * (email lower-case, phone E.164 in the record's country): for in-memory
 * passes that skip ingestion.
 */
export function toMatchRecord(r: CorruptedRecord): MatchRecord {
  const email = normalizeEmail(r.email);
  const phone = normalizePhone(r.phone, r.country);
  return matchRecordFrom({
    id: r.recordId,
    firstName: r.firstName,
    lastName: r.lastName,
    birthDate: r.birthDate,
    street: r.street,
    postalCode: r.postalCode,
    city: r.city,
    country: r.country,
    emails: email?.valid ? [email.value] : [],
    phones: phone?.valid ? [phone.value] : [],
  });
}
