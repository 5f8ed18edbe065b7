/**
 * The queries behind the manager dashboard panels, answered in one
 * `_msearch`: profile figures from `customers`; trends and contacts from the
 * touchpoint rollups plus the raw touchpoints of the current hour and of hours
 * changed since their last rollup (domain/src/analytics/touchpoint-rollups.ts),
 * so no panel aggregates millions of raw touchpoints and none is behind a
 * touchpoint just indexed.
 */
import type { estypes } from '@elastic/elasticsearch';
import type {
  DashboardPanels,
  DashboardRange,
  TrendPoint,
} from '../../../domain/src/analytics/dashboard-types';
import type { Filter } from '../../../domain/src/analytics/query-schema';
import {
  countOf,
  touchpointsOrRollups,
  weightedAverageOf,
  type RollupGranularity,
} from '../../../domain/src/analytics/touchpoint-rollups';
import type { IndexNames } from '../../../infra/src/names';
import { dirtyRollupHours } from '../../../infra/src/rollup-hours';
import type { ServerContext } from '../context';

/** Starts of the ranges; whole hours for 24 h, so hourly rollups cover them exactly. */
const rangeStart: Record<DashboardRange, string> = {
  '24h': 'now-24h/h',
  '7d': 'now-7d/d',
  '30d': 'now-30d/d',
  '90d': 'now-90d/d',
  '365d': 'now-365d/d',
};
const rangeInterval: Record<DashboardRange, DashboardPanels['interval']> = {
  '24h': 'hour',
  '7d': 'day',
  '30d': 'day',
  '90d': 'day',
  '365d': 'week',
};
/** Inbound calls are counted per hour as long as the hours stay readable. */
const callInterval: Record<DashboardRange, DashboardPanels['interval']> = {
  '24h': 'hour',
  '7d': 'hour',
  '30d': 'day',
  '90d': 'day',
  '365d': 'week',
};
/** Hourly rollups where some panel of the range counts per hour; beyond, daily ones of clean closed days (hourly of the rest). */
const rollupGranularity: Record<DashboardRange, RollupGranularity> = {
  '24h': 'hour',
  '7d': 'hour',
  '30d': 'day',
  '90d': 'day',
  '365d': 'day',
};
const contactTypes = ['call', 'email', 'ticket', 'appointment'];

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}
const bucketsOf = (agg: unknown): Bucket[] => {
  const b = (agg as { buckets?: Bucket[] | Record<string, Bucket> } | undefined)?.buckets;
  if (!b) return [];
  return Array.isArray(b) ? b : Object.entries(b).map(([key, v]) => ({ ...v, key }));
};
const valueOf = (agg: unknown): number | null =>
  (agg as { value?: number | null } | undefined)?.value ?? null;
const countOfDocs = (agg: unknown): number =>
  (agg as { doc_count?: number } | undefined)?.doc_count ?? 0;
/** Touchpoints counted by an aggregation that has the `n` (countOf) sub-aggregation: rollups stand for many. */
const tally = (agg: unknown): number =>
  Math.round(valueOf((agg as Record<string, unknown> | undefined)?.n) ?? 0);
const round = (n: number | null, digits = 2) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

export interface DashboardSearches {
  customers: estypes.SearchRequest;
  touchpoints: estypes.SearchRequest;
  contacts: estypes.SearchRequest;
}

/**
 * The three searches behind the panels, with their indices (exported for
 * bench/analytics, which times each panel alone). `dirtyHours`: hours whose
 * rollups are out of date, read from the touchpoints instead.
 */
export function dashboardSearches(
  names: Pick<IndexNames, 'customers' | 'touchpoints' | 'touchpointRollups'>,
  range: DashboardRange,
  dirtyHours: string[],
): DashboardSearches {
  const from = rangeStart[range];
  const interval = rangeInterval[range];
  const histogram = (step: DashboardPanels['interval'] = interval) => ({
    date_histogram: {
      field: 'occurredAt',
      calendar_interval: step,
      min_doc_count: 0,
      extended_bounds: { min: from, max: 'now' },
    },
    aggs: { n: countOf },
  });
  const ofType = (...types: string[]) => ({ terms: { type: types } });
  const counted = (
    filter: estypes.QueryDslQueryContainer,
    aggs: Record<string, estypes.AggregationsAggregationContainer> = {},
  ) => ({ filter, aggs: { n: countOf, ...aggs } });
  const touchpointIndices = `${names.touchpoints},${names.touchpointRollups}`;

  const customersQuery: estypes.SearchRequest = {
    index: names.customers,
    size: 0,
    track_total_hits: true,
    aggs: {
      segment: {
        terms: { field: 'segment', size: 20, missing: '(none)' },
        aggs: { ltv: { sum: { field: 'kpis.lifetimeValue' } } },
      },
      // One nested document per open ticket (kpis.openTickets is their number): its count is the open-ticket total,
      // so no second pass over every profile sums kpis.openTickets.
      tickets: {
        nested: { path: 'openTickets' },
        aggs: {
          priority: { terms: { field: 'openTickets.priority', size: 10, missing: 'normal' } },
          age: {
            date_range: {
              field: 'openTickets.openedAt',
              ranges: [
                { key: 'under 1 day', from: 'now-1d' },
                { key: '1–3 days', from: 'now-3d', to: 'now-1d' },
                { key: '3–7 days', from: 'now-7d', to: 'now-3d' },
                { key: '7–30 days', from: 'now-30d', to: 'now-7d' },
                { key: 'over 30 days', to: 'now-30d' },
              ],
            },
          },
        },
      },
      ending: {
        filter: { range: { 'kpis.nextContractEnd': { gte: 'now/d', lte: 'now+90d/d' } } },
        aggs: {
          weeks: {
            date_histogram: {
              field: 'kpis.nextContractEnd',
              calendar_interval: 'week',
              min_doc_count: 0,
              extended_bounds: { min: 'now/w', max: 'now+90d/d' },
            },
          },
        },
      },
    },
  };
  const touchpointsQuery: estypes.SearchRequest = {
    index: touchpointIndices,
    size: 0,
    track_total_hits: false,
    query: touchpointsOrRollups({ from, granularity: rollupGranularity[range], dirtyHours }),
    aggs: {
      n: countOf,
      calls: counted(
        { bool: { filter: [ofType('call'), { term: { direction: 'inbound' } }] } },
        { t: histogram(callInterval[range]) },
      ),
      complaints: counted(
        { bool: { filter: [ofType('ticket'), { term: { 'facts.complaint': true } }] } },
        { t: histogram() },
      ),
      orders: counted(ofType('order'), {
        t: {
          ...histogram(),
          aggs: {
            n: countOf,
            returns: counted({ term: { 'facts.status': 'returned' } }),
            revenue: { sum: { field: 'facts.amount' } },
          },
        },
        channel: {
          terms: {
            field: 'facts.salesChannel',
            size: 10,
            missing: 'unknown',
            order: { n: 'desc' },
          },
          aggs: { n: countOf, revenue: { sum: { field: 'facts.amount' } } },
        },
      }),
      surveys: counted(ofType('survey'), {
        t: {
          ...histogram(),
          aggs: {
            nps: counted(
              { term: { 'facts.surveyKind': 'nps' } },
              {
                promoters: counted({ range: { 'facts.score': { gte: 9 } } }),
                detractors: counted({ range: { 'facts.score': { lte: 6 } } }),
              },
            ),
            csat: counted(
              { term: { 'facts.surveyKind': 'csat' } },
              { avg: weightedAverageOf('facts.score') },
            ),
          },
        },
      }),
      cancellations: counted(
        { bool: { filter: [ofType('contract'), { term: { 'facts.status': 'cancelled' } }] } },
        { t: histogram() },
      ),
    },
  };
  // Contacts per channel always count today / 7 / 30 days, whatever the picked range.
  const contactsQuery: estypes.SearchRequest = {
    index: touchpointIndices,
    size: 0,
    track_total_hits: false,
    query: touchpointsOrRollups({ from: 'now-30d/d', granularity: 'day', dirtyHours }, [
      ofType(...contactTypes),
    ]),
    aggs: {
      channel: {
        terms: { field: 'channel', size: 20, missing: 'other', order: { n: 'desc' } },
        aggs: {
          n: countOf,
          today: counted({ range: { occurredAt: { gte: 'now/d' } } }),
          week: counted({ range: { occurredAt: { gte: 'now-7d/d' } } }),
        },
      },
    },
  };

  return { customers: customersQuery, touchpoints: touchpointsQuery, contacts: contactsQuery };
}

export async function getDashboardPanels(
  ctx: ServerContext,
  range: DashboardRange,
): Promise<DashboardPanels> {
  const started = Date.now();
  const interval = rangeInterval[range];
  const searches = dashboardSearches(
    ctx.names,
    range,
    await dirtyRollupHours(ctx.redis, ctx.queues),
  );
  const answer = await ctx.es.msearch({
    searches: Object.values(searches).flatMap(({ index, ...body }) => [
      { index },
      body as estypes.MsearchMultisearchBody,
    ]),
  });
  const [customers, touchpoints, contacts] = answer.responses.map((r, i) => {
    if ('error' in r)
      throw new Error(`dashboard query ${i} failed: ${r.error.reason ?? r.error.type}`);
    return r;
  });
  const c = (customers.aggregations ?? {}) as Record<string, unknown>;
  const t = (touchpoints.aggregations ?? {}) as Record<string, Record<string, unknown>>;
  const totalOf = (hits: { total?: number | { value: number } }) =>
    typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0);
  const at = (b: Bucket) => b.key_as_string ?? new Date(Number(b.key)).toISOString();
  const trend = (
    agg: unknown,
    series: (b: Bucket) => Record<string, number | null>,
  ): TrendPoint[] =>
    bucketsOf((agg as Record<string, unknown>)?.t).map((b) => ({ at: at(b), ...series(b) }));
  const drillTerms = (field: string, value: string): Filter | undefined =>
    value === '(none)' || value === 'unknown' || value === 'other'
      ? undefined
      : { kind: 'terms', field, values: [value] };
  const tickets = c.tickets as Record<string, unknown> | undefined;

  return {
    // When the computation started: pushes of one dashboard start at least a second apart.
    generatedAt: new Date(started).toISOString(),
    range,
    interval,
    callInterval: callInterval[range],
    tookMs: Date.now() - started,
    totals: {
      customers: totalOf(customers.hits),
      touchpointsInRange: tally(touchpoints.aggregations),
      openTickets: countOfDocs(c.tickets),
      contractsEnding90d: countOfDocs(c.ending),
    },
    contactsPerChannel: bucketsOf((contacts.aggregations as Record<string, unknown>)?.channel).map(
      (b) => ({
        channel: String(b.key),
        today: tally(b.today),
        last7d: tally(b.week),
        last30d: tally(b),
        drill: { kind: 'terms', field: 'channels', values: [String(b.key)] },
      }),
    ),
    inboundCallsPerHour: trend(t.calls, (b) => ({ calls: tally(b) })),
    openTicketsByPriority: bucketsOf(tickets?.priority).map((b) => ({
      label: String(b.key),
      value: b.doc_count,
      drill: drillTerms('openTicketPriorities', String(b.key)),
    })),
    openTicketsByAge: bucketsOf(tickets?.age).map((b) => ({
      label: String(b.key),
      value: b.doc_count,
      drill: { kind: 'range', field: 'kpis.openTickets', gte: 1 },
    })),
    complaintsTrend: trend(t.complaints, (b) => ({ complaints: tally(b) })),
    revenueBySegment: bucketsOf(c.segment).map((b) => ({
      label: String(b.key),
      value: round(valueOf(b.ltv)) ?? 0,
      drill: drillTerms('segment', String(b.key)),
    })),
    revenueBySalesChannel: bucketsOf(t.orders?.channel).map((b) => ({
      label: String(b.key),
      value: round(valueOf(b.revenue)) ?? 0,
      drill: drillTerms('preferredSalesChannel', String(b.key)),
    })),
    ordersAndReturns: trend(t.orders, (b) => ({
      orders: tally(b),
      returns: tally(b.returns),
      revenue: round(valueOf(b.revenue)),
    })),
    satisfactionTrend: trend(t.surveys, (b) => {
      const nps = b.nps as Record<string, unknown>;
      const n = tally(nps);
      const csat = b.csat as Record<string, unknown>;
      return {
        nps:
          n === 0 ? null : Math.round(((tally(nps.promoters) - tally(nps.detractors)) / n) * 100),
        csat: round(valueOf(csat?.avg)),
      };
    }),
    cancellationsTrend: trend(t.cancellations, (b) => ({ cancellations: tally(b) })),
    contractsEndingByWeek: bucketsOf((c.ending as Record<string, unknown>)?.weeks).map((b) => ({
      at: at(b),
      contracts: b.doc_count,
    })),
    customersBySegment: bucketsOf(c.segment).map((b) => ({
      label: String(b.key),
      value: b.doc_count,
      drill: drillTerms('segment', String(b.key)),
    })),
  };
}
