/**
 * Builds the Elasticsearch queries behind `GET /api/v1/customers/search` from
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
 *
 * Cheap first, because the answer must be there while the agent types
 * (bench:lookup): a search is a list of **tiers**, tried in order until one
 * finds someone. Tier 1 asks only for what was typed —
 * identifiers as keyword terms, every word exactly, the last one also as a
 * name prefix or (from 4 letters) as a name with a typo — which answers
 * almost every lookup. Only when nobody matches that way does tier 2 add what
 * is expensive: typos in every word (names and ticket text), one word in four
 * unmatched, and for a number-like input the free-text reading of it. Fuzzy
 * expansion was a large share of a text search's CPU, and the free-text
 * reading of a customer or order number most of that lookup's (figures in
 * bench/README.md). A word matched as typed
 * outranks the same word matched with a typo (3× the weight), so whoever
 * tier 1 finds is also first in tier 2; the exception — a last word that
 * starts some name but is a typo of the wanted one ("Richard Moer": Mert
 * Mordhorst by prefix, Richard Moser by typo) — is why tier 1 tries the last
 * word with a typo too.
 *
 * Among equals the more recently active customer ranks higher
 * (`distance_feature` on `lastSeenAt`, which skips efficiently) and the more
 * active one (0.5 × log10(1 + touchpoints), added to the score so it only
 * breaks near-ties) — the latter as a `rescore` of the top window
 * (`activityRescore`), not a `function_score` over every match.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  detectQueryKind,
  foldText,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
  normalizePostalCode,
  type QueryKind,
} from '../../../domain/src/normalize';

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

/** How many of the best hits the activity tie-break reorders (at least `from + size`). */
export const ACTIVITY_WINDOW = 50;

export interface SearchPlan {
  /** What the input looks like; `all` for an empty query (a browse by recency and activity). */
  kind: QueryKind | 'all';
  /** Queries to try in order: the first that finds anyone answers. */
  tiers: estypes.QueryDslQueryContainer[];
}

/**
 * The tiers for `q` under the facet filters.
 *
 * @example planSearch('K-100234', {}).tiers.length // 2: the number as a keyword, then as text
 */
export function planSearch(q: string, filters: Partial<Record<FacetName, string[]>>): SearchPlan {
  const filter: estypes.QueryDslQueryContainer[] = Object.entries(filters)
    .filter(([, values]) => values && values.length > 0)
    .map(([facet, values]) => ({
      terms: { [facetFields[facet as FacetName]]: values as string[] },
    }));
  const text = q.trim();
  // A browse without words: every match is scored anyway (and facets count them all), so the activity
  // tie-break applies to all of them, not only to a window.
  if (!text) return { kind: 'all', tiers: [activity({ bool: { filter, should: [recency()] } })] };
  const kind = detectQueryKind(text);
  return {
    kind,
    tiers: matchTiers(text, kind).map((clause) => ({
      bool: { filter, must: [clause], should: [recency()] },
    })),
  };
}

/**
 * Adds 0.5 × log10(1 + touchpoints) to the score of the best `windowSize`
 * hits: a tie-breaker, never enough to beat an identifier. Rescoring a window
 * costs the same however many customers match a short prefix.
 */
export function activityRescore(windowSize: number): estypes.SearchRescore {
  return {
    window_size: windowSize,
    query: {
      rescore_query: { function_score: { functions: [activityFunction], boost_mode: 'replace' } },
      query_weight: 1,
      rescore_query_weight: 1,
      score_mode: 'total',
    },
  };
}

const activityFunction: estypes.QueryDslFunctionScoreContainer = {
  field_value_factor: { field: 'kpis.touchpointCount', modifier: 'log1p', missing: 0 },
  weight: 0.5,
};

/** The same tie-break over every match, for a browse without words. */
function activity(query: estypes.QueryDslQueryContainer): estypes.QueryDslQueryContainer {
  return {
    function_score: { query, functions: [activityFunction], score_mode: 'sum', boost_mode: 'sum' },
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

/** The match clause of each tier for the input's kind. */
function matchTiers(q: string, kind: QueryKind): estypes.QueryDslQueryContainer[] {
  const words = foldText(q).split(' ').filter(Boolean);
  const typed = typedLengths(q, words);
  const tiers: estypes.QueryDslQueryContainer[][] = [];
  if (kind === 'email') {
    const email = normalizeEmail(q);
    if (email) tiers.push([{ term: { 'search.emails': { value: email.value, boost: EXACT } } }]);
    tiers.push([
      {
        match: {
          'search.emailText': { query: foldText(q.replace(/[@._-]/g, ' ')), operator: 'and' },
        },
      },
    ]);
  }
  if (kind === 'phone') {
    const tier: estypes.QueryDslQueryContainer[] = [];
    const digits = q.replace(/\D/g, '');
    const phone = normalizePhone(q, 'DE');
    if (phone?.valid)
      tier.push({ term: { 'search.phones': { value: phone.value, boost: EXACT } } });
    // The last digits, as agents often hear or type them.
    const suffix = digits.slice(-10);
    if (suffix.length >= 4)
      tier.push({ term: { 'search.phoneSuffixes': { value: suffix, boost: EXACT / 2 } } });
    // The start of a number while it is still being typed (a short number can already look "possible").
    const prefix = phonePrefix(q);
    if (prefix) tier.push({ prefix: { 'search.phones': { value: prefix, boost: EXACT / 4 } } });
    tier.push({ term: { 'search.numbers': { value: normalizeNumber(q), boost: EXACT } } });
    tier.push({ term: { 'search.postalCodes': { value: normalizePostalCode(q), boost: 2 } } });
    tiers.push(tier);
  }
  if (kind === 'number') {
    // A customer, order, tracking, ticket or contract number — or a postal code written without its space ("SW1A1AA").
    tiers.push([
      { term: { 'search.numbers': { value: normalizeNumber(q), boost: EXACT } } },
      { term: { 'search.postalCodes': { value: normalizePostalCode(q), boost: 2 } } },
    ]);
    // Nobody holds it: read it as words ("Hauptstr.12", "Anna2").
    if (words.length > 0) tiers.push([textClause(words, typed, true)]);
  }
  if (kind === 'text' && words.length > 0) {
    tiers.push([textClause(words, typed, false)]);
    tiers.push([textClause(words, typed, true)]);
  }
  // Input that folds to nothing searchable (`*:*`, `/.*/`, lone surrogates) matches no one (found by tests/integration/fuzz.test.ts).
  if (tiers.length === 0) return [{ match_none: {} }];
  return tiers.map((alternatives) =>
    alternatives.length === 1 ? alternatives[0] : { dis_max: { queries: alternatives } },
  );
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

/**
 * Every word must match (exactly; the last also as a name prefix, since it is
 * usually still being typed, or from 4 letters as a name with a typo) a name,
 * city, postal code, street, ticket subject or product name, or a word of an
 * email address. `tolerant` allows typos in every word (names and subject
 * words) and lets one word in four go unmatched.
 */
function textClause(
  words: string[],
  typed: number[] | null,
  tolerant: boolean,
): estypes.QueryDslQueryContainer {
  const perWord = words.map((word, i) => {
    const last = i === words.length - 1;
    const queries: estypes.QueryDslQueryContainer[] = [
      { term: { 'search.names': { value: word, boost: 3 } } },
      { match: { 'search.cities': { query: word, boost: 1.5 } } },
      { term: { 'search.postalCodes': { value: normalizePostalCode(word), boost: 2 } } },
      { match: { 'search.streets': { query: word, boost: 1 } } },
      { match: { 'search.text': { query: word, boost: 0.6 } } },
      { match: { 'search.emailText': { query: word, boost: 0.8 } } },
    ];
    // Folding can turn one typo into two edits ("Gaduer" → `gadur` vs `gauder`, "Hoer" → `hor` vs `hofer`):
    // allow 2 from 5 letters on, or from 4 typed letters when folding shortened the word; 1 from 3 letters.
    const shortened = typed !== null && typed[i] > word.length;
    const fuzziness = word.length >= 5 || (shortened && (typed?.[i] ?? 0) >= 4) ? 2 : 'AUTO';
    // prefix_length 1: a typo in the first letter is rare, and it spares walking the whole term dictionary.
    const fuzzyName = {
      match: { 'search.names': { query: word, fuzziness, prefix_length: 1, boost: 1 } },
    };
    if (tolerant) {
      queries.push(fuzzyName);
      if (word.length >= 5)
        queries.push({
          match: {
            'search.text': { query: word, fuzziness: 'AUTO', prefix_length: 1, boost: 0.6 },
          },
        });
    } else if (last && (typed?.[i] ?? word.length) >= 4) {
      // The last word may be a typo rather than a start: its prefix matches score a constant 2, a fuzzy
      // name match up to 1 × BM25 — "Richard Moer" must find Richard Moser before Mert Mordhorst.
      queries.push(fuzzyName);
    }
    // Postal codes written in two parts ("SW1A 1AA", "HU5 9MB"): each part matches as the whole code.
    if (i > 0)
      queries.push({
        term: {
          'search.postalCodes': { value: normalizePostalCode(words[i - 1] + word), boost: 2 },
        },
      });
    if (!last)
      queries.push({
        term: {
          'search.postalCodes': { value: normalizePostalCode(word + words[i + 1]), boost: 2 },
        },
      });
    // While typing, the last word is usually incomplete: index_prefixes makes this fast.
    if (last) queries.push({ prefix: { 'search.names': { value: word, boost: 2 } } });
    return { dis_max: { queries } } satisfies estypes.QueryDslQueryContainer;
  });
  const required = !tolerant || words.length <= 2 ? words.length : Math.ceil(words.length * 0.75);
  return {
    bool: {
      must: [{ bool: { should: perWord, minimum_should_match: required } }],
      should: [{ match_phrase: { 'search.names': { query: words.join(' '), boost: 4 } } }],
    },
  };
}
