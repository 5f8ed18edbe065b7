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
 * - `bi:` birth date + both initials (in sorted order);
 * - `nn:` first and last name codes, in sorted order;
 * - `np:` name code + postal code (first and last name each);
 * - `ns:` name code + street code + first two letters of the city (first
 *   and last name each);
 * - `lp:` first three letters of the last name + postal code;
 * - `by:` birth date + postal code; `bs:` birth date + street code;
 * - `pa:` postal code + street code + house number;
 * - `em:` local part of the first email; `ph:` last 7 digits of the first
 *   phone (exact emails and phones already link deterministically; these
 *   catch other domains and other writings of a number).
 */
export function blockingKeys(r: MatchRecord): string[] {
  // In order of worth: when a record has more than 16, the last go.
  const keys: string[] = [];
  const first = code(r.firstName ? canonicalFirstName(r.firstName) : null);
  const last = code(r.lastName);
  const street = code(r.street);
  const names = [first, last].filter((c): c is string => c !== null);
  const sorted = (x: string, y: string) => (x < y ? `${x}:${y}` : `${y}:${x}`);
  if (r.birthDate) for (const n of names) keys.push(`nb:${n}:${r.birthDate}`);
  if (first && last) keys.push(`nn:${sorted(first, last)}`);
  if (r.postalCode && street && r.houseNumber)
    keys.push(`pa:${r.postalCode}:${street}:${r.houseNumber}`);
  if (r.birthDate && r.postalCode) keys.push(`by:${r.birthDate}:${r.postalCode}`);
  if (r.birthDate && r.firstName && r.lastName)
    keys.push(`bi:${r.birthDate}:${sorted(r.firstName[0], r.lastName[0])}`);
  if (r.postalCode) for (const n of names) keys.push(`np:${n}:${r.postalCode}`);
  // Scoped by the city's first letters: every other town has a Hauptstraße.
  if (street) for (const n of names) keys.push(`ns:${n}:${street}:${r.city?.slice(0, 2) ?? ''}`);
  if (r.birthDate && street) keys.push(`bs:${r.birthDate}:${street}`);
  if (r.lastName && r.lastName.length >= 3 && r.postalCode)
    keys.push(`lp:${r.lastName.slice(0, 3)}:${r.postalCode}`);
  const email = r.emails[0];
  if (email) {
    const at = email.indexOf('@');
    const local = at < 0 ? email : email.slice(0, at);
    if (local.length >= 3) keys.push(`em:${local}`);
  }
  const digits = r.phones[0]?.replace(/\D/g, '') ?? '';
  if (digits.length >= 7) keys.push(`ph:${digits.slice(-7)}`);
  return [...new Set(keys.slice(0, maxKeys))].sort();
}
