/**
 * Every Elasticsearch query behind the customer routes; returns plain view
 * objects, never raw hits.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { TimelineAnswer } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import type {
  CustomerDocument,
  FacetBucket,
  Profile,
  SearchAnswer,
} from '../../../domain/src/profile';
import { isNotFound } from '../../../infra/src/elasticsearch';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { searchTimeline } from './timeline-search';
import { highlightHit, highlightSourceFields } from './search-highlight';
import {
  ACTIVITY_WINDOW,
  activityRescore,
  facetFields,
  planSearch,
  type FacetName,
} from './search-query';

export interface SearchRequest {
  q: string;
  size: number;
  from: number;
  filters: Partial<Record<FacetName, string[]>>;
  /** Default true; false answers `facets: {}` without computing them. */
  facets?: boolean;
}

/**
 * What a result row shows; the search keys for the highlight come on top
 * (search-highlight.ts). Emails and phones without their `seenIn` lists,
 * which grow with every touchpoint and were most of the bytes of an answer.
 */
const listFields = [
  'id',
  'name',
  'emails.value',
  'emails.current',
  'phones.value',
  'phones.current',
  'address.city',
  'customerNumbers',
  'segment',
];

/** Terms each shard sends per facet (PANORAMA_ES_SHARDS_CUSTOMERS > 1). */
const FACET_SHARD_SIZE = 100;

/**
 * Tries the plan's tiers in order (search-query.ts): the first that finds
 * anyone answers, so a typo or a number read as words costs a second, more
 * expensive query only when the cheap one found nobody. `tookMs` is the sum.
 */
export async function searchCustomers(
  ctx: ServerContext,
  request: SearchRequest,
): Promise<SearchAnswer> {
  const plan = planSearch(request.q, request.filters);
  const aggs =
    request.facets === false
      ? undefined
      : Object.fromEntries(
          Object.entries(facetFields).map(([name, field]) => [
            name,
            // With several shards a count is exact when every shard sent its term: each sends its top
            // FACET_SHARD_SIZE, not the 28 of the default (on one shard ES takes `size` anyway).
            { terms: { field, size: 12, shard_size: FACET_SHARD_SIZE } },
          ]),
        );
  let tookMs = 0;
  for (const [tier, query] of plan.tiers.entries()) {
    const answer = await ctx.es.search<CustomerDocument>({
      index: ctx.names.customers,
      // Term statistics of the whole index, not of each shard: with few customers per shard BM25 would
      // rank the same name differently on each. Free on one shard (ES runs a plain query then).
      search_type: 'dfs_query_then_fetch',
      query,
      size: request.size,
      from: request.from,
      track_total_hits: true,
      // A browse (no words) already ranks every match by activity.
      rescore:
        plan.kind === 'all'
          ? undefined
          : activityRescore(Math.max(ACTIVITY_WINDOW, request.from + request.size)),
      _source: [...listFields, ...highlightSourceFields(plan.kind, tier)],
      aggs,
    });
    tookMs += answer.took;
    const total =
      typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
    if (total === 0 && tier < plan.tiers.length - 1) continue;
    return {
      total,
      tookMs,
      items: answer.hits.hits.map((hit) => {
        const doc = hit._source as CustomerDocument;
        return {
          id: doc.id,
          name: doc.name,
          email: preferCurrent(doc.emails),
          phone: preferCurrent(doc.phones),
          city: doc.address?.city ?? null,
          customerNumber: doc.customerNumbers?.[0] ?? null,
          segment: doc.segment ?? null,
          score: hit._score ?? 0,
          highlight: highlightHit(request.q, plan.kind, doc.search),
        };
      }),
      facets: toFacets(answer.aggregations),
    };
  }
  throw new Error('a search plan has at least one tier');
}

function preferCurrent(values: { value: string; current: boolean }[] | undefined): string | null {
  if (!values || values.length === 0) return null;
  return (values.find((v) => v.current) ?? values[0]).value;
}

export function toFacets(
  aggregations: Record<string, unknown> | undefined,
): Record<string, FacetBucket[]> {
  const facets: Record<string, FacetBucket[]> = {};
  for (const [name, agg] of Object.entries(aggregations ?? {})) {
    const buckets = (agg as estypes.AggregationsStringTermsAggregate).buckets;
    if (!Array.isArray(buckets)) continue;
    facets[name] = buckets.map((b) => ({ value: String(b.key), count: b.doc_count }));
  }
  return facets;
}

export type ProfileLookup =
  { kind: 'found'; profile: Profile } | { kind: 'merged'; into: string } | { kind: 'missing' };

export async function getProfile(ctx: ServerContext, id: string): Promise<ProfileLookup> {
  try {
    const doc = await ctx.es.get<CustomerDocument>({
      index: ctx.names.customers,
      id,
      // Search and matching keys: how the profile is found, not what it says.
      _source_excludes: ['search', 'quality.matchKeys', 'quality.matchNames'],
    });
    if (doc._source) return { kind: 'found', profile: doc._source };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const into = await survivorOf(ctx, id);
  return into && into !== id ? { kind: 'merged', into } : { kind: 'missing' };
}

/** Follows `merged:<id>` redirects in the identity index to the surviving customer. */
async function survivorOf(ctx: ServerContext, id: string): Promise<string | null> {
  let current = id;
  for (let hop = 0; hop < 20; hop++) {
    try {
      const doc = await ctx.es.get<{ customerId: string }>({
        index: ctx.names.identities,
        id: `merged:${current}`,
      });
      if (!doc._source) break;
      current = doc._source.customerId;
    } catch (error) {
      if (isNotFound(error)) break;
      throw error;
    }
  }
  return current === id ? null : current;
}

export interface TimelineRequest {
  customerId: string;
  types: string[];
  before: string | null;
  size: number;
  /** Words to find in the touchpoints (see timeline-search.ts); empty: all. */
  q?: string;
}

/** Cursor = the sort values of the last item, opaque to clients. */
export function encodeCursor(sort: estypes.SortResults): string {
  return Buffer.from(JSON.stringify(sort)).toString('base64url');
}

/**
 * The sort values a cursor of `next` carries: the occurredAt in epoch
 * milliseconds and the touchpoint's key. Anything else is not one of ours and
 * answers null: passed on as `search_after`, Elasticsearch refused it and the
 * caller got a 502.
 */
export function decodeCursor(cursor: string): estypes.SortResults | null {
  if (!/^[A-Za-z0-9_-]{1,700}$/.test(cursor)) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, key] = value as unknown[];
    return Number.isSafeInteger(at) &&
      typeof key === 'string' &&
      key.length > 0 &&
      key.length <= 300
      ? [at as number, key]
      : null;
  } catch {
    return null;
  }
}

/** `before=` as a moment: a day or an ISO-8601 timestamp with a zone (the contract's `before=<iso>`). */
function beforeMoment(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text))
    return null;
  return Number.isFinite(Date.parse(text)) ? text : null;
}

/** Where a timeline page starts: after a cursor of `next`, or before a moment; anything else is the caller's mistake. */
function timelineStart(before: string): { searchAfter: estypes.SortResults } | { lt: string } {
  const moment = beforeMoment(before);
  if (moment) return { lt: moment };
  const cursor = decodeCursor(before);
  if (cursor) return { searchAfter: cursor };
  throw new AppError(
    400,
    'invalid_request',
    'before must be the `next` cursor of a previous page or an ISO-8601 timestamp like 2026-10-02T14:12:00Z.',
    [{ path: 'before', message: 'is neither a cursor of this timeline nor a timestamp' }],
  );
}

export async function getTimeline(
  ctx: ServerContext,
  request: TimelineRequest,
): Promise<TimelineAnswer> {
  const filter: object[] = [{ term: { customerId: request.customerId } }];
  if (request.types.length > 0) filter.push({ terms: { type: request.types } });
  let searchAfter: estypes.SortResults | undefined;
  if (request.before) {
    const start = timelineStart(request.before);
    if ('searchAfter' in start) searchAfter = start.searchAfter;
    else filter.push({ range: { occurredAt: { lt: start.lt } } });
  }
  if (request.q?.trim()) {
    return searchTimeline(
      ctx,
      { bool: { filter, must_not: [{ term: { deleted: true } }] } },
      request.q,
      request.size,
      searchAfter,
      encodeCursor,
    );
  }
  const answer = await ctx.es.search<StoredTouchpoint>({
    index: ctx.names.touchpoints,
    query: { bool: { filter, must_not: [{ term: { deleted: true } }] } },
    sort: [{ occurredAt: 'desc' }, { key: 'desc' }],
    size: request.size + 1,
    search_after: searchAfter,
    track_total_hits: false,
  });
  const hits = answer.hits.hits;
  const page = hits.slice(0, request.size);
  const more = hits.length > request.size;
  return {
    items: page.map((h) => h._source as StoredTouchpoint),
    next: more && page.length > 0 ? encodeCursor(page[page.length - 1].sort ?? []) : null,
  };
}

export async function getTouchpoint(
  ctx: ServerContext,
  source: string,
  id: string,
): Promise<StoredTouchpoint | null> {
  try {
    const doc = await ctx.es.get<StoredTouchpoint>({
      index: ctx.names.touchpoints,
      id: `${source}:${id}`,
    });
    return doc._source && !doc._source.deleted ? doc._source : null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
