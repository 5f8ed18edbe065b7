/**
 * A profile as a match record: folded names, the street split from its
 * house number, normalized postal code and country, and the identifiers
 * that can contradict a match.
 */
import { foldText, normalizeCountry, normalizePostalCode } from '../normalize';
import type { CustomerDocument } from '../profile';
import type { MatchRecord } from './types';

/**
 * The folding every matching comparison and term-frequency key uses: the
 * search folding of `normalize.ts` (lower-case, accents dropped, ß → ss,
 * then ae/oe/ue/ss → a/o/u/s), so "Müller", "Mueller" and "MULLER" are one
 * name here exactly as in search.
 *
 * @example foldName('Jürgen') === foldName('Juergen') // 'jurgen'
 */
export function foldName(s: string): string {
  return foldText(s);
}

function foldedOrNull(s: string | null | undefined): string | null {
  const folded = s ? foldName(s) : '';
  return folded === '' ? null : folded;
}

// A house number at the end ("Hauptstr. 12a", "Am Ring 3-5", "Weg 7 / 2") or,
// in English and French writing, at the start ("12 Baker Street").
const trailingNumber = /^(.*?)[\s,]*(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)\s*$/;
const leadingNumber = /^(\d+\s*[a-zA-Z]?)[\s,]+(.+)$/;

/**
 * Splits a street line into the folded street name, with the street types
 * spelled out the same way (`str.`, `strasse`, `straße` → `strasse`), and the
 * house number.
 *
 * @example splitStreet('Hauptstr. 12a') // { street: 'hauptstrasse', houseNumber: '12a' }
 */
export function splitStreet(raw: string | null | undefined): {
  street: string | null;
  houseNumber: string | null;
} {
  const line = (raw ?? '').trim();
  if (!line) return { street: null, houseNumber: null };
  let name = line;
  let number: string | null = null;
  const trailing = trailingNumber.exec(line);
  const leading = trailing ? null : leadingNumber.exec(line);
  if (trailing && trailing[1].trim()) {
    name = trailing[1];
    number = trailing[2];
  } else if (leading) {
    number = leading[1];
    name = leading[2];
  }
  return {
    street: canonicalStreet(name),
    houseNumber: number ? number.replace(/\s+/g, '').toLowerCase() : null,
  };
}

function canonicalStreet(name: string): string | null {
  const folded = foldName(name)
    // "Haupt Straße" and "Hauptstraße" are written for one street.
    .replace(/ (str|strase|strasse)\b/g, '$1')
    .replace(/(str|strase|strasse)\b/g, 'strasse')
    .replace(/\bpl\b/g, 'platz')
    // At the end only: a leading "St." is a saint ("An St. Andreas").
    .replace(/ st$/, ' street')
    .replace(/ rd$/, ' road')
    .replace(/ ave?$/, ' avenue')
    .trim();
  return folded === '' ? null : folded;
}

/** The values a match record is made of, as a profile (or a test record) holds them. */
export interface MatchRecordInput {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  birthDate?: string | null;
  /** Street line with the house number ("Hauptstr. 12a"). */
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
  /** Normalized emails (lower-case). */
  emails?: readonly string[];
  /** Normalized phones (E.164). */
  phones?: readonly string[];
  customerNumbers?: readonly string[];
  externalIds?: readonly string[];
  sources?: readonly string[];
}

const uniqueSorted = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();

/** The match record of plain values; `matchRecordOf` feeds it a profile. */
export function matchRecordFrom(input: MatchRecordInput): MatchRecord {
  const { street, houseNumber } = splitStreet(input.street);
  const postal = input.postalCode ? normalizePostalCode(input.postalCode) : '';
  const birthDate = input.birthDate?.trim() ?? '';
  return {
    id: input.id,
    firstName: foldedOrNull(input.firstName),
    lastName: foldedOrNull(input.lastName),
    birthDate: /^\d{4}-\d{2}-\d{2}/.test(birthDate) ? birthDate.slice(0, 10) : null,
    street,
    houseNumber,
    postalCode: postal === '' ? null : postal,
    city: foldedOrNull(input.city),
    country: normalizeCountry(input.country) ?? null,
    emails: uniqueSorted(input.emails?.map((e) => e.trim().toLowerCase())),
    phones: uniqueSorted(input.phones),
    customerNumbers: uniqueSorted(input.customerNumbers),
    externalIds: uniqueSorted(input.externalIds),
    sources: uniqueSorted(input.sources),
  };
}

/**
 * The match record of a profile: names and city folded, the street split
 * from its house number, every email and phone the profile has (former ones
 * too: they still say who the person was).
 */
export function matchRecordOf(doc: CustomerDocument): MatchRecord {
  return matchRecordFrom({
    id: doc.id,
    firstName: doc.firstName,
    lastName: doc.lastName,
    birthDate: doc.birthDate,
    street: doc.address?.street,
    postalCode: doc.address?.postalCode,
    city: doc.address?.city,
    country: doc.address?.country,
    emails: (doc.emails ?? []).map((e) => e.value),
    phones: (doc.phones ?? []).map((p) => p.value),
    customerNumbers: doc.customerNumbers,
    externalIds: doc.externalIds,
    sources: doc.sources,
  });
}
