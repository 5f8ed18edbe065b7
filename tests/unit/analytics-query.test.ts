import { describe, expect, it } from 'vitest';
import { dateMath, filterToQuery, toRow } from '../../domain/src/analytics/es-query';
import {
  analyticsQuerySchema,
  boundedFilterSchema,
  type Filter,
} from '../../domain/src/analytics/query-schema';
import { touchpointFacts } from '../../domain/src/analytics/touchpoint-facts';
import {
  fromFilter,
  rootOf,
  toFilter,
  newCondition,
  newGroup,
} from '../../web/src/features/explore/utils/filter-editor';

describe('the analytics filter', () => {
  it('translates "product A but not B" into a bool filter with must_not', () => {
    const filter: Filter = {
      kind: 'and',
      filters: [
        { kind: 'terms', field: 'products', values: ['A'] },
        { kind: 'not', filter: { kind: 'terms', field: 'products', values: ['B'] } },
      ],
    };
    expect(filterToQuery(filter)).toEqual({
      bool: {
        filter: [
          { terms: { products: ['A'] } },
          { bool: { must_not: [{ terms: { products: ['B'] } }] } },
        ],
      },
    });
  });

  it('makes an OR need one match and days relative to now into date math, whole days included', () => {
    expect(
      filterToQuery({ kind: 'or', filters: [{ kind: 'exists', field: 'kpis.lastNps' }] }),
    ).toEqual({
      bool: { should: [{ exists: { field: 'kpis.lastNps' } }], minimum_should_match: 1 },
    });
    expect(
      filterToQuery({
        kind: 'dateRange',
        field: 'kpis.nextContractEnd',
        from: { days: 0 },
        to: { days: 60 },
      }),
    ).toEqual({ range: { 'kpis.nextContractEnd': { gte: 'now', lte: 'now+60d/d' } } });
    expect(dateMath({ days: -30 })).toBe('now-30d');
  });

  it('refuses fields outside the whitelist, wrong kinds, raw DSL and trees nested too deep', () => {
    expect(
      boundedFilterSchema.safeParse({ kind: 'terms', field: 'search.emails', values: ['x'] })
        .success,
    ).toBe(false);
    expect(boundedFilterSchema.safeParse({ kind: 'range', field: 'segment', gte: 1 }).success).toBe(
      false,
    );
    expect(boundedFilterSchema.safeParse({ bool: { must: [] } }).success).toBe(false);
    let deep: Filter = { kind: 'exists', field: 'segment' };
    for (let i = 0; i < 9; i++) deep = { kind: 'not', filter: deep };
    const answer = boundedFilterSchema.safeParse(deep);
    expect(answer.success).toBe(false);
    expect(answer.error?.issues[0].message).toContain('levels deep');
    expect(
      analyticsQuerySchema.safeParse({
        aggs: {
          a: {
            type: 'terms',
            field: 'segment',
            aggs: { b: { type: 'stats', field: 'kpis.lifetimeValue' } },
          },
        },
      }).success,
    ).toBe(true);
  });

  it('flattens the chosen columns of a profile into a row', () => {
    const row = toRow(
      {
        id: 'c1',
        name: 'Anna',
        emails: [
          { value: 'old@x.de', current: false },
          { value: 'a@x.de', current: true },
        ] as never,
        kpis: { lifetimeValue: 12 } as never,
        products: ['A', 'B'],
      },
      ['name', 'email', 'kpis.lifetimeValue', 'products', 'segment'],
    );
    expect(row).toEqual({
      id: 'c1',
      name: 'Anna',
      email: 'a@x.de',
      'kpis.lifetimeValue': 12,
      products: ['A', 'B'],
      segment: null,
    });
  });
});

describe('the filter builder model', () => {
  it('leaves incomplete conditions out, so counts follow every keystroke', () => {
    const root = newGroup('and', [
      newCondition('segment', ''),
      { ...newCondition('kpis.lifetimeValue'), min: '1000' },
    ]);
    expect(toFilter(root)).toEqual({
      kind: 'range',
      field: 'kpis.lifetimeValue',
      gte: 1000,
      lte: undefined,
    });
  });

  it('round-trips a nested NOT filter through the editor', () => {
    const filter: Filter = {
      kind: 'and',
      filters: [
        { kind: 'terms', field: 'products', values: ['A'] },
        {
          kind: 'not',
          filter: {
            kind: 'or',
            filters: [
              { kind: 'terms', field: 'consentGranted', values: ['email'] },
              { kind: 'exists', field: 'kpis.lastNps' },
            ],
          },
        },
      ],
    };
    expect(toFilter(fromFilter(filter))).toEqual(filter);
    expect(
      toFilter(
        rootOf({ kind: 'not', filter: { kind: 'terms', field: 'segment', values: ['VIP'] } }),
      ),
    ).toEqual({ kind: 'not', filter: { kind: 'terms', field: 'segment', values: ['VIP'] } });
  });
});

describe('touchpoint facts', () => {
  it('copies only well-typed figures of an order, a ticket and a survey', () => {
    expect(
      touchpointFacts({
        type: 'order',
        data: { orderNumber: '1', total: 10, currency: 'EUR', channel: 'web', status: 'returned' },
      }),
    ).toEqual({ amount: 10, currency: 'EUR', status: 'returned', salesChannel: 'web' });
    expect(
      touchpointFacts({
        type: 'ticket',
        data: { ticketNumber: '1', subject: 's', status: 'open', complaint: 'yes' } as never,
      }),
    ).toEqual({ status: 'open', priority: 'normal', complaint: false });
    expect(touchpointFacts({ type: 'survey', data: { kind: 'nps', score: '9' } as never })).toEqual(
      { surveyKind: 'nps' },
    );
  });
});
