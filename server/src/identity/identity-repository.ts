/**
 * Read side of identity review: the steward's queue of suspected duplicates
 * (the pair store, store/src/matching/match-pairs.ts: what probabilistic
 * matching proposed, with its explanation), the labels of decided pairs, and
 * the data-quality figures.
 */
import type { estypes } from '@elastic/elasticsearch';
import type {
  DataQualityAnswer,
  IdentityAction,
  DuplicateLabel,
  DuplicatesPage,
  DuplicateSide,
  DuplicateStatus,
  SuspectedDuplicate,
} from '../../../domain/src/api';
import type { CustomerDocument } from '../../../domain/src/profile';
import { matchThresholdDefaults } from '../../../infra/src/config';
import { scan } from '../../../infra/src/scan';
import { resolveRedirects } from '../../../store/src/identity/identity-links';
import { mergedFamilies } from '../../../store/src/identity/not-same-marks';
import {
  cityKey,
  closePairs,
  storedPairOf,
  type StoredPair,
} from '../../../store/src/matching/match-pairs';
import { AppError } from '../errors';
import { storeContext, type ServerContext } from '../context';

const sideFields = [
  'id',
  'name',
  'birthDate',
  'address',
  'emails',
  'phones',
  'sources',
  'customerNumbers',
];

function side(id: string, doc: Partial<CustomerDocument> | undefined): DuplicateSide {
  return {
    id,
    name: doc?.name ?? '',
    birthDate: doc?.birthDate ?? null,
    city: doc?.address?.city ?? null,
    street: doc?.address?.street ?? null,
    email: doc?.emails?.[0]?.value ?? null,
    phone: doc?.phones?.[0]?.value ?? null,
    sources: doc?.sources ?? [],
  };
}

/** How the queue is ordered: `score` highest first (the default), `-score` lowest first (the borderline ones), `newest` first. */
export type DuplicatesSort = 'score' | '-score' | 'newest';

export interface DuplicatesQuery {
  size: number;
  /** The `next` of the page before, for the same sort. */
  after?: string;
  status: DuplicateStatus;
  minScore?: number;
  maxScore?: number;
  /** Pairs where either side has records from this source. */
  source?: string;
  /** Pairs where either side lives in this city (folded: `München` finds `Muenchen`). */
  city?: string;
  sort: DuplicatesSort;
}

// pairId last: unique, so search_after never skips or repeats a pair that ties on the first key.
const sorts: Record<DuplicatesSort, estypes.SortCombinations[]> = {
  score: [{ probability: 'desc' }, { pairId: 'asc' }],
  '-score': [{ probability: 'asc' }, { pairId: 'asc' }],
  newest: [{ createdAt: 'desc' }, { pairId: 'asc' }],
};

/**
 * The opaque cursor of a page: the sort it belongs to and the last pair's
 * sort values, base64url JSON. A cursor of another sort, or anything that is
 * not one, is refused.
 */
function cursorOf(sort: DuplicatesSort, values: estypes.SortResults): string {
  return Buffer.from(JSON.stringify({ s: sort, k: values })).toString('base64url');
}

function searchAfterOf(sort: DuplicatesSort, cursor: string): estypes.SortResults {
  const refuse = (why: string) =>
    new AppError(400, 'invalid_request', `after is not a cursor of this list: ${why}.`, [
      { path: 'after', message: why },
    ]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('pass the `next` of the page before, unchanged');
  }
  const { s, k } = (decoded ?? {}) as { s?: unknown; k?: unknown };
  if (typeof s !== 'string' || !Array.isArray(k) || k.length !== 2)
    throw refuse('pass the `next` of the page before, unchanged');
  if (s !== sort) throw refuse(`it continues sort=${s}, not sort=${sort}`);
  const [first, pairId] = k as unknown[];
  if (typeof first !== 'number' || typeof pairId !== 'string')
    throw refuse('pass the `next` of the page before, unchanged');
  return [first, pairId];
}

function pairFilter(query: Omit<DuplicatesQuery, 'size' | 'after' | 'sort'>) {
  const filter: estypes.QueryDslQueryContainer[] = [{ term: { status: query.status } }];
  if (query.minScore !== undefined || query.maxScore !== undefined)
    filter.push({
      range: {
        probability: {
          ...(query.minScore !== undefined ? { gte: query.minScore } : {}),
          ...(query.maxScore !== undefined ? { lte: query.maxScore } : {}),
        },
      },
    });
  if (query.source) filter.push({ term: { sources: query.source } });
  if (query.city) filter.push({ term: { cityKeys: cityKey(query.city) } });
  return { bool: { filter } };
}

/**
 * Why the pair is listed: the reasons of the exact keys of before (`same name
 * and birth date`, `same name and address`, which clients may show or test),
 * then the fields that weigh for the match, strongest first: `lastName: exact`.
 */
function reasonsOf(pair: StoredPair): string[] {
  const exact = (field: string) =>
    pair.fields.some((f) => f.field === field && f.level === 'exact');
  const sameName = exact('firstName') && exact('lastName');
  const keys = [
    ...(sameName && exact('birthDate') ? ['same name and birth date'] : []),
    ...(sameName && exact('street') && exact('postalCode') ? ['same name and address'] : []),
  ];
  return [
    ...keys,
    ...pair.fields
      .filter((f) => f.weight > 0)
      .sort((x, y) => y.weight - x.weight)
      .map((f) => `${f.field}: ${f.level}`),
  ];
}

/**
 * One page of the steward's queue, with the exact total for the filter. Both
 * sides come from their profiles as they are now. An open pair whose side
 * was merged into another customer since it was proposed is closed when a
 * page meets it and left out (the engine proposes the survivor anew).
 */
export async function suspectedDuplicates(
  ctx: ServerContext,
  query: DuplicatesQuery,
): Promise<DuplicatesPage> {
  const searchAfter = query.after ? searchAfterOf(query.sort, query.after) : undefined;
  const answer = await ctx.es.search<StoredPair>({
    index: ctx.names.matchPairs,
    // One more than asked: whether a next page exists, without an empty last page.
    size: query.size + 1,
    query: pairFilter(query),
    sort: sorts[query.sort],
    track_total_hits: true,
    ...(searchAfter ? { search_after: searchAfter } : {}),
  });
  const hits = answer.hits.hits;
  const page = hits.slice(0, query.size);
  const last = page[page.length - 1];
  const next = hits.length > query.size && last?.sort ? cursorOf(query.sort, last.sort) : null;
  const total =
    typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
  const pairs = page.flatMap((h) => (h._source ? [storedPairOf(h._source)] : []));
  const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const [profiles, survivors] = await Promise.all([
    ids.length > 0
      ? ctx.es.mget<Partial<CustomerDocument>>({
          index: ctx.names.customers,
          ids,
          _source: sideFields,
        })
      : Promise.resolve({ docs: [] }),
    resolveRedirects(storeContext(ctx), ids),
  ]);
  const profileOf = new Map<string, Partial<CustomerDocument>>();
  for (const d of profiles.docs)
    if ('found' in d && d.found && d._source) profileOf.set(d._id, d._source);
  const mergedAway = (id: string) => (survivors.get(id) ?? id) !== id;
  const stale = pairs.filter((p) => p.status === 'open' && (mergedAway(p.a) || mergedAway(p.b)));
  if (stale.length > 0)
    await closePairs(
      storeContext(ctx),
      stale.map((p) => p.pairId),
    );
  const items = pairs
    .filter((p) => !stale.includes(p))
    .map((p): SuspectedDuplicate => ({
      pairId: p.pairId,
      a: side(p.a, profileOf.get(p.a)),
      b: side(p.b, profileOf.get(p.b)),
      reasons: reasonsOf(p),
      score: p.probability,
      weight: p.weight,
      status: p.status,
      fields: p.fields,
      modelVersion: p.modelVersion,
      createdAt: p.createdAt,
      decidedBy: p.decidedBy,
      decidedAt: p.decidedAt,
    }));
  return {
    items,
    total: total - stale.length,
    next,
    thresholds: ctx.matchThresholds ?? matchThresholdDefaults,
  };
}

/** A decided pair as a label: ids, decision, score and levels, never the compared values. */
export function labelOf(pair: StoredPair): DuplicateLabel {
  return {
    pairId: pair.pairId,
    a: pair.a,
    b: pair.b,
    label: pair.status === 'merged' ? 'match' : 'non-match',
    decidedBy: pair.decidedBy,
    decidedAt: pair.decidedAt,
    score: pair.probability,
    weight: pair.weight,
    modelVersion: pair.modelVersion,
    levels: Object.fromEntries(pair.fields.map((f) => [f.field, f.level])),
  };
}

/** Every merged or rejected pair, oldest decision first, a page at a time. */
export async function* decidedPairs(ctx: ServerContext): AsyncGenerator<DuplicateLabel[]> {
  for await (const hits of scan<StoredPair>(ctx.es, {
    index: ctx.names.matchPairs,
    query: { terms: { status: ['merged', 'rejected'] } },
    sort: [{ decidedAt: 'asc' }, { pairId: 'asc' }],
    // The explanation's values are names and contacts: never read for a label.
    _source: { excludes: ['fields.a', 'fields.b', 'fields.note'] },
    size: 1_000,
  })) {
    yield hits.flatMap((h) => (h._source ? [labelOf(storedPairOf(h._source))] : []));
  }
}

/** How many pairs match the labels export. */
export async function countDecidedPairs(ctx: ServerContext): Promise<number> {
  const answer = await ctx.es.count({
    index: ctx.names.matchPairs,
    query: { terms: { status: ['merged', 'rejected'] } },
  });
  return answer.count;
}

const trendDays = 30;

/** Open pairs, and per UTC day of the last 30: pairs opened, merged and rejected. */
async function duplicateFigures(
  ctx: ServerContext,
  now = new Date(),
): Promise<{ open: number; trend: NonNullable<DataQualityAnswer['duplicatesTrend']> }> {
  const today = now.toISOString().slice(0, 10);
  const first = new Date(Date.parse(today) - (trendDays - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const perDay = (field: string) => ({
    date_histogram: {
      field,
      calendar_interval: 'day' as const,
      format: 'yyyy-MM-dd',
      min_doc_count: 0,
      extended_bounds: { min: first, max: today },
    },
  });
  const since = (field: string) => ({ range: { [field]: { gte: first, format: 'yyyy-MM-dd' } } });
  const answer = await ctx.es.search({
    index: ctx.names.matchPairs,
    size: 0,
    aggs: {
      open: { filter: { term: { status: 'open' } } },
      opened: { filter: since('createdAt'), aggs: { days: perDay('createdAt') } },
      merged: {
        filter: { bool: { filter: [{ term: { status: 'merged' } }, since('decidedAt')] } },
        aggs: { days: perDay('decidedAt') },
      },
      rejected: {
        filter: { bool: { filter: [{ term: { status: 'rejected' } }, since('decidedAt')] } },
        aggs: { days: perDay('decidedAt') },
      },
    },
  });
  type Days = {
    doc_count: number;
    days?: { buckets: { key_as_string?: string; doc_count: number }[] };
  };
  const aggs = answer.aggregations as Record<'open' | 'opened' | 'merged' | 'rejected', Days>;
  const counts = (name: 'opened' | 'merged' | 'rejected') =>
    new Map((aggs[name].days?.buckets ?? []).map((b) => [b.key_as_string ?? '', b.doc_count]));
  const [opened, merged, rejected] = [counts('opened'), counts('merged'), counts('rejected')];
  const trend = Array.from({ length: trendDays }, (_, i) => {
    const day = new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10);
    return {
      day,
      opened: opened.get(day) ?? 0,
      merged: merged.get(day) ?? 0,
      rejected: rejected.get(day) ?? 0,
    };
  });
  return { open: aggs.open.doc_count, trend };
}

export async function dataQuality(ctx: ServerContext): Promise<DataQualityAnswer> {
  const share = (n: number, total: number) =>
    total === 0 ? 0 : Math.round((n / total) * 1000) / 1000;
  const answer = await ctx.es.search({
    index: ctx.names.customers,
    size: 0,
    track_total_hits: true,
    aggs: {
      emailValid: { filter: { term: { 'quality.emailValid': true } } },
      phoneValid: { filter: { term: { 'quality.phoneValid': true } } },
      addressValid: { filter: { term: { 'quality.addressValid': true } } },
      consent: { filter: { exists: { field: 'consentGranted' } } },
      bySource: { terms: { field: 'sources', size: 50 } },
      worstSources: { terms: { field: 'quality.invalidSources', size: 10 } },
      invalidKinds: { terms: { field: 'quality.invalid', size: 10 } },
    },
  });
  const total =
    typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
  const aggs = answer.aggregations as Record<
    string,
    { doc_count?: number; buckets?: { key: string; doc_count: number }[] }
  >;
  const count = (name: string) => aggs[name]?.doc_count ?? 0;
  const buckets = (name: string) =>
    (aggs[name]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  const bySource = buckets('bySource');
  const duplicates = await duplicateFigures(ctx);
  return {
    generatedAt: new Date().toISOString(),
    profiles: total,
    validEmailShare: share(count('emailValid'), total),
    validPhoneShare: share(count('phoneValid'), total),
    validAddressShare: share(count('addressValid'), total),
    consentCoverage: share(count('consent'), total),
    openSuspectedDuplicates: duplicates.open,
    profilesPerSource: bySource,
    worstSources: buckets('worstSources').map((b) => ({
      source: b.value,
      profilesWithInvalidValues: b.count,
      share: share(b.count, bySource.find((s) => s.value === b.value)?.count ?? 0),
    })),
    invalidValues: buckets('invalidKinds'),
    duplicatesTrend: duplicates.trend,
  };
}

/**
 * The identity actions on one customer, newest first: those made on it or on
 * an id merged into it since (the survivor of a merge, the customer split),
 * so a profile finds the merges that made it, automatic ones with their
 * explanation, however many actions came after.
 */
export async function actionsOn(
  ctx: ServerContext,
  customerId: string,
  size: number,
): Promise<IdentityAction[]> {
  const survivor =
    (await resolveRedirects(storeContext(ctx), [customerId])).get(customerId) ?? customerId;
  const family = (await mergedFamilies(storeContext(ctx), [survivor])).get(survivor) ?? [survivor];
  const page = await ctx.es.search<IdentityAction>({
    index: ctx.names.identities,
    size,
    query: {
      bool: {
        filter: [
          { term: { kind: 'action' } },
          { terms: { customerId: [...new Set([customerId, ...family])] } },
        ],
      },
    },
    sort: [{ createdAt: 'desc' }],
  });
  return page.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
}
