/**
 * Data quality of a profile and why its records are together: invalid
 * values flagged (never dropped), the identifiers that joined records of
 * different sources, and the keys under which suspected duplicates meet
 * (same name + birth date, or same name + address).
 */
import type { StoredTouchpoint } from '../contract';
import { identityKeys } from '../identity-keys';
import {
  foldText,
  normalizeCountry,
  normalizePostalCode,
  standardizePostalCode,
} from '../normalize';
import type {
  IdentityLinkExplanation,
  IdentityValue,
  ProfileAddress,
  ProfileQuality,
} from '../profile';
import { uniqueSorted } from './fold-context';

const maxRecords = 10;

export function foldQuality(
  live: readonly StoredTouchpoint[],
  identity: {
    firstName: string | null;
    lastName: string | null;
    birthDate: string | null;
    address: ProfileAddress | null;
    emails: IdentityValue[];
    phones: IdentityValue[];
  },
): { quality: ProfileQuality; links: IdentityLinkExplanation[] } {
  const invalid = new Set<string>();
  const invalidSources = new Set<string>();
  const flag = (what: string, source: string) => {
    invalid.add(what);
    invalidSources.add(source);
  };
  const byKey = new Map<string, { records: Set<string>; sources: Set<string> }>();
  for (const tp of live) {
    const keys = identityKeys(tp);
    for (const key of keys) {
      const entry = byKey.get(key) ?? { records: new Set(), sources: new Set() };
      entry.records.add(tp.key);
      entry.sources.add(tp.source);
      byKey.set(key, entry);
    }
    const c = tp.customer;
    // A value given but yielding no identity key could not be standardized.
    if (c.email?.trim() && !keys.some((k) => k.startsWith('email:'))) flag('email', tp.source);
    if (c.phone?.trim() && !keys.some((k) => k.startsWith('phone:'))) flag('phone', tp.source);
    const a = c.address;
    const country = a?.country?.trim() ? normalizeCountry(a.country) : null;
    if (a?.country?.trim() && !country) flag('country', tp.source);
    if (a?.postalCode?.trim() && country && !standardizePostalCode(a.postalCode, country)?.valid)
      flag('postalCode', tp.source);
  }

  // Only identifiers that joined records of more than one source explain a link.
  const former = new Set([
    ...identity.emails.filter((e) => !e.current).map((e) => `email:${e.value}`),
    ...identity.phones.filter((p) => !p.current).map((p) => `phone:${p.value}`),
  ]);
  const links: IdentityLinkExplanation[] = [];
  for (const [key, entry] of byKey) {
    if (entry.sources.size < 2 && entry.records.size < 2) continue;
    const colon = key.indexOf(':');
    links.push({
      kind: key.slice(0, colon),
      value: key.slice(colon + 1),
      records: uniqueSorted(entry.records).slice(0, maxRecords),
      sources: uniqueSorted(entry.sources),
      current: !former.has(key),
    });
  }
  links.sort(
    (x, y) => y.sources.length - x.sources.length || (x.kind + x.value < y.kind + y.value ? -1 : 1),
  );

  const a = identity.address;
  // The shown postal code is standardized already: valid when it has its country's form.
  const addressValid = Boolean(
    a?.street &&
    a.postalCode &&
    a.city &&
    a.country &&
    standardizePostalCode(a.postalCode, a.country)?.valid,
  );
  const name =
    identity.firstName && identity.lastName
      ? foldText(`${identity.firstName} ${identity.lastName}`)
      : null;
  const duplicateKeys: string[] = [];
  if (name && identity.birthDate) duplicateKeys.push(`nb:${name}|${identity.birthDate}`);
  if (name && a?.postalCode && a.street)
    duplicateKeys.push(
      `na:${name}|${normalizePostalCode(a.postalCode)}|${foldText(a.street).replace(/str(ase|asse)?(?=\s|$)/g, 'str')}`,
    );

  return {
    quality: {
      emailValid: identity.emails.some((e) => e.valid && e.current),
      phoneValid: identity.phones.some((p) => p.valid && p.current),
      addressValid,
      invalid: uniqueSorted(invalid),
      invalidSources: uniqueSorted(invalidSources),
      duplicateKeys,
    },
    links,
  };
}
