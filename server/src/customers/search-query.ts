/**
 * Builds the Elasticsearch query behind `GET /api/v1/customers/search` from
 * what an agent types. Only safe constructs (term, prefix, match with
 * fuzziness, dis_max, bool) — never query_string, scripts or regex.
 *
 * The kind of input decides the clauses (domain `detectQueryKind`):
 * - exact identifiers (email, phone in E.164, normalized numbers) are keyword
 *   terms with a boost far above any text score, so they win outright;
 * - phone fragments match the indexed last 4–10 digits;
 * - free text is folded like the index (umlauts, ae/oe/ue/ss) and each word
 *   must match a name (exactly, as a prefix while typing, or with a typo),
 *   a city, postal code, street, ticket subject or product name.
 * Among equals, the more active (log1p of the touchpoint count, added to the
 * score so it only breaks near-ties) and the more recently active customer
 * ranks higher. `function_score` with `field_value_factor` needs no scripts,
 * so it runs on the server core without modules.
 */
import type { estypes } from '@elastic/elasticsearch';
import { detectQueryKind, foldText, normalizeEmail, normalizeNumber, normalizePhone, normalizePostalCode } from '../../../domain/src/normalize';

export const facetFields = {
  segment: 'segment',
  status: 'status',
  city: 'address.city',
  country: 'address.country',
  language: 'language',
  channels: 'channels',
  products: 'products',
  tags: 'tags',
  sources: 'sources',
  segments: 'segments',
} as const;
export type FacetName = keyof typeof facetFields;

const EXACT = 100;

export function buildSearchQuery(q: string, filters: Partial<Record<FacetName, string[]>>): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = Object.entries(filters)
    .filter(([, values]) => values && values.length > 0)
    .map(([facet, values]) => ({ terms: { [facetFields[facet as FacetName]]: values as string[] } }));
  const text = q.trim();
  if (!text) return activity({ bool: { filter, should: [recency()] } });
  return activity({ bool: { filter, must: [matchClause(text)], should: [recency()] } });
}

/** Adds up to ~0.5 × log10(1 + touchpoints) to the score: a tie-breaker, never enough to beat an identifier. */
function activity(query: estypes.QueryDslQueryContainer): estypes.QueryDslQueryContainer {
  return {
    function_score: {
      query,
      functions: [{ field_value_factor: { field: 'kpis.touchpointCount', modifier: 'log1p', missing: 0 }, weight: 0.5 }],
      score_mode: 'sum',
      boost_mode: 'sum',
    },
  };
}

/**
 * What the agent typed so far of a phone number, as the start of the stored
 * E.164 form: `0170 34` → `+4917034`, `0049 170` → `+49170`, `+49 170` →
 * `+49170`. Null when it cannot be the start of a number (too short, or not
 * in one of these writings).
 */
export function phonePrefix(q: string, countryCode = '49'): string | null {
  const trimmed = q.trim();
  const digits = trimmed.replace(/\D/g, '');
  let e164: string | null = null;
  if (trimmed.startsWith('+')) e164 = `+${digits}`;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (digits.startsWith('0')) e164 = `+${countryCode}${digits.slice(1)}`;
  return e164 && e164.length >= 7 ? e164 : null;
}

function recency(): estypes.QueryDslQueryContainer {
  return { distance_feature: { field: 'lastSeenAt', origin: 'now', pivot: '90d', boost: 0.5 } };
}

function matchClause(q: string): estypes.QueryDslQueryContainer {
  const kind = detectQueryKind(q);
  const alternatives: estypes.QueryDslQueryContainer[] = [];
  if (kind === 'email') {
    const email = normalizeEmail(q);
    if (email) alternatives.push({ term: { 'search.emails': { value: email.value, boost: EXACT } } });
    alternatives.push({ match: { 'search.emailText': { query: foldText(q.replace(/[@._-]/g, ' ')), operator: 'and' } } });
  }
  if (kind === 'phone') {
    const digits = q.replace(/\D/g, '');
    const phone = normalizePhone(q, 'DE');
    if (phone?.valid) alternatives.push({ term: { 'search.phones': { value: phone.value, boost: EXACT } } });
    // The last digits, as agents often hear or type them.
    const suffix = digits.slice(-10);
    if (suffix.length >= 4) alternatives.push({ term: { 'search.phoneSuffixes': { value: suffix, boost: EXACT / 2 } } });
    // The start of a number while it is still being typed (a short number can already look "possible").
    const prefix = phonePrefix(q);
    if (prefix) alternatives.push({ prefix: { 'search.phones': { value: prefix, boost: EXACT / 4 } } });
    alternatives.push({ term: { 'search.numbers': { value: normalizeNumber(q), boost: EXACT } } });
    alternatives.push({ term: { 'search.postalCodes': { value: normalizePostalCode(q), boost: 2 } } });
  }
  if (kind === 'number') {
    alternatives.push({ term: { 'search.numbers': { value: normalizeNumber(q), boost: EXACT } } });
  }
  if (kind === 'text' || kind === 'number') {
    const words = foldText(q).split(' ').filter(Boolean);
    if (words.length > 0) alternatives.push(textClause(words, typedLengths(q, words)));
  }
  // Input that folds to nothing searchable (`*:*`, `/.*/`, lone surrogates) matches no one (found by tests/integration/fuzz.test.ts).
  if (alternatives.length === 0) return { match_none: {} };
  return alternatives.length === 1 ? alternatives[0] : { dis_max: { queries: alternatives } };
}

/**
 * How long each folded word was as typed, or null when the words cannot be
 * paired up. Folding shortens words ("Hoer" → `hor`), and a typo in a word
 * that folding shortened is often two edits away in folded form.
 */
function typedLengths(q: string, words: string[]): number[] | null {
  const typed = q.split(/[^\p{L}\p{N}]+/u).filter((t) => foldText(t).length > 0);
  if (typed.length !== words.length || typed.some((t, i) => foldText(t) !== words[i])) return null;
  return typed.map((t) => t.length);
}

function textClause(words: string[], typed: number[] | null = null): estypes.QueryDslQueryContainer {
  const perWord = words.map((word, i) => {
    const last = i === words.length - 1;
    // Folding can turn one typo into two edits ("Gaduer" → `gadur` vs `gauder`, "Hoer" → `hor` vs `hofer`):
    // allow 2 from 5 letters on, or from 4 typed letters when folding shortened the word.
    const shortened = typed !== null && typed[i] > word.length;
    const fuzziness = word.length >= 5 || (shortened && (typed?.[i] ?? 0) >= 4) ? 2 : 'AUTO';
    const queries: estypes.QueryDslQueryContainer[] = [
      { term: { 'search.names': { value: word, boost: 3 } } },
      { match: { 'search.names': { query: word, fuzziness, prefix_length: 1, boost: 1 } } },
      { match: { 'search.cities': { query: word, boost: 1.5 } } },
      { term: { 'search.postalCodes': { value: normalizePostalCode(word), boost: 2 } } },
      { match: { 'search.streets': { query: word, boost: 1 } } },
      { match: { 'search.text': { query: word, fuzziness: word.length > 4 ? 'AUTO' : 0, boost: 0.6 } } },
      { match: { 'search.emailText': { query: word, boost: 0.8 } } },
    ];
    // Postal codes written in two parts ("SW1A 1AA", "HU5 9MB"): each part matches as the whole code.
    if (i > 0) queries.push({ term: { 'search.postalCodes': { value: normalizePostalCode(words[i - 1] + word), boost: 2 } } });
    if (!last) queries.push({ term: { 'search.postalCodes': { value: normalizePostalCode(word + words[i + 1]), boost: 2 } } });
    // While typing, the last word is usually incomplete: index_prefixes makes this fast.
    if (last) queries.push({ prefix: { 'search.names': { value: word, boost: 2 } } });
    return { dis_max: { queries } } satisfies estypes.QueryDslQueryContainer;
  });
  return {
    bool: {
      must: [{ bool: { should: perWord, minimum_should_match: words.length <= 2 ? words.length : Math.ceil(words.length * 0.75) } }],
      should: [{ match_phrase: { 'search.names': { query: words.join(' '), boost: 4 } } }],
    },
  };
}

/**
 * The highlight for a query, with a cheap `highlight_query`: the same words
 * as exact terms, the last one also as a name prefix, but no fuzzy
 * expansions. Highlighting the real query re-runs every fuzzy and prefix
 * expansion per hit and cost ~10× the search itself (bench/lookup); so a word
 * matched only through a typo is not marked, everything else is.
 */
export function searchHighlightFor(q: string): estypes.SearchHighlight {
  const text = q.trim();
  const kind = detectQueryKind(text);
  if (kind !== 'text') return { ...searchHighlight, highlight_query: matchClause(text) };
  const words = foldText(text).split(' ').filter(Boolean);
  const should: estypes.QueryDslQueryContainer[] = words.flatMap((word, i) => {
    const clauses: estypes.QueryDslQueryContainer[] = [
      { term: { 'search.names': word } },
      { match: { 'search.cities': word } },
      { term: { 'search.postalCodes': normalizePostalCode(word) } },
      { match: { 'search.streets': word } },
      { match: { 'search.text': word } },
    ];
    if (i > 0) clauses.push({ term: { 'search.postalCodes': normalizePostalCode(words[i - 1] + word) } });
    if (i < words.length - 1) clauses.push({ term: { 'search.postalCodes': normalizePostalCode(word + words[i + 1]) } });
    // Not `prefix`: on an index_prefixes field it becomes a term on a hidden field the highlighter cannot mark.
    // Folded words hold only letters and digits, so nothing in `word` is a wildcard.
    else clauses.push({ wildcard: { 'search.names': { value: `${word}*` } } });
    return clauses;
  });
  return { ...searchHighlight, highlight_query: { bool: { should } } };
}

export const searchHighlight: estypes.SearchHighlight = {
  pre_tags: ['<mark>'],
  post_tags: ['</mark>'],
  require_field_match: true,
  fields: {
    'search.names': { number_of_fragments: 3 },
    'search.emails': {},
    'search.phones': {},
    'search.phoneSuffixes': {},
    'search.numbers': {},
    'search.cities': {},
    'search.postalCodes': {},
    'search.streets': {},
    'search.text': { number_of_fragments: 2, fragment_size: 80 },
  },
};

/** Highlight keys as people read them. */
export const highlightLabels: Record<string, string> = {
  'search.names': 'name',
  'search.emails': 'email',
  'search.phones': 'phone',
  'search.phoneSuffixes': 'phone',
  'search.numbers': 'number',
  'search.cities': 'city',
  'search.postalCodes': 'postalCode',
  'search.streets': 'street',
  'search.text': 'text',
};
