/**
 * Why a search hit matched, marked in the hit's own search keys — computed
 * here from the keys Elasticsearch returns with the hit, not by its
 * highlighter. The highlight phase is a fixed cost per request in
 * Elasticsearch, whatever the fields, and it cost more CPU than a tier-1
 * lookup itself (bench:lookup; figures in bench/README.md); marking ten short
 * lists of folded words here costs next to nothing.
 *
 * What is marked is what the tier-1 query matches: a folded word that equals
 * a word of a name, city, street or ticket subject/product text, the last
 * word also as the start of a name word (typeahead), postal codes (also
 * written in two parts), and for identifiers the keyword that matched
 * (email, E.164 phone or its start, the last digits, a normalized number).
 * A word matched only through a typo is not marked (as before).
 *
 * Output as Elasticsearch's unified highlighter gave it: fragments of the
 * stored (folded) value with each matching token in `<mark>…</mark>`, keyed by
 * the labels people read (`name`, `email`, `phone`, `number`, `city`,
 * `postalCode`, `street`, `text`). The fragments are not escaped: names,
 * cities, streets and text are folded to letters and digits, but an email is
 * kept as sent and may hold `<`. The UI renders a fragment's parts as plain
 * text, splitting only on the mark tags (web `highlighted-text.tsx`).
 */
import type { ProfileSearchKeys } from '../../../domain/src/profile';
import {
  foldText,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
  normalizePostalCode,
  type QueryKind,
} from '../../../domain/src/normalize';
import { phonePrefix } from './search-query';

export type HighlightKeys = Partial<Omit<ProfileSearchKeys, 'emailText'>>;

/** The search keys the hits of a query's tier (0 = the first) must bring for `highlightHit`. */
export function highlightSourceFields(kind: QueryKind | 'all', tier: number): string[] {
  switch (kind) {
    case 'all':
      return [];
    case 'email':
      return ['search.emails'];
    case 'phone':
      return ['search.phones', 'search.phoneSuffixes', 'search.numbers', 'search.postalCodes'];
    case 'number':
      // Tier 1 is the number as a keyword; tier 2 reads it as words.
      return tier === 0 ? ['search.numbers', 'search.postalCodes'] : textFields;
    case 'text':
      return textFields;
  }
}

const textFields = [
  'search.names',
  'search.cities',
  'search.postalCodes',
  'search.streets',
  'search.text',
];

const MAX_NAME_FRAGMENTS = 3;
const MAX_TEXT_FRAGMENTS = 2;
const TEXT_FRAGMENT_CHARS = 80;

export function highlightHit(
  q: string,
  kind: QueryKind | 'all',
  keys: HighlightKeys | undefined,
): Record<string, string[]> {
  const text = q.trim();
  const out: Record<string, string[]> = {};
  if (!keys || kind === 'all' || !text) return out;
  const add = (label: string, fragments: string[]) => {
    if (fragments.length > 0) out[label] = [...(out[label] ?? []), ...fragments];
  };
  if (kind === 'email') {
    const email = normalizeEmail(text)?.value;
    add(
      'email',
      wholeValues(keys.emails, (v) => v === email),
    );
    return out;
  }
  if (kind === 'phone') {
    const digits = text.replace(/\D/g, '');
    const phone = normalizePhone(text, 'DE');
    const prefix = phonePrefix(text);
    add(
      'phone',
      wholeValues(
        keys.phones,
        (v) =>
          (phone?.valid === true && v === phone.value) || (prefix !== null && v.startsWith(prefix)),
      ),
    );
    const suffix = digits.slice(-10);
    add(
      'phone',
      wholeValues(keys.phoneSuffixes, (v) => suffix.length >= 4 && v === suffix),
    );
    const number = normalizeNumber(text);
    add(
      'number',
      wholeValues(keys.numbers, (v) => v === number),
    );
    const postal = normalizePostalCode(text);
    add(
      'postalCode',
      wholeValues(keys.postalCodes, (v) => v === postal),
    );
    return out;
  }
  if (kind === 'number') {
    const number = normalizeNumber(text);
    add(
      'number',
      wholeValues(keys.numbers, (v) => v === number),
    );
    add(
      'postalCode',
      wholeValues(keys.postalCodes, (v) => v === number),
    );
    if (out.number || out.postalCode) return out;
  }
  const words = foldText(text).split(' ').filter(Boolean);
  if (words.length === 0) return out;
  const exact = new Set(words);
  const last = words[words.length - 1];
  const postal = new Set(words.map((w) => normalizePostalCode(w)));
  for (let i = 1; i < words.length; i++) postal.add(normalizePostalCode(words[i - 1] + words[i]));
  add(
    'name',
    markTokens(keys.names, (t) => exact.has(t) || t.startsWith(last)).slice(0, MAX_NAME_FRAGMENTS),
  );
  add(
    'city',
    markTokens(keys.cities, (t) => exact.has(t)),
  );
  add(
    'postalCode',
    wholeValues(keys.postalCodes, (v) => postal.has(v)),
  );
  add(
    'street',
    markTokens(keys.streets, (t) => exact.has(t)),
  );
  add(
    'text',
    textFragments(keys.text, (t) => exact.has(t)),
  );
  return out;
}

function wholeValues(values: string[] | undefined, matches: (value: string) => boolean): string[] {
  return (values ?? []).filter(matches).map((v) => `<mark>${v}</mark>`);
}

/** Tokens as the standard analyzer cuts folded text: runs of letters and digits. */
const token = /[\p{L}\p{N}]+/gu;

function mark(value: string, matches: (token: string) => boolean): string | null {
  let any = false;
  const marked = value.replace(token, (t) => {
    if (!matches(t.toLowerCase())) return t;
    any = true;
    return `<mark>${t}</mark>`;
  });
  return any ? marked : null;
}

function markTokens(values: string[] | undefined, matches: (token: string) => boolean): string[] {
  const fragments: string[] = [];
  for (const value of values ?? []) {
    const marked = mark(value, matches);
    if (marked) fragments.push(marked);
  }
  return fragments;
}

/** Up to two windows of ~80 characters around matching words of the (long) ticket-subject and product text. */
function textFragments(text: string | undefined, matches: (token: string) => boolean): string[] {
  if (!text) return [];
  const fragments: string[] = [];
  let coveredUpTo = 0;
  for (const m of text.matchAll(token)) {
    if (fragments.length >= MAX_TEXT_FRAGMENTS) break;
    const at = m.index ?? 0;
    if (at < coveredUpTo || !matches(m[0].toLowerCase())) continue;
    const start = wordStart(text, Math.max(0, at - Math.floor(TEXT_FRAGMENT_CHARS / 4)));
    const end = wordEnd(text, Math.min(text.length, start + TEXT_FRAGMENT_CHARS));
    fragments.push(mark(text.slice(start, end), matches) ?? text.slice(start, end));
    coveredUpTo = end;
  }
  return fragments;
}

function wordStart(text: string, at: number): number {
  if (at === 0) return 0;
  const space = text.indexOf(' ', at);
  return space === -1 ? at : space + 1;
}

function wordEnd(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const space = text.indexOf(' ', at);
  return space === -1 ? text.length : space;
}
