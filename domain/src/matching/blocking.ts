/**
 * Blocking keys: short strings two records share when they might be one
 * person, so candidate pairs come from an index lookup instead of comparing
 * every pair. Each key combines two or three fields, so one corrupted field
 * leaves the others' keys intact, and so a key's block stays small (a
 * surname alone would put every Müller in one block).
 *
 * Names enter as Kölner Phonetik codes (typos and spelling variants keep
 * them), first names by their canonical nickname form (Hans → Johannes).
 * Name keys are written for the first and the last name under one prefix,
 * so records with first and last name exchanged share them.
 */
import { canonicalFirstName } from './nicknames';
import { phoneticKey } from './phonetic';
import type { MatchRecord } from './types';

const maxKeys = 16;

function code(name: string | null): string | null {
  if (!name) return null;
  const c = phoneticKey(name).replace(/ /g, '');
  return c.length >= 2 ? c : null;
}

/**
 * The blocking keys of a record: at most 16, sorted, unique.
 *
 * - `nb:` name code + birth date (first and last name each);
 * - `nn:` first and last name codes, in sorted order;
 * - `np:` name code + postal code (first and last name each);
 * - `lp:` first three letters of the last name + postal code;
 * - `by:` birth date + postal code; `bs:` birth date + street code;
 * - `pa:` postal code + street code + house number;
 * - `em:` email local part; `ph:` last 7 digits of a phone.
 */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  const first = code(r.firstName ? canonicalFirstName(r.firstName) : null);
  const last = code(r.lastName);
  const street = code(r.street);
  const names = [first, last].filter((c): c is string => c !== null);
  for (const n of names) {
    if (r.birthDate) keys.add(`nb:${n}:${r.birthDate}`);
    if (r.postalCode) keys.add(`np:${n}:${r.postalCode}`);
  }
  if (first && last) keys.add(`nn:${[first, last].sort().join(':')}`);
  if (r.lastName && r.lastName.length >= 3 && r.postalCode)
    keys.add(`lp:${r.lastName.slice(0, 3)}:${r.postalCode}`);
  if (r.birthDate && r.postalCode) keys.add(`by:${r.birthDate}:${r.postalCode}`);
  if (r.birthDate && street) keys.add(`bs:${r.birthDate}:${street}`);
  if (r.postalCode && street && r.houseNumber)
    keys.add(`pa:${r.postalCode}:${street}:${r.houseNumber}`);
  for (const email of r.emails.slice(0, 2)) {
    const local = email.slice(0, email.indexOf('@') < 0 ? undefined : email.indexOf('@'));
    if (local.length >= 3) keys.add(`em:${local}`);
  }
  for (const phone of r.phones.slice(0, 2)) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length >= 7) keys.add(`ph:${digits.slice(-7)}`);
  }
  return [...keys].sort().slice(0, maxKeys);
}
