/**
 * The analytics request: a boolean filter tree over whitelisted
 * profile fields plus aggregations, validated with zod and translated to
 * Elasticsearch on the server only (see es-query.ts). Shared by server,
 * indexers (saved segments) and web (types only).
 *
 * @example
 * // "holds product A but not B, and no email consent"
 * { kind: 'and', filters: [
 *   { kind: 'terms', field: 'products', values: ['A'] },
 *   { kind: 'not', filter: { kind: 'terms', field: 'products', values: ['B'] } },
 *   { kind: 'not', filter: { kind: 'terms', field: 'consentGranted', values: ['email'] } },
 * ] }
 */
import { z } from 'zod';
import { allFields, columnNames, dateFields, keywordFields, numberFields } from './fields';
import { analyticsLimits, filterProblems, nestingDepth, requestProblems } from './query-limits';

/** A day or a moment, or relative to now in days: `{ "days": 60 }` is 60 days from now, `{ "days": -30 }` 30 days ago. */
export type DateBound = string | { days: number };

export type Filter =
  | { kind: 'and'; filters: Filter[] }
  | { kind: 'or'; filters: Filter[] }
  | { kind: 'not'; filter: Filter }
  /** The field holds at least one of the values. */
  | { kind: 'terms'; field: string; values: string[] }
  | { kind: 'range'; field: string; gte?: number; gt?: number; lte?: number; lt?: number }
  | { kind: 'dateRange'; field: string; from?: DateBound; to?: DateBound }
  | { kind: 'exists'; field: string };

export const maxFilterDepth = analyticsLimits.maxFilterDepth;
export const maxFilterConditions = analyticsLimits.maxFilterConditions;

/**
 * Refuses input nested deeper than the limits allow before `schema` walks it:
 * zod validates a tree by recursion, and a body of ten thousand `not`s
 * overflowed the stack (a 500) before any limit was checked.
 */
function nestedAtMost<T extends z.ZodType>(schema: T, limit = analyticsLimits.maxJsonDepth) {
  return z.preprocess((value, ctx) => {
    const depth = nestingDepth(value, limit);
    if (depth > limit) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `nests deeper than ${limit} levels of JSON; no request within the limits needs more`,
      });
      return z.NEVER;
    }
    return value;
  }, schema);
}

const dateBoundSchema = z.union([
  z.iso.date({ message: 'must be a date like 2026-10-02' }),
  z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' }),
  z.object({ days: z.number().int().min(-36_500).max(36_500) }).strict(),
]);

const boundNumber = z.number().finite();

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('and'), filters: z.array(filterSchema).min(1).max(50) }).strict(),
    z.object({ kind: z.literal('or'), filters: z.array(filterSchema).min(1).max(50) }).strict(),
    z.object({ kind: z.literal('not'), filter: filterSchema }).strict(),
    z
      .object({
        kind: z.literal('terms'),
        field: z.enum(keywordFields, { message: `must be one of ${keywordFields.join(', ')}` }),
        values: z.array(z.string().min(1).max(200)).min(1).max(100),
      })
      .strict(),
    z
      .object({
        kind: z.literal('range'),
        field: z.enum(numberFields, { message: `must be one of ${numberFields.join(', ')}` }),
        gte: boundNumber.optional(),
        gt: boundNumber.optional(),
        lte: boundNumber.optional(),
        lt: boundNumber.optional(),
      })
      .strict()
      .refine(
        (r) =>
          r.gte !== undefined || r.gt !== undefined || r.lte !== undefined || r.lt !== undefined,
        {
          message: 'needs at least one of gte, gt, lte, lt',
        },
      ),
    z
      .object({
        kind: z.literal('dateRange'),
        field: z.enum(dateFields, { message: `must be one of ${dateFields.join(', ')}` }),
        from: dateBoundSchema.optional(),
        to: dateBoundSchema.optional(),
      })
      .strict()
      .refine((r) => r.from !== undefined || r.to !== undefined, { message: 'needs from or to' }),
    z
      .object({
        kind: z.literal('exists'),
        field: z.enum(allFields, { message: 'is not a known field' }),
      })
      .strict(),
  ]),
);

/** A filter tree that is not too deep nor too large to run on every profile rebuild. */
export const boundedFilterSchema = nestedAtMost(
  filterSchema.superRefine((filter, ctx) => {
    for (const message of filterProblems(filter)) ctx.addIssue({ code: 'custom', message });
  }),
);

export type Aggregation =
  | { type: 'terms'; field: string; size?: number; aggs?: Record<string, Aggregation> }
  | { type: 'histogram'; field: string; interval: number; aggs?: Record<string, Aggregation> }
  | {
      type: 'dateHistogram';
      field: string;
      interval: CalendarInterval;
      aggs?: Record<string, Aggregation>;
    }
  | {
      type: 'range';
      field: string;
      ranges: { key?: string; from?: number; to?: number }[];
      aggs?: Record<string, Aggregation>;
    }
  | {
      type: 'dateRange';
      field: string;
      ranges: { key?: string; from?: DateBound; to?: DateBound }[];
      aggs?: Record<string, Aggregation>;
    }
  | { type: 'filter'; filter: Filter; aggs?: Record<string, Aggregation> }
  | { type: 'stats'; field: string }
  | { type: 'percentiles'; field: string; percents?: number[] }
  | { type: 'cardinality'; field: string };

export const calendarIntervals = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type CalendarInterval = (typeof calendarIntervals)[number];

const aggName = z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'names are 1-40 letters, digits or _');
const subAggs: z.ZodType<Record<string, Aggregation>> = z.lazy(() =>
  z
    .record(aggName, aggregationSchema)
    .refine((r) => Object.keys(r).length <= 20, { message: 'at most 20 aggregations per level' }),
);
const numberField = z.enum(numberFields, {
  message: `must be a number field: ${numberFields.join(', ')}`,
});
const metricField = z.enum([...numberFields, ...dateFields] as [string, ...string[]], {
  message: 'must be a number or date field',
});

export const aggregationSchema: z.ZodType<Aggregation> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('terms'),
        field: z.enum(keywordFields, {
          message: `must be a keyword field: ${keywordFields.join(', ')}`,
        }),
        size: z.number().int().min(1).max(200).optional(),
        aggs: subAggs.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('histogram'),
        field: numberField,
        interval: z.number().positive().finite(),
        aggs: subAggs.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('dateHistogram'),
        field: z.enum(dateFields, { message: `must be a date field: ${dateFields.join(', ')}` }),
        interval: z.enum(calendarIntervals),
        aggs: subAggs.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('range'),
        field: numberField,
        ranges: z
          .array(
            z
              .object({
                key: z.string().max(100).optional(),
                from: boundNumber.optional(),
                to: boundNumber.optional(),
              })
              .strict(),
          )
          .min(1)
          .max(50),
        aggs: subAggs.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('dateRange'),
        field: z.enum(dateFields),
        ranges: z
          .array(
            z
              .object({
                key: z.string().max(100).optional(),
                from: dateBoundSchema.optional(),
                to: dateBoundSchema.optional(),
              })
              .strict(),
          )
          .min(1)
          .max(50),
        aggs: subAggs.optional(),
      })
      .strict(),
    z
      .object({ type: z.literal('filter'), filter: boundedFilterSchema, aggs: subAggs.optional() })
      .strict(),
    z.object({ type: z.literal('stats'), field: metricField }).strict(),
    z
      .object({
        type: z.literal('percentiles'),
        field: numberField,
        percents: z.array(z.number().min(0).max(100)).min(1).max(20).optional(),
      })
      .strict(),
    z.object({ type: z.literal('cardinality'), field: z.enum(allFields) }).strict(),
  ]),
);

export const sortSchema = z
  .object({
    field: z.enum(['name', ...allFields] as [string, ...string[]]),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

const analyticsQueryObject = z
  .object({
    filter: boundedFilterSchema.optional(),
    /** Optional free text, matched like the search box (names, numbers, products, ticket subjects). */
    q: z.string().max(200).optional(),
    aggs: z
      .record(aggName, aggregationSchema)
      .refine((r) => Object.keys(r).length <= 60, { message: 'at most 60 aggregations' })
      .optional(),
    /** A page of matching customers; left out, only counts and aggregations are answered. */
    page: z
      .object({
        from: z.number().int().min(0).max(analyticsLimits.resultWindow).default(0),
        size: z.number().int().min(1).max(200).default(20),
        sort: z.array(sortSchema).max(3).default([]),
        columns: z.array(z.enum(columnNames)).min(1).max(60).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    for (const problem of requestProblems(request))
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });

/** The analytics request, refused before validation when its JSON nests deeper than any request within the limits. */
export const analyticsQuerySchema = nestedAtMost(analyticsQueryObject);

export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;
export type AnalyticsSort = z.infer<typeof sortSchema>;

/** One bucket of a bucket aggregation, with its sub-aggregations. */
export interface AggregationBucket {
  key: string | number;
  /** Dates as ISO strings, ranges as their key. */
  label: string;
  count: number;
  aggs?: Record<string, AggregationResult>;
}

export type AggregationResult =
  | { type: 'buckets'; buckets: AggregationBucket[]; otherCount?: number }
  | {
      type: 'stats';
      count: number;
      min: number | null;
      max: number | null;
      avg: number | null;
      sum: number;
    }
  | { type: 'percentiles'; values: Record<string, number | null> }
  | { type: 'value'; value: number | null }
  | { type: 'filter'; count: number; aggs?: Record<string, AggregationResult> };

export interface AnalyticsRow {
  id: string;
  [column: string]: string | number | boolean | null | string[];
}

export interface AnalyticsAnswer {
  total: number;
  tookMs: number;
  aggs: Record<string, AggregationResult>;
  items?: AnalyticsRow[];
}
