/**
 * How much work one analytics or segment request may ask of Elasticsearch.
 * Every request is checked against these before it is sent, so a request
 * too large is refused with 400 and a message that names the limit and what
 * to change, instead of a 500, a `too_many_buckets_exception` or a circuit
 * breaker that trips for every user of the cluster.
 *
 * Buckets are counted as Elasticsearch makes them: a bucket aggregation makes
 * its buckets once per bucket of its parent, so terms of 50 under terms of 50
 * under terms of 50 are 50 + 2,500 + 125,000 buckets. A terms size or a list of
 * ranges says its count; a histogram's count depends on the values, so the
 * schema counts it as one and the server counts it again from the field's
 * smallest and largest value (server/src/analytics/analytics-query.ts).
 */
import type { Aggregation, CalendarInterval, Filter } from './query-schema';

export const analyticsLimits = {
  /** Nesting of the raw JSON body, checked before the schema walks it (deeper input overflowed the validator's stack). */
  maxJsonDepth: 64,
  /** Levels of and/or/not in one filter tree. */
  maxFilterDepth: 8,
  /** Conditions (and/or/not included) in one filter tree. */
  maxFilterConditions: 200,
  /** Values of all terms conditions of one filter tree. */
  maxFilterValues: 1_000,
  /** Conditions of every filter tree of one request: the filter and the filters of `filter` aggregations. */
  maxRequestConditions: 400,
  /** Levels of aggregations inside aggregations (a terms under a terms is two). */
  maxAggregationDepth: 4,
  /** Aggregations in the whole request, every level counted. */
  maxAggregations: 60,
  /** Buckets the aggregations can make in all, every level multiplied out. */
  maxBuckets: 10_000,
  /** Buckets in which a cardinality or percentiles runs, each keeping a sketch of its own. */
  maxSketches: 1_000,
  /** `from + size` of a page of rows: Elasticsearch's `index.max_result_window`. */
  resultWindow: 10_000,
} as const;

export interface LimitProblem {
  path: (string | number)[];
  message: string;
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * How deep `value` nests (objects and arrays), counted without recursion and
 * stopping one level past `limit`, so a body of a hundred thousand levels
 * costs no more than one of `limit + 1`.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

export interface FilterSize {
  depth: number;
  conditions: number;
  values: number;
}

export function filterSize(filter: Filter): FilterSize {
  const size: FilterSize = { depth: 0, conditions: 0, values: 0 };
  const walk = (f: Filter, level: number) => {
    size.conditions++;
    size.depth = Math.max(size.depth, level);
    if (f.kind === 'and' || f.kind === 'or') f.filters.forEach((c) => walk(c, level + 1));
    if (f.kind === 'not') walk(f.filter, level + 1);
    if (f.kind === 'terms') size.values += f.values.length;
  };
  walk(filter, 1);
  return size;
}

export function filterProblems(filter: Filter): string[] {
  const { depth, conditions, values } = filterSize(filter);
  const problems: string[] = [];
  const l = analyticsLimits;
  if (depth > l.maxFilterDepth)
    problems.push(
      `nests ${depth} levels deep; at most ${l.maxFilterDepth}: flatten nested groups of the same kind`,
    );
  if (conditions > l.maxFilterConditions)
    problems.push(
      `has ${n(conditions)} conditions; at most ${l.maxFilterConditions}: merge conditions on the same field into one terms or range`,
    );
  if (values > l.maxFilterValues)
    problems.push(
      `lists ${n(values)} values; at most ${n(l.maxFilterValues)}: save a segment for a long list of customers instead`,
    );
  return problems;
}

export type HistogramAggregation = Extract<Aggregation, { type: 'histogram' | 'dateHistogram' }>;

/** How many buckets a histogram makes at most, per bucket of its parent. */
export type HistogramEstimate = (agg: HistogramAggregation) => number;

/** The schema's estimate: unknown before the values are, so at least one. */
const atLeastOne: HistogramEstimate = () => 1;

/** Buckets of one bucket aggregation per parent bucket; 0 for metrics. */
function bucketsOf(agg: Aggregation, histogram: HistogramEstimate): number {
  switch (agg.type) {
    case 'terms':
      return agg.size ?? 20;
    case 'range':
    case 'dateRange':
      return agg.ranges.length;
    case 'filter':
      return 1;
    case 'histogram':
    case 'dateHistogram':
      return Math.max(1, histogram(agg));
    default:
      return 0;
  }
}

function describe(agg: Aggregation, buckets: number): string {
  if (agg.type === 'terms') return `terms size ${buckets}`;
  if (agg.type === 'histogram')
    return `histogram of ${agg.field} every ${agg.interval}: up to ${n(buckets)}`;
  if (agg.type === 'dateHistogram')
    return `dateHistogram of ${agg.field} by ${agg.interval}: up to ${n(buckets)}`;
  if (agg.type === 'range' || agg.type === 'dateRange') return `${buckets} ranges`;
  return agg.type;
}

/** The filter trees inside `filter` aggregations, with their paths. */
export function aggregationFilters(
  aggs: Record<string, Aggregation>,
  path: (string | number)[] = ['aggs'],
): { path: (string | number)[]; filter: Filter }[] {
  const found: { path: (string | number)[]; filter: Filter }[] = [];
  for (const [name, agg] of Object.entries(aggs)) {
    if (agg.type === 'filter') found.push({ path: [...path, name, 'filter'], filter: agg.filter });
    if ('aggs' in agg && agg.aggs)
      found.push(...aggregationFilters(agg.aggs, [...path, name, 'aggs']));
  }
  return found;
}

/**
 * Everything about a request's aggregations that exceeds a limit, each with
 * the path of the aggregation and what to change. `histogram` estimates the
 * buckets of histograms (the server's from the field's values).
 */
export function aggregationProblems(
  aggs: Record<string, Aggregation>,
  histogram: HistogramEstimate = atLeastOne,
): LimitProblem[] {
  const l = analyticsLimits;
  const problems: LimitProblem[] = [];
  let count = 0;
  let deepest: { depth: number; path: (string | number)[] } = { depth: 0, path: [] };
  let buckets = 0;
  let sketches = 0;
  let sketchAt: (string | number)[] | null = null;
  let widest: { instances: number; path: (string | number)[]; chain: string[] } = {
    instances: 0,
    path: [],
    chain: [],
  };

  const walk = (
    level: Record<string, Aggregation>,
    path: (string | number)[],
    depth: number,
    parentBuckets: number,
    chain: string[],
  ) => {
    for (const [name, agg] of Object.entries(level)) {
      count++;
      const here = [...path, name];
      if (depth > deepest.depth) deepest = { depth, path: here };
      const own = bucketsOf(agg, histogram);
      if (agg.type === 'cardinality' || agg.type === 'percentiles') {
        sketches += parentBuckets;
        if (parentBuckets > 1 && !sketchAt) sketchAt = here;
      }
      if (own === 0) continue;
      const instances = parentBuckets * own;
      buckets += instances;
      const links = [...chain, `${name} (${describe(agg, own)})`];
      if (instances > widest.instances) widest = { instances, path: here, chain: links };
      // Past the limit the product only grows; stop before the numbers lose meaning.
      if ('aggs' in agg && agg.aggs && buckets <= l.maxBuckets * 1_000)
        walk(agg.aggs, [...here, 'aggs'], depth + 1, instances, links);
    }
  };
  walk(aggs, ['aggs'], 1, 1, []);

  if (deepest.depth > l.maxAggregationDepth) {
    problems.push({
      path: deepest.path,
      message: `aggregations nest ${deepest.depth} levels deep; at most ${l.maxAggregationDepth}: move the innermost aggregations up a level or ask for them in a second request`,
    });
  }
  if (count > l.maxAggregations) {
    problems.push({
      path: ['aggs'],
      message: `the request has ${n(count)} aggregations, every level counted; at most ${l.maxAggregations}: split them over several requests`,
    });
  }
  if (buckets > l.maxBuckets) {
    const product =
      widest.chain.length > 1
        ? `; the largest level is ${widest.chain.join(' × ')} = ${n(widest.instances)}`
        : '';
    problems.push({
      path: widest.path,
      message: `the aggregations could make ${n(buckets)} buckets${product}; at most ${n(l.maxBuckets)}: lower the terms sizes, use a coarser interval or fewer nested levels`,
    });
  }
  if (sketches > l.maxSketches && sketchAt) {
    problems.push({
      path: sketchAt,
      message: `cardinality and percentiles would run in ${n(sketches)} buckets; at most ${n(l.maxSketches)}: put them under fewer or smaller bucket aggregations`,
    });
  }
  return problems;
}

/** The problems of a whole request: its filter trees together and its page. */
export function requestProblems(request: {
  filter?: Filter;
  aggs?: Record<string, Aggregation>;
  page?: { from?: number; size?: number };
}): LimitProblem[] {
  const l = analyticsLimits;
  const problems: LimitProblem[] = [];
  const trees = [
    ...(request.filter ? [request.filter] : []),
    ...(request.aggs ? aggregationFilters(request.aggs).map((f) => f.filter) : []),
  ];
  const conditions = trees.reduce((sum, f) => sum + filterSize(f).conditions, 0);
  if (conditions > l.maxRequestConditions) {
    problems.push({
      path: ['filter'],
      message: `the filter and the filter aggregations have ${n(conditions)} conditions in all; at most ${l.maxRequestConditions}: split the request or merge conditions on the same field`,
    });
  }
  if (request.aggs) problems.push(...aggregationProblems(request.aggs));
  if (request.page) {
    const end = (request.page.from ?? 0) + (request.page.size ?? 20);
    if (end > l.resultWindow) {
      problems.push({
        path: ['page', 'from'],
        message: `from + size is ${n(end)}; only the first ${n(l.resultWindow)} matches can be paged: narrow the filter, sort the other way or use the export for all rows`,
      });
    }
  }
  return problems;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * At most how many buckets a histogram makes over values from `min` to `max`
 * (`count` values in all: an empty bucket is never made, min_doc_count is 1).
 */
export function histogramBuckets(
  agg: HistogramAggregation,
  bounds: { min: number; max: number; count: number } | undefined,
): number {
  if (!bounds || bounds.count === 0 || !Number.isFinite(bounds.min) || !Number.isFinite(bounds.max))
    return 1;
  let span: number;
  if (agg.type === 'histogram')
    span = Math.floor(bounds.max / agg.interval) - Math.floor(bounds.min / agg.interval) + 1;
  else span = calendarSpan(agg.interval, bounds.min, bounds.max);
  return Math.max(
    1,
    Math.min(Number.isFinite(span) ? span : Number.MAX_SAFE_INTEGER, bounds.count),
  );
}

function calendarSpan(interval: CalendarInterval, min: number, max: number): number {
  const a = new Date(min);
  const b = new Date(max);
  const months =
    (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  switch (interval) {
    case 'hour':
      return Math.floor((max - min) / hourMs) + 2;
    case 'day':
      return Math.floor((max - min) / dayMs) + 2;
    case 'week':
      return Math.floor((max - min) / (7 * dayMs)) + 2;
    case 'month':
      return months + 1;
    case 'quarter':
      return Math.floor(months / 3) + 2;
    case 'year':
      return b.getUTCFullYear() - a.getUTCFullYear() + 1;
  }
}
