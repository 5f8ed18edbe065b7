import { describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import {
  analyticsQuerySchema,
  type AnalyticsQuery,
  type Filter,
} from '../../domain/src/analytics/query-schema';
import {
  guardAnalyticsQuery,
  guardFilter,
  guardSearch,
  guardTimelineQuery,
} from '../../server/src/privacy/oracles';

const masked: Role[] = ['manager', 'analyst'];
const seeing: Role[] = ['agent', 'admin'];
const query = (body: unknown): AnalyticsQuery => analyticsQuerySchema.parse(body);

function refused(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    return (error as Error).message;
  }
  throw new Error('was not refused');
}

describe('oracle guards', () => {
  it('refuse any text search of customers and timelines to masked roles, saying what is left', () => {
    for (const role of masked) {
      for (const q of [
        'anna@example.de',
        '0170 1234567',
        'K-102934',
        'Schmidt',
        'Paket nicht angekommen',
      ]) {
        expect(refused(() => guardSearch(role, { q, filters: {} }))).toMatch(
          /filters on shown fields/,
        );
        expect(refused(() => guardTimelineQuery(role, q))).toMatch(/cannot search the timeline/);
      }
      expect(() =>
        guardSearch(role, { q: '  ', filters: { city: ['Bonn'], segment: ['Gold'] } }),
      ).not.toThrow();
      expect(() => guardTimelineQuery(role, '')).not.toThrow();
      expect(
        refused(() => guardSearch(role, { q: '', filters: { postalCode: ['80331'] } })),
      ).toMatch(/f\.segment/);
    }
    for (const role of seeing) {
      expect(() => guardSearch(role, { q: 'Schmidt', filters: {} })).not.toThrow();
      expect(() => guardTimelineQuery(role, 'Paket')).not.toThrow();
    }
  });

  const oracleQueries: [string, unknown][] = [
    ['text', { q: 'Schmidt' }],
    [
      'a postal code filter',
      { filter: { kind: 'terms', field: 'address.postalCode', values: ['80331'] } },
    ],
    [
      'a company filter under NOT in OR',
      {
        filter: {
          kind: 'or',
          filters: [{ kind: 'not', filter: { kind: 'terms', field: 'company', values: ['ACME'] } }],
        },
      },
    ],
    [
      'an exact birth date',
      { filter: { kind: 'dateRange', field: 'birthDate', from: '1985-04-12', to: '1985-04-12' } },
    ],
    [
      'a birth date relative to today',
      { filter: { kind: 'dateRange', field: 'birthDate', to: { days: -6570 } } },
    ],
    [
      'a birth year ending on 1 January',
      { filter: { kind: 'dateRange', field: 'birthDate', from: '1985-01-01', to: '1986-01-01' } },
    ],
    ['terms on postal codes', { aggs: { a: { type: 'terms', field: 'address.postalCode' } } }],
    [
      'terms on companies nested',
      {
        aggs: {
          a: { type: 'terms', field: 'segment', aggs: { b: { type: 'terms', field: 'company' } } },
        },
      },
    ],
    ['stats on birth dates', { aggs: { a: { type: 'stats', field: 'birthDate' } } }],
    [
      'birth dates by day',
      { aggs: { a: { type: 'dateHistogram', field: 'birthDate', interval: 'day' } } },
    ],
    [
      'birth date ranges of days',
      {
        aggs: {
          a: {
            type: 'dateRange',
            field: 'birthDate',
            ranges: [{ from: '1985-04-12', to: '1985-04-13' }],
          },
        },
      },
    ],
    [
      'cardinality of postal codes',
      { aggs: { a: { type: 'cardinality', field: 'address.postalCode' } } },
    ],
    [
      'a filter aggregation on a postal code',
      {
        aggs: {
          a: {
            type: 'filter',
            filter: { kind: 'terms', field: 'address.postalCode', values: ['80331'] },
          },
        },
      },
    ],
    ['sorting by name', { page: { sort: [{ field: 'name', order: 'asc' }] } }],
    ['sorting by postal code', { page: { sort: [{ field: 'address.postalCode' }] } }],
  ];
  for (const [what, body] of oracleQueries) {
    it(`refuse ${what} in an analytics query to masked roles only`, () => {
      const request = query(body);
      for (const role of masked)
        expect(refused(() => guardAnalyticsQuery(role, request))).toMatch(/your role/i);
      for (const role of seeing) expect(() => guardAnalyticsQuery(role, request)).not.toThrow();
    });
  }

  it('allow masked roles what is as coarse as shown', () => {
    const request = query({
      filter: {
        kind: 'and',
        filters: [
          { kind: 'dateRange', field: 'birthDate', from: '1970-01-01', to: '1979-12-31' },
          { kind: 'exists', field: 'address.postalCode' },
          { kind: 'terms', field: 'address.city', values: ['Bonn'] },
        ],
      },
      aggs: {
        years: { type: 'dateHistogram', field: 'birthDate', interval: 'year' },
        decades: {
          type: 'dateRange',
          field: 'birthDate',
          ranges: [{ from: '1970-01-01', to: '1980-01-01' }],
        },
        ltv: { type: 'stats', field: 'kpis.lifetimeValue' },
        seg: { type: 'terms', field: 'segment' },
      },
      page: {
        columns: ['name', 'email', 'address.postalCode', 'birthDate'],
        sort: [{ field: 'kpis.lifetimeValue', order: 'desc' }],
      },
    });
    for (const role of masked) expect(() => guardAnalyticsQuery(role, request)).not.toThrow();
  });

  it('guard segment and export filters and the export text the same way', () => {
    const postal: Filter = { kind: 'terms', field: 'address.postalCode', values: ['80331'] };
    for (const role of masked) {
      refused(() => guardFilter(role, postal));
      refused(() => guardFilter(role, undefined, 'anna@example.de'));
      expect(() =>
        guardFilter(role, { kind: 'terms', field: 'segment', values: ['Gold'] }, ''),
      ).not.toThrow();
    }
    for (const role of seeing)
      expect(() => guardFilter(role, postal, 'anna@example.de')).not.toThrow();
  });
});
