/**
 * A judged query set built from the demo generator's ground truth: each query
 * is what an agent would type for one person, with that person as the only
 * right answer. Every query kind the search box promises is covered, and a
 * query is only kept when it is answerable — the identifier or the
 * combination of words belongs to that one person alone (namesakes get their
 * city added, as an agent would ask "which city?").
 *
 * Deterministic: the same touchpoints give the same queries.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DemoTouchpoint } from '../../scripts/demo/generate';
import {
  foldText,
  normalizeCountry,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
} from '../../domain/src/normalize';

export const queryKinds = [
  'customer-number',
  'email',
  'phone',
  'phone-last-digits',
  'order-number',
  'tracking-number',
  'ticket-number',
  'contract-number',
  'name',
  'name-typo',
  'name-transliterated',
  'name-typeahead',
  'namesake+city',
  'name+postal-code',
  'name+street',
  'name+ticket-subject',
] as const;
export type QueryKind = (typeof queryKinds)[number];

/** Kinds where the query is an exact identifier: the aim is top-1 = 1.0. */
export const exactKinds: readonly QueryKind[] = [
  'customer-number',
  'email',
  'phone',
  'order-number',
  'tracking-number',
  'ticket-number',
  'contract-number',
];

export interface JudgedQuery {
  kind: QueryKind;
  q: string;
  personId: string;
}

interface PersonFacts {
  personId: string;
  firstName: string | null;
  lastName: string | null;
  /** Of the latest touchpoint with an address. */
  city: string | null;
  postalCode: string | null;
  street: string | null;
  customerNumbers: Set<string>;
  emails: Set<string>;
  /** E.164, normalized with the country of the touchpoint's address like the fold does. */
  phones: Set<string>;
  orderNumbers: Set<string>;
  trackingNumbers: Set<string>;
  ticketNumbers: Set<string>;
  subjects: Set<string>;
  contractNumbers: Set<string>;
  nameAt: string;
  addressAt: string;
}

function collectFacts(touchpoints: Iterable<DemoTouchpoint>): Map<string, PersonFacts> {
  const persons = new Map<string, PersonFacts>();
  const all = [...touchpoints];
  // A record deleted at its source takes its identifiers with it: they find nobody.
  const deleted = new Set(
    all.filter((d) => d.touchpoint.deleted).map((d) => `${d.touchpoint.source}:${d.touchpoint.id}`),
  );
  for (const { touchpoint: tp, personId } of all) {
    if (deleted.has(`${tp.source}:${tp.id}`)) continue;
    let f = persons.get(personId);
    if (!f) {
      f = {
        personId,
        firstName: null,
        lastName: null,
        city: null,
        postalCode: null,
        street: null,
        customerNumbers: new Set(),
        emails: new Set(),
        phones: new Set(),
        orderNumbers: new Set(),
        trackingNumbers: new Set(),
        ticketNumbers: new Set(),
        subjects: new Set(),
        contractNumbers: new Set(),
        nameAt: '',
        addressAt: '',
      };
      persons.set(personId, f);
    }
    const c = tp.customer ?? {};
    // The CRM's name wins over what shops and helpdesks wrote (they may transliterate).
    const nameRank = `${tp.type === 'profile' ? '1' : '0'}${tp.occurredAt}`;
    if (c.firstName && c.lastName && nameRank >= f.nameAt) {
      f.firstName = c.firstName;
      f.lastName = c.lastName;
      f.nameAt = nameRank;
    }
    if (c.address?.city && nameRank >= f.addressAt) {
      f.city = c.address.city;
      f.postalCode = c.address.postalCode ?? null;
      f.street = c.address.street ?? null;
      f.addressAt = nameRank;
    }
    if (c.customerNumber) f.customerNumbers.add(c.customerNumber);
    if (c.email) f.emails.add(c.email.trim());
    if (c.phone) {
      const country = c.address?.country ? (normalizeCountry(c.address.country) ?? 'DE') : 'DE';
      const phone = normalizePhone(c.phone, country);
      if (phone?.valid) f.phones.add(phone.value);
    }
    const d = (tp.data ?? {}) as Record<string, unknown>;
    if (tp.type === 'order' && typeof d.orderNumber === 'string') f.orderNumbers.add(d.orderNumber);
    const shipping = d.shipping as { trackingNumber?: string | null } | null | undefined;
    if (tp.type === 'order' && shipping?.trackingNumber)
      f.trackingNumbers.add(shipping.trackingNumber);
    if (tp.type === 'ticket' && typeof d.ticketNumber === 'string')
      f.ticketNumbers.add(d.ticketNumber);
    if (tp.type === 'ticket' && typeof d.subject === 'string') f.subjects.add(d.subject);
    if (tp.type === 'contract' && typeof d.contractNumber === 'string')
      f.contractNumbers.add(d.contractNumber);
  }
  return persons;
}

/** How many persons share each key. */
function owners(
  persons: PersonFacts[],
  keys: (p: PersonFacts) => Iterable<string>,
): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const p of persons) {
    for (const key of keys(p)) {
      if (!key) continue;
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      set.add(p.personId);
    }
  }
  return map;
}

const unique = (map: Map<string, Set<string>>, key: string) => (map.get(key)?.size ?? 0) === 1;
const first = <T>(set: Set<T>): T | undefined => [...set].sort()[0];

/** A typo an agent makes: the two middle letters swapped, or one letter dropped. Deterministic per name. */
export function typo(word: string): string {
  if (word.length < 5) return word;
  const i = Math.floor(word.length / 2);
  if (word.length % 2 === 0)
    return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  return word.slice(0, i) + word.slice(i + 1);
}

function transliterate(s: string): string {
  return s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss');
}

/** A phone in another writing than the stored ones: national for German numbers, `00…` international otherwise. */
function otherWriting(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  return parsed.country === 'DE'
    ? parsed.formatNational()
    : `00${parsed.countryCallingCode} ${parsed.nationalNumber}`;
}

function streetName(street: string): string {
  return street.replace(/\s*\d+\s*\w?$/, '').trim();
}

/**
 * Builds up to `perKind` queries of every kind, taking persons in a fixed
 * spread over the whole set (every n-th), so small and large runs judge alike.
 */
export function buildJudgedSet(touchpoints: Iterable<DemoTouchpoint>, perKind = 50): JudgedQuery[] {
  const persons = [...collectFacts(touchpoints).values()].sort(
    (a, b) => Number(a.personId.slice(1)) - Number(b.personId.slice(1)),
  );
  const fullName = (p: PersonFacts) => foldText(`${p.firstName ?? ''} ${p.lastName ?? ''}`);
  const byName = owners(persons, (p) => [fullName(p)]);
  const byNameCity = owners(persons, (p) => [`${fullName(p)}|${foldText(p.city ?? '')}`]);
  const byNamePostal = owners(persons, (p) => [`${fullName(p)}|${p.postalCode ?? ''}`]);
  const byLastStreet = owners(persons, (p) => [
    `${foldText(p.lastName ?? '')}|${foldText(streetName(p.street ?? ''))}`,
  ]);
  const byLastSubject = owners(persons, (p) =>
    [...p.subjects].map((s) => `${foldText(p.lastName ?? '')}|${foldText(s)}`),
  );
  const byNumber = owners(persons, (p) =>
    [
      ...p.customerNumbers,
      ...p.orderNumbers,
      ...p.trackingNumbers,
      ...p.ticketNumbers,
      ...p.contractNumbers,
    ].map(normalizeNumber),
  );
  const byEmail = owners(persons, (p) => [...p.emails].map((e) => normalizeEmail(e)?.value ?? ''));
  const byPhone = owners(persons, (p) => [...p.phones]);
  const bySuffix = owners(persons, (p) => [...p.phones].map((x) => x.replace(/\D/g, '').slice(-7)));
  const firstNames = new Map<string, string[]>();
  for (const p of persons) {
    const fn = foldText(p.firstName ?? '');
    firstNames.set(fn, [...(firstNames.get(fn) ?? []), foldText(p.lastName ?? '')]);
  }

  const candidates: Record<QueryKind, JudgedQuery[]> = Object.fromEntries(
    queryKinds.map((k) => [k, []]),
  ) as unknown as Record<QueryKind, JudgedQuery[]>;
  const add = (kind: QueryKind, q: string | null | undefined, p: PersonFacts) => {
    if (q && q.trim()) candidates[kind].push({ kind, q: q.trim(), personId: p.personId });
  };

  persons.forEach((p, index) => {
    const number = (v: string | undefined) =>
      v && unique(byNumber, normalizeNumber(v)) ? v : null;
    const cn = number(first(p.customerNumbers));
    // Half as written, half as an agent types it from a letter: lower case, no dash.
    add('customer-number', cn && (index % 2 === 0 ? cn : cn.toLowerCase().replace(/-/g, '')), p);
    const email = first(p.emails);
    if (email && unique(byEmail, normalizeEmail(email)?.value ?? ''))
      add('email', index % 2 === 0 ? email.toUpperCase() : email, p);
    const phone = first(p.phones);
    if (phone && unique(byPhone, phone)) {
      add('phone', otherWriting(phone), p);
      const digits = phone.replace(/\D/g, '');
      if (unique(bySuffix, digits.slice(-7))) add('phone-last-digits', digits.slice(-7), p);
    }
    add('order-number', number(first(p.orderNumbers)), p);
    add('tracking-number', number(first(p.trackingNumbers)), p);
    add('ticket-number', number(first(p.ticketNumbers)), p);
    add('contract-number', number(first(p.contractNumbers)), p);

    if (!p.firstName || !p.lastName) return;
    const name = `${p.firstName} ${p.lastName}`;
    const nameUnique = unique(byName, fullName(p));
    const cityUnique = p.city && unique(byNameCity, `${fullName(p)}|${foldText(p.city)}`);
    if (nameUnique) add('name', name, p);
    else if (cityUnique) add('namesake+city', `${name} ${p.city}`, p);
    const withCity = nameUnique ? '' : cityUnique ? ` ${p.city}` : null;
    if (withCity !== null && p.lastName.length >= 5) {
      const typed = `${p.firstName} ${typo(p.lastName)}`;
      // A typo that spells another person's name is not a typo any search could see.
      if (!byName.has(foldText(typed))) add('name-typo', `${typed}${withCity}`, p);
    }
    if (withCity !== null && transliterate(name) !== name)
      add('name-transliterated', `${transliterate(name)}${withCity}`, p);
    const last = foldText(p.lastName);
    const prefixLength = Math.max(3, Math.ceil(last.length * 0.6));
    const typedLast = p.lastName.slice(0, prefixLength);
    const foldedPrefix = foldText(typedLast);
    const sameStart = (firstNames.get(foldText(p.firstName)) ?? []).filter((l) =>
      l.startsWith(foldedPrefix),
    );
    if (sameStart.length === 1 && typedLast.length < p.lastName.length)
      add('name-typeahead', `${p.firstName} ${typedLast}`, p);
    if (p.postalCode && unique(byNamePostal, `${fullName(p)}|${p.postalCode}`))
      add('name+postal-code', `${name} ${p.postalCode}`, p);
    if (p.street && unique(byLastStreet, `${last}|${foldText(streetName(p.street))}`))
      add('name+street', `${p.lastName} ${streetName(p.street)}`, p);
    const subject = [...p.subjects]
      .sort()
      .find((s) => unique(byLastSubject, `${last}|${foldText(s)}`));
    if (subject) add('name+ticket-subject', `${p.lastName} ${subject}`, p);
  });

  return queryKinds.flatMap((kind) => spread(candidates[kind], perKind));
}

/** Every n-th item, so the sample covers the whole range of persons. */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]);
}
