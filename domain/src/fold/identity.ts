/**
 * Who the customer is, from the `customer` block every touchpoint carries:
 * names, birth date, address, emails, phones, customer numbers, external ids,
 * and the search keys derived from them.
 */
import type { StoredTouchpoint } from '../contract';
import { phoneCountryOf } from '../identity-keys';
import {
  capitalizeName,
  foldText,
  normalizeCountry,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
  normalizePostalCode,
  phoneSuffixes,
  standardizePlace,
  standardizePostalCode,
  type NormalizedValue,
} from '../normalize';
import type {
  FieldSource,
  IdentityValue,
  OriginalField,
  OriginalValue,
  ProfileAddress,
} from '../profile';
import { compareStrings, iso, trimmedOrNull, uniqueSorted } from './fold-context';

export interface IdentityPart {
  /** Per master-data field shown (firstName, lastName, company, birthDate, address) and per customer number and external id: its source. */
  fieldSources: Record<string, FieldSource>;
  /** The original writing of each standardized master-data value shown. */
  originals: Partial<Record<OriginalField, OriginalValue>>;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  birthDate: string | null;
  address: ProfileAddress | null;
  emails: IdentityValue[];
  phones: IdentityValue[];
  customerNumbers: string[];
  externalIds: string[];
  /** Every company writing seen, for the search text. */
  companies: string[];
  search: {
    names: string[];
    emails: string[];
    emailText: string;
    phones: string[];
    phoneSuffixes: string[];
    /** Normalized customer numbers and external ids. */
    numbers: string[];
    cities: string[];
    postalCodes: string[];
    streets: string[];
  };
}

const maxSeenIn = 10;

interface Sighting {
  normalized: NormalizedValue;
  original: string;
  key: string;
  source: string;
  at: number;
}

/**
 * Folds the sightings of one kind of identifier (email or phone) into one
 * `IdentityValue` per normalized value.
 *
 * A value is `current` while, in at least one source that sent it, no other
 * valid value of the same kind was sent later: when the shop's newest order
 * carries a new email, the shop's older email becomes former, but the CRM may
 * still vouch for it. Invalid writings never retire a valid value — a typo or
 * "n/a" in one record does not mean the customer changed address.
 */
function foldIdentityValues(sightings: readonly Sighting[]): IdentityValue[] {
  interface Entry {
    value: string;
    original: string;
    valid: boolean;
    keys: string[];
    lastAt: number;
    lastAtBySource: Map<string, number>;
  }
  const byValue = new Map<string, Entry>();
  const latestValidBySource = new Map<string, number>();
  for (const s of sightings) {
    const entry: Entry = byValue.get(s.normalized.value) ?? {
      value: s.normalized.value,
      original: s.original,
      valid: s.normalized.valid,
      keys: [],
      lastAt: s.at,
      lastAtBySource: new Map(),
    };
    // Sightings are chronological, so the last writing seen wins.
    entry.original = s.original;
    entry.valid = s.normalized.valid;
    entry.lastAt = Math.max(entry.lastAt, s.at);
    // Keys are unique (one touchpoint per record); only the most recent ones are kept.
    entry.keys.push(s.key);
    if (entry.keys.length > maxSeenIn) entry.keys.shift();
    entry.lastAtBySource.set(s.source, Math.max(entry.lastAtBySource.get(s.source) ?? s.at, s.at));
    byValue.set(entry.value, entry);
    if (s.normalized.valid)
      latestValidBySource.set(s.source, Math.max(latestValidBySource.get(s.source) ?? s.at, s.at));
  }
  const values: IdentityValue[] = [...byValue.values()].map((e) => ({
    value: e.value,
    original: e.original,
    current: [...e.lastAtBySource].some(
      ([source, at]) => at >= (latestValidBySource.get(source) ?? -Infinity),
    ),
    seenIn: [...e.keys].reverse(),
    lastSeenAt: iso(e.lastAt),
    valid: e.valid,
  }));
  // Current, valid and recent first: the first entry is what an agent should use.
  return values.sort(
    (a, b) =>
      Number(b.current) - Number(a.current) ||
      Number(b.valid) - Number(a.valid) ||
      compareStrings(b.lastSeenAt, a.lastSeenAt) ||
      compareStrings(a.value, b.value),
  );
}

function isEmptyAddress(a: StoredTouchpoint['customer']['address']): boolean {
  return (
    !a ||
    !(
      trimmedOrNull(a.street) ||
      trimmedOrNull(a.postalCode) ||
      trimmedOrNull(a.city) ||
      trimmedOrNull(a.country)
    )
  );
}

/**
 * Folds the identity of a customer from live touchpoints in chronological
 * order. Master data follows "the most recent non-empty value wins", field by
 * field — except the address, which is taken whole from the most recent
 * touchpoint that has one, so a street is never paired with another city.
 *
 * Displayed values are standardized (names capitalized, street and city
 * tidied, postal code in its country's form, ISO country) and the writing
 * they came from is kept in `originals`; a value that cannot be
 * standardized is shown as written and flagged (`valid: false`).
 */
export function foldIdentity(
  live: readonly StoredTouchpoint[],
  options: { sourcePriority?: readonly string[] } = {},
): IdentityPart {
  // Source priority, then the most recent: a lower rank wins; unlisted sources rank last, alike.
  const priority = options.sourcePriority ?? [];
  const rankOf = (source: string) => {
    const i = priority.indexOf(source);
    return i === -1 ? priority.length : i;
  };
  const fieldSources: Record<string, FieldSource> = {};
  const fieldRanks: Record<string, number> = {};
  /** Whether `tp` may set `field` (live is chronological, so an equal rank means more recent). */
  const takes = (field: string, tp: StoredTouchpoint): boolean => {
    const rank = rankOf(tp.source);
    if (rank > (fieldRanks[field] ?? Infinity)) return false;
    fieldRanks[field] = rank;
    fieldSources[field] = { source: tp.source, key: tp.key, occurredAt: tp.occurredAt };
    return true;
  };
  let firstName: string | null = null;
  let lastName: string | null = null;
  let company: string | null = null;
  let birthDate: string | null = null;
  let address: ProfileAddress | null = null;
  const originals: Partial<Record<OriginalField, OriginalValue>> = {};
  const emailSightings: Sighting[] = [];
  const phoneSightings: Sighting[] = [];
  // normalized customer number → most recent writing
  const customerNumbers = new Map<string, string>();
  const externalIds = new Set<string>();
  const externalIdNumbers = new Set<string>();
  const names = new Set<string>();
  const companies = new Set<string>();
  const cities = new Set<string>();
  const postalCodes = new Set<string>();
  const streets = new Set<string>();
  // Standardizing a phone is the costliest step of the fold, and a customer's
  // touchpoints repeat the same few writings: parse each writing once.
  const phoneCache = new Map<string, NormalizedValue | null>();
  const normalizePhoneOnce = (
    raw: string | null | undefined,
    country: string,
  ): NormalizedValue | null => {
    const cacheKey = `${country}|${raw ?? ''}`;
    if (!phoneCache.has(cacheKey)) phoneCache.set(cacheKey, normalizePhone(raw, country));
    return phoneCache.get(cacheKey) ?? null;
  };

  for (const tp of live) {
    const c = tp.customer;
    const at = Date.parse(tp.occurredAt);
    const first = trimmedOrNull(c.firstName);
    const last = trimmedOrNull(c.lastName);
    if (first && takes('firstName', tp)) {
      firstName = capitalizeName(first);
      originals.firstName = { original: first, valid: true };
    }
    if (last && takes('lastName', tp)) {
      lastName = capitalizeName(last);
      originals.lastName = { original: last, valid: true };
    }
    if (first || last) {
      const folded = foldText(`${first ?? ''} ${last ?? ''}`);
      if (folded) names.add(folded);
    }
    const companyName = trimmedOrNull(c.company);
    if (companyName) {
      if (takes('company', tp)) company = companyName;
      companies.add(companyName);
    }
    const birth = trimmedOrNull(c.birthDate);
    if (birth && takes('birthDate', tp)) birthDate = birth;

    if (c.address && !isEmptyAddress(c.address)) {
      const a = c.address;
      const raw = {
        street: trimmedOrNull(a.street),
        postalCode: trimmedOrNull(a.postalCode),
        city: trimmedOrNull(a.city),
        country: trimmedOrNull(a.country),
      };
      const countryCode = normalizeCountry(raw.country);
      const postal = standardizePostalCode(raw.postalCode, countryCode);
      const taken = takes('address', tp);
      const folded = {
        street: standardizePlace(raw.street),
        postalCode: postal?.value ?? null,
        city: standardizePlace(raw.city),
        // An unknown country is kept as written rather than lost.
        country: countryCode ?? raw.country,
        source: tp.source,
      };
      if (taken) {
        address = folded;
        // The address is taken whole, so are its writings.
        for (const field of ['street', 'postalCode', 'city', 'country'] as const)
          delete originals[field];
        if (raw.street) originals.street = { original: raw.street, valid: true };
        if (raw.postalCode)
          originals.postalCode = { original: raw.postalCode, valid: postal?.valid ?? false };
        if (raw.city) originals.city = { original: raw.city, valid: true };
        if (raw.country) originals.country = { original: raw.country, valid: countryCode !== null };
      }
      // Every address ever given stays searchable (a moved customer is still found at the old one).
      if (folded.city) cities.add(foldText(folded.city));
      if (folded.street) streets.add(foldText(folded.street));
      if (raw.postalCode) postalCodes.add(normalizePostalCode(raw.postalCode));
      if (folded.postalCode) postalCodes.add(normalizePostalCode(folded.postalCode));
    }

    const email = normalizeEmail(c.email);
    if (email && c.email)
      emailSightings.push({
        normalized: email,
        original: c.email.trim(),
        key: tp.key,
        source: tp.source,
        at,
      });
    const phone = c.phone ? normalizePhoneOnce(c.phone, phoneCountryOf(c)) : null;
    if (phone && c.phone)
      phoneSightings.push({
        normalized: phone,
        original: c.phone.trim(),
        key: tp.key,
        source: tp.source,
        at,
      });

    const customerNumber = trimmedOrNull(c.customerNumber);
    if (customerNumber && normalizeNumber(customerNumber)) {
      // The most recent writing is shown; its source is the record that wrote it.
      const held = customerNumbers.get(normalizeNumber(customerNumber));
      if (held !== undefined && held !== customerNumber)
        delete fieldSources[`customerNumber:${held}`];
      customerNumbers.set(normalizeNumber(customerNumber), customerNumber);
      fieldSources[`customerNumber:${customerNumber}`] = {
        source: tp.source,
        key: tp.key,
        occurredAt: tp.occurredAt,
      };
    }
    const externalId = trimmedOrNull(c.externalId);
    if (externalId) {
      externalIds.add(`${tp.source}:${externalId}`);
      fieldSources[`externalId:${tp.source}:${externalId}`] = {
        source: tp.source,
        key: tp.key,
        occurredAt: tp.occurredAt,
      };
      externalIdNumbers.add(normalizeNumber(externalId));
    }
  }

  const emails = foldIdentityValues(emailSightings);
  const phones = foldIdentityValues(phoneSightings);
  const emailWords = new Set<string>();
  for (const e of [...emails].sort((a, b) => compareStrings(a.value, b.value))) {
    for (const word of foldText(e.value.replace('@', ' ')).split(' '))
      if (word) emailWords.add(word);
  }

  return {
    fieldSources,
    originals,
    firstName,
    lastName,
    company,
    birthDate,
    address,
    emails,
    phones,
    customerNumbers: uniqueSorted(customerNumbers.values()),
    externalIds: uniqueSorted(externalIds),
    companies: uniqueSorted(companies),
    search: {
      names: uniqueSorted(names),
      emails: uniqueSorted(emails.map((e) => e.value)),
      emailText: [...emailWords].join(' '),
      phones: uniqueSorted(phones.filter((p) => p.valid).map((p) => p.value)),
      phoneSuffixes: uniqueSorted(phones.flatMap((p) => phoneSuffixes(p.value))),
      numbers: uniqueSorted([...customerNumbers.keys(), ...externalIdNumbers]),
      cities: uniqueSorted(cities),
      postalCodes: uniqueSorted(postalCodes),
      streets: uniqueSorted(streets),
    },
  };
}
