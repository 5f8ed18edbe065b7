import { describe, expect, it } from 'vitest';
import {
  aggregationProblems,
  analyticsLimits,
  histogramBuckets,
  nestingDepth,
} from '../../domain/src/analytics/query-limits';
import {
  analyticsQuerySchema,
  boundedFilterSchema,
  type Aggregation,
  type Filter,
} from '../../domain/src/analytics/query-schema';

const terms = (size: number, aggs?: Record<string, Aggregation>): Aggregation => ({
  type: 'terms',
  field: 'segment',
  size,
  ...(aggs ? { aggs } : {}),
});
const messages = (body: unknown) => {
  const answer = analyticsQuerySchema.safeParse(body);
  return answer.success ? [] : answer.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the limits of an analytics request', () => {
  it('refuses terms of 50 under 50 under 50 (125,000 buckets) and says which level and what to change', () => {
    const found = messages({ aggs: { a: terms(50, { b: terms(50, { c: terms(50) }) }) } });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('aggs.a.aggs.b.aggs.c');
    expect(found[0]).toContain('127,550 buckets');
    expect(found[0]).toContain('= 125,000');
    expect(found[0]).toContain('lower the terms sizes');
  });

  it('keeps the multiplied-out buckets at most 10,000 and allows what fits', () => {
    expect(messages({ aggs: { a: terms(100, { b: terms(100) }) } })[0]).toContain('10,100 buckets');
    expect(
      messages({
        aggs: {
          a: terms(50, { b: terms(50, { s: { type: 'stats', field: 'kpis.lifetimeValue' } }) }),
        },
      }),
    ).toEqual([]);
    expect(
      messages({
        aggs: {
          a: terms(200),
          b: { type: 'range', field: 'kpis.lifetimeValue', ranges: [{ to: 10 }, { from: 10 }] },
        },
      }),
    ).toEqual([]);
  });

  it('refuses aggregations nested deeper than four levels', () => {
    let deep: Aggregation = { type: 'stats', field: 'kpis.lifetimeValue' };
    for (let i = 0; i < 5; i++) deep = terms(1, { x: deep });
    expect(messages({ aggs: { a: deep } })[0]).toContain('nest 6 levels deep; at most 4');
  });

  it('counts aggregations on every level, not only the first', () => {
    const wide: Record<string, Aggregation> = {};
    for (let i = 0; i < 20; i++)
      wide[`w${i}`] = terms(
        1,
        Object.fromEntries(
          Array.from({ length: 20 }, (_, j) => [
            `m${j}`,
            { type: 'stats', field: 'kpis.lifetimeValue' } as Aggregation,
          ]),
        ),
      );
    expect(messages({ aggs: wide })[0]).toContain(
      `420 aggregations, every level counted; at most ${analyticsLimits.maxAggregations}`,
    );
  });

  it('refuses cardinality or percentiles in more than 1,000 buckets, each keeps a sketch', () => {
    expect(
      messages({
        aggs: { a: terms(50, { b: terms(50, { c: { type: 'cardinality', field: 'products' } }) }) },
      })[0],
    ).toContain('2,500 buckets; at most 1,000');
    expect(
      messages({
        aggs: { a: terms(20, { c: { type: 'percentiles', field: 'kpis.lifetimeValue' } }) },
      }),
    ).toEqual([]);
  });

  it('refuses a page past the first 10,000 matches', () => {
    expect(messages({ page: { from: 9_950, size: 100 } })[0]).toContain(
      'page.from: from + size is 10,050',
    );
    expect(messages({ page: { from: 10_000, size: 1 } })[0]).toContain('10,001');
    expect(messages({ page: { from: 9_900, size: 100 } })).toEqual([]);
  });

  it('counts the conditions of the filter and the filter aggregations together', () => {
    const wide: Filter = {
      kind: 'or',
      filters: Array.from({ length: 49 }, (_, i) => ({
        kind: 'and',
        filters: [
          { kind: 'exists', field: 'segment' },
          { kind: 'terms', field: 'segment', values: [`s${i}`] },
          { kind: 'exists', field: 'products' },
        ],
      })),
    };
    // 49 × 4 + 1 = 197 conditions each: one tree passes, three do not.
    expect(boundedFilterSchema.safeParse(wide).success).toBe(true);
    const found = messages({
      filter: wide,
      aggs: { a: { type: 'filter', filter: wide }, b: { type: 'filter', filter: wide } },
    });
    expect(found[0]).toContain('591 conditions in all; at most 400');
  });

  it('refuses a filter tree listing more than 1,000 values', () => {
    const many: Filter = {
      kind: 'or',
      filters: Array.from({ length: 11 }, (_, i) => ({
        kind: 'terms',
        field: 'products',
        values: Array.from({ length: 100 }, (_, j) => `p${i}-${j}`),
      })),
    };
    expect(boundedFilterSchema.safeParse(many).error?.issues[0].message).toContain(
      'lists 1,100 values; at most 1,000',
    );
  });

  it('refuses JSON nested a hundred thousand levels deep with a message, not a stack overflow', () => {
    let filter: unknown = { kind: 'exists', field: 'segment' };
    for (let i = 0; i < 100_000; i++) filter = { kind: 'not', filter };
    let agg: unknown = { type: 'stats', field: 'kpis.lifetimeValue' };
    for (let i = 0; i < 100_000; i++) agg = { type: 'terms', field: 'segment', aggs: { x: agg } };
    expect(() => boundedFilterSchema.safeParse(filter)).not.toThrow();
    expect(boundedFilterSchema.safeParse(filter).error?.issues[0].message).toContain(
      'nests deeper than 64 levels',
    );
    expect(messages({ filter })[0]).toContain('nests deeper than 64 levels');
    expect(messages({ aggs: { a: agg } })[0]).toContain('nests deeper than 64 levels');
    expect(nestingDepth(filter, 64)).toBe(65);
  });

  it('still accepts what the explorer, the facets and the segment page send', () => {
    expect(
      messages({
        filter: { kind: 'terms', field: 'segment', values: ['A'] },
        page: {
          from: 9_980,
          size: 20,
          sort: [{ field: 'name', order: 'asc' }],
          columns: ['name', 'email'],
        },
      }),
    ).toEqual([]);
    expect(
      messages({
        aggs: {
          t0: { type: 'terms', field: 'segment', size: 8 },
          h0: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 250 },
        },
      }),
    ).toEqual([]);
    expect(
      messages({
        aggs: {
          d0: {
            type: 'dateRange',
            field: 'kpis.nextContractEnd',
            ranges: [{ key: 'next 30 days', from: { days: 0 }, to: { days: 30 } }],
          },
        },
      }),
    ).toEqual([]);
    expect(
      messages({
        aggs: {
          consented: {
            type: 'filter',
            filter: { kind: 'terms', field: 'consentGranted', values: ['email'] },
          },
        },
      }),
    ).toEqual([]);
  });
});

describe('counting the buckets of a histogram', () => {
  const ltv = { type: 'histogram', field: 'kpis.lifetimeValue', interval: 0.01 } as const;

  it('counts a fine interval over the field’s range and refuses it, naming the interval', () => {
    const bounds = { min: 0, max: 50_000, count: 10_000_000 };
    expect(histogramBuckets(ltv, bounds)).toBe(5_000_001);
    const found = aggregationProblems({ h: ltv }, (agg) => histogramBuckets(agg, bounds));
    expect(found[0].message).toContain('5,000,001 buckets');
    expect(
      aggregationProblems({ h: { ...ltv, interval: 250 } }, (agg) => histogramBuckets(agg, bounds)),
    ).toEqual([]);
  });

  it('never counts more buckets than there are values (empty buckets are not made)', () => {
    expect(histogramBuckets(ltv, { min: 0, max: 50_000, count: 300 })).toBe(300);
    expect(histogramBuckets(ltv, { min: 0, max: 0, count: 0 })).toBe(1);
  });

  it('counts calendar intervals of a date field, hours over years refused', () => {
    const min = Date.parse('2000-01-01T00:00:00Z');
    const max = Date.parse('2026-01-01T00:00:00Z');
    const hourly = { type: 'dateHistogram', field: 'kpis.lastOrderAt', interval: 'hour' } as const;
    expect(histogramBuckets(hourly, { min, max, count: 1e9 })).toBeGreaterThan(200_000);
    expect(histogramBuckets({ ...hourly, interval: 'month' }, { min, max, count: 1e9 })).toBe(
      26 * 12 + 1,
    );
    expect(histogramBuckets({ ...hourly, interval: 'year' }, { min, max, count: 1e9 })).toBe(27);
  });

  it('multiplies a histogram under terms by the terms size', () => {
    const bounds = { min: 0, max: 10_000, count: 1e6 };
    const found = aggregationProblems(
      { s: terms(50, { h: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 25 } }) },
      (agg) => histogramBuckets(agg, bounds),
    );
    expect(found[0].message).toContain(
      's (terms size 50) × h (histogram of kpis.lifetimeValue every 25: up to 401) = 20,050',
    );
  });
});
