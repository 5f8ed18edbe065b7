/**
 * The analytics endpoint's use case and its Elasticsearch query: a validated
 * filter + aggregations in, counts, aggregation results and optionally one
 * page of rows out. The DSL is built here from the whitelist, never taken
 * from the client.
 *
 * Counts and aggregations, and the page of rows, are two searches of one
 * `_msearch`, run side by side: the rows search counts nothing
 * (`track_total_hits: false`), so sorting a million profiles for the top 50
 * may skip what cannot compete; the aggregation search has `size: 0`, which
 * the shard request cache keeps until the next refresh that changed the
 * index (when it has no `now`: relative dates are never cached).
 *
 * Histograms are counted before they run (domain/src/analytics/query-limits.ts):
 * how many buckets one makes depends on the smallest and largest value of its
 * field, read with one `stats` search over the whole index (an upper bound for
 * any filter) and kept for a minute, so a fine interval over a wide field is
 * refused with 400 instead of tripping Elasticsearch's bucket limit or its
 * memory breaker.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { z } from 'zod';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import {
  aggregationsToDsl,
  analyticsQuery,
  readAggregations,
  sortToDsl,
  sourceFieldsOf,
  toRow,
} from '../../../domain/src/analytics/es-query';
import { defaultColumns } from '../../../domain/src/analytics/fields';
import {
  aggregationProblems,
  histogramBuckets,
  type HistogramAggregation,
} from '../../../domain/src/analytics/query-limits';
import {
  analyticsQuerySchema,
  type Aggregation,
  type AnalyticsAnswer,
  type AnalyticsQuery,
} from '../../../domain/src/analytics/query-schema';
import type { CustomerDocument } from '../../../domain/src/profile';
import type { ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';

/** The request, validated; refused with its first problem in the message (the limit and what to change), every problem in `details`. */
export function parseAnalyticsQuery(body: unknown): AnalyticsQuery {
  return parseRequest(
    analyticsQuerySchema,
    body,
    (error) =>
      `The analytics request is invalid: ${firstProblem(error)} (see details for each problem).`,
  );
}

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.');
  return issue ? `${path ? `${path} ` : ''}${issue.message}`.slice(0, 400) : 'see details';
}

interface FieldBounds {
  min: number;
  max: number;
  count: number;
}

const boundsTtlMs = 60_000;
const boundsCache = new Map<string, { at: number; bounds: FieldBounds }>();

function histogramsOf(aggs: Record<string, Aggregation>): HistogramAggregation[] {
  const found: HistogramAggregation[] = [];
  for (const agg of Object.values(aggs)) {
    if (agg.type === 'histogram' || agg.type === 'dateHistogram') found.push(agg);
    if ('aggs' in agg && agg.aggs) found.push(...histogramsOf(agg.aggs));
  }
  return found;
}

/** Smallest and largest value and number of values of each field, from the cache or one `stats` search. */
async function fieldBounds(
  ctx: ServerContext,
  fields: string[],
): Promise<Map<string, FieldBounds>> {
  const index = ctx.names.customers;
  const now = Date.now();
  const out = new Map<string, FieldBounds>();
  const missing: string[] = [];
  for (const field of fields) {
    const cached = boundsCache.get(`${index} ${field}`);
    if (cached && now - cached.at < boundsTtlMs) out.set(field, cached.bounds);
    else missing.push(field);
  }
  if (missing.length === 0) return out;
  const answer = await ctx.es.search({
    index,
    size: 0,
    track_total_hits: false,
    aggs: Object.fromEntries(missing.map((field, i) => [`f${i}`, { stats: { field } }])),
  });
  missing.forEach((field, i) => {
    const stats = answer.aggregations?.[`f${i}`] as
      { count?: number; min?: number | null; max?: number | null } | undefined;
    const bounds = { min: stats?.min ?? 0, max: stats?.max ?? 0, count: stats?.count ?? 0 };
    boundsCache.set(`${index} ${field}`, { at: now, bounds });
    out.set(field, bounds);
  });
  return out;
}

/** Refuses histograms that would make more buckets than the limits allow, now that their fields' values are known. */
async function checkHistograms(
  ctx: ServerContext,
  aggs: Record<string, Aggregation>,
): Promise<void> {
  const histograms = histogramsOf(aggs);
  if (histograms.length === 0) return;
  const bounds = await fieldBounds(ctx, [...new Set(histograms.map((h) => h.field))]);
  const problems = aggregationProblems(aggs, (agg) => histogramBuckets(agg, bounds.get(agg.field)));
  if (problems.length > 0) {
    throw new AppError(
      400,
      'invalid_request',
      `The analytics request is invalid: ${problems[0].path.join('.')} ${problems[0].message} (see details for each problem).`,
      problems.map((p) => ({ path: p.path.join('.'), message: p.message })),
    );
  }
}

/** An error of one search of the `_msearch`: the caller's when the request was too large for Elasticsearch, the server's otherwise. */
function searchFailed(error: estypes.ErrorCause, i: number): Error {
  const type = elasticsearchErrorType(error);
  if (type.includes('too_many_buckets_exception')) {
    return new AppError(
      400,
      'invalid_request',
      'The aggregations make more buckets than Elasticsearch allows: lower the terms sizes, use a coarser interval or fewer nested levels.',
    );
  }
  if (type.includes('circuit_breaking_exception')) {
    return new AppError(
      503,
      'search_unavailable',
      'Elasticsearch is short of memory for this request right now: try again shortly, or ask for fewer or smaller aggregations.',
    );
  }
  // Types only: Elasticsearch's reason quotes the filter value it could not parse (safe-error.ts).
  return new SafeError('analytics_search_failed', `analytics search ${i} failed: ${type}`);
}

export async function runAnalyticsQuery(
  ctx: ServerContext,
  request: AnalyticsQuery,
): Promise<AnalyticsAnswer> {
  if (request.aggs) await checkHistograms(ctx, request.aggs);
  const page = request.page;
  const columns = page?.columns ?? defaultColumns;
  const query = analyticsQuery(request.filter, request.q);
  const index = ctx.names.customers;
  const searches: estypes.MsearchRequestItem[] = [
    { index },
    {
      query,
      size: 0,
      track_total_hits: true,
      aggs: request.aggs ? aggregationsToDsl(request.aggs) : undefined,
    },
  ];
  if (page) {
    searches.push(
      { index },
      {
        query,
        size: page.size,
        from: page.from ?? 0,
        sort: sortToDsl(page.sort),
        _source: sourceFieldsOf(columns),
        track_total_hits: false,
      },
    );
  }
  const answer = await ctx.es.msearch<CustomerDocument>({ searches });
  const [counted, rows] = answer.responses.map((r, i) => {
    if ('error' in r) throw searchFailed(r.error, i);
    return r;
  });
  const total =
    typeof counted.hits.total === 'number' ? counted.hits.total : (counted.hits.total?.value ?? 0);
  return {
    total,
    tookMs: Math.max(counted.took, rows?.took ?? 0),
    aggs: request.aggs
      ? readAggregations(request.aggs, counted.aggregations as Record<string, unknown>)
      : {},
    ...(page && rows ? { items: rows.hits.hits.map((h) => toRow(h._source ?? {}, columns)) } : {}),
  };
}
