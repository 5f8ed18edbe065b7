/**
 * The queries behind the manager dashboard panels (issue 5), answered in one
 * `_msearch`: profile figures from `customers`, trends from the indexed
 * `facts` of `touchpoints` (see domain/src/analytics/touchpoint-facts.ts).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { DashboardPanels, DashboardRange, TrendPoint } from '../../../domain/src/analytics/dashboard-types';
import type { Filter } from '../../../domain/src/analytics/query-schema';
import type { ServerContext } from '../context';

const rangeStart: Record<DashboardRange, string> = { '24h': 'now-24h', '7d': 'now-7d/d', '30d': 'now-30d/d', '90d': 'now-90d/d', '365d': 'now-365d/d' };
const rangeInterval: Record<DashboardRange, DashboardPanels['interval']> = { '24h': 'hour', '7d': 'day', '30d': 'day', '90d': 'day', '365d': 'week' };
/** Inbound calls are counted per hour as long as the hours stay readable. */
const callInterval: Record<DashboardRange, DashboardPanels['interval']> = { '24h': 'hour', '7d': 'hour', '30d': 'day', '90d': 'day', '365d': 'week' };
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
const valueOf = (agg: unknown): number | null => (agg as { value?: number | null } | undefined)?.value ?? null;
const countOf = (agg: unknown): number => (agg as { doc_count?: number } | undefined)?.doc_count ?? 0;
const round = (n: number | null, digits = 2) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/** The three searches behind the panels (exported for bench/analytics, which times each panel alone). */
export function dashboardSearches(range: DashboardRange): { customers: estypes.SearchRequest; touchpoints: estypes.SearchRequest; contacts: estypes.SearchRequest } {
  const from = rangeStart[range];
  const interval = rangeInterval[range];
  const inRange = { range: { occurredAt: { gte: from } } };
  const histogram = (field: string, step: DashboardPanels['interval'] = interval) => ({ field, calendar_interval: step, min_doc_count: 0, extended_bounds: { min: from, max: 'now' } });
  const ofType = (...types: string[]) => ({ terms: { type: types } });

  const customersQuery: estypes.SearchRequest = {
    size: 0,
    track_total_hits: true,
    aggs: {
      segment: { terms: { field: 'segment', size: 20, missing: '(none)' }, aggs: { ltv: { sum: { field: 'kpis.lifetimeValue' } }, arpu: { sum: { field: 'kpis.monthlyRevenue' } } } },
      openTickets: { sum: { field: 'kpis.openTickets' } },
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
        aggs: { weeks: { date_histogram: { field: 'kpis.nextContractEnd', calendar_interval: 'week', min_doc_count: 0, extended_bounds: { min: 'now/w', max: 'now+90d/d' } } } },
      },
    },
  };
  const touchpointsQuery: estypes.SearchRequest = {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [inRange], must_not: [{ term: { deleted: true } }] } },
    aggs: {
      calls: { filter: { bool: { filter: [ofType('call'), { term: { direction: 'inbound' } }] } }, aggs: { t: { date_histogram: histogram('occurredAt', callInterval[range]) } } },
      complaints: { filter: { bool: { filter: [ofType('ticket'), { term: { 'facts.complaint': true } }] } }, aggs: { t: { date_histogram: histogram('occurredAt') } } },
      orders: {
        filter: ofType('order'),
        aggs: {
          t: { date_histogram: histogram('occurredAt'), aggs: { returns: { filter: { term: { 'facts.status': 'returned' } } }, revenue: { sum: { field: 'facts.amount' } } } },
          channel: { terms: { field: 'facts.salesChannel', size: 10, missing: 'unknown' }, aggs: { revenue: { sum: { field: 'facts.amount' } } } },
        },
      },
      surveys: {
        filter: ofType('survey'),
        aggs: {
          t: {
            date_histogram: histogram('occurredAt'),
            aggs: {
              nps: {
                filter: { term: { 'facts.surveyKind': 'nps' } },
                aggs: { promoters: { filter: { range: { 'facts.score': { gte: 9 } } } }, detractors: { filter: { range: { 'facts.score': { lte: 6 } } } } },
              },
              csat: { filter: { term: { 'facts.surveyKind': 'csat' } }, aggs: { avg: { avg: { field: 'facts.score' } } } },
            },
          },
        },
      },
      cancellations: { filter: { bool: { filter: [ofType('contract'), { term: { 'facts.status': 'cancelled' } }] } }, aggs: { t: { date_histogram: histogram('occurredAt') } } },
    },
  };
  // Contacts per channel always count today / 7 / 30 days, whatever the picked range.
  const contactsQuery: estypes.SearchRequest = {
    size: 0,
    query: { bool: { filter: [ofType(...contactTypes), { range: { occurredAt: { gte: 'now-30d/d' } } }], must_not: [{ term: { deleted: true } }] } },
    aggs: {
      channel: {
        terms: { field: 'channel', size: 20, missing: 'other' },
        aggs: { today: { filter: { range: { occurredAt: { gte: 'now/d' } } } }, week: { filter: { range: { occurredAt: { gte: 'now-7d/d' } } } } },
      },
    },
  };

  return { customers: customersQuery, touchpoints: touchpointsQuery, contacts: contactsQuery };
}

export async function getDashboardPanels(ctx: ServerContext, range: DashboardRange): Promise<DashboardPanels> {
  const started = Date.now();
  const interval = rangeInterval[range];
  const { customers: customersQuery, touchpoints: touchpointsQuery, contacts: contactsQuery } = dashboardSearches(range);
  const answer = await ctx.es.msearch({
    searches: [
      { index: ctx.names.customers },
      customersQuery as estypes.MsearchMultisearchBody,
      { index: ctx.names.touchpoints },
      touchpointsQuery as estypes.MsearchMultisearchBody,
      { index: ctx.names.touchpoints },
      contactsQuery as estypes.MsearchMultisearchBody,
    ],
  });
  const [customers, touchpoints, contacts] = answer.responses.map((r, i) => {
    if ('error' in r) throw new Error(`dashboard query ${i} failed: ${r.error.reason ?? r.error.type}`);
    return r;
  });
  const c = (customers.aggregations ?? {}) as Record<string, unknown>;
  const t = (touchpoints.aggregations ?? {}) as Record<string, Record<string, unknown>>;
  const totalOf = (hits: { total?: number | { value: number } }) => (typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0));
  const at = (b: Bucket) => b.key_as_string ?? new Date(Number(b.key)).toISOString();
  const trend = (agg: unknown, series: (b: Bucket) => Record<string, number | null>): TrendPoint[] =>
    bucketsOf((agg as Record<string, unknown>)?.t).map((b) => ({ at: at(b), ...series(b) }));
  const drillTerms = (field: string, value: string): Filter | undefined =>
    value === '(none)' || value === 'unknown' || value === 'other' ? undefined : { kind: 'terms', field, values: [value] };
  const tickets = c.tickets as Record<string, unknown>;

  return {
    // When the computation started: pushes of one dashboard start at least a second apart.
    generatedAt: new Date(started).toISOString(),
    range,
    interval,
    callInterval: callInterval[range],
    tookMs: Date.now() - started,
    totals: {
      customers: totalOf(customers.hits),
      touchpointsInRange: totalOf(touchpoints.hits),
      openTickets: Math.round(valueOf(c.openTickets) ?? 0),
      contractsEnding90d: countOf(c.ending),
    },
    contactsPerChannel: bucketsOf((contacts.aggregations as Record<string, unknown>)?.channel).map((b) => ({
      channel: String(b.key),
      today: countOf(b.today),
      last7d: countOf(b.week),
      last30d: b.doc_count,
      drill: { kind: 'terms', field: 'channels', values: [String(b.key)] },
    })),
    inboundCallsPerHour: trend(t.calls, (b) => ({ calls: b.doc_count })),
    openTicketsByPriority: bucketsOf(tickets?.priority).map((b) => ({ label: String(b.key), value: b.doc_count, drill: drillTerms('openTicketPriorities', String(b.key)) })),
    openTicketsByAge: bucketsOf(tickets?.age).map((b) => ({ label: String(b.key), value: b.doc_count, drill: { kind: 'range', field: 'kpis.openTickets', gte: 1 } })),
    complaintsTrend: trend(t.complaints, (b) => ({ complaints: b.doc_count })),
    revenueBySegment: bucketsOf(c.segment).map((b) => ({ label: String(b.key), value: round(valueOf(b.ltv)) ?? 0, drill: drillTerms('segment', String(b.key)) })),
    revenueBySalesChannel: bucketsOf(t.orders?.channel).map((b) => ({ label: String(b.key), value: round(valueOf(b.revenue)) ?? 0, drill: drillTerms('preferredSalesChannel', String(b.key)) })),
    ordersAndReturns: trend(t.orders, (b) => ({ orders: b.doc_count, returns: countOf(b.returns), revenue: round(valueOf(b.revenue)) })),
    satisfactionTrend: trend(t.surveys, (b) => {
      const nps = b.nps as Record<string, unknown>;
      const n = countOf(nps);
      const csat = b.csat as Record<string, unknown>;
      return { nps: n === 0 ? null : Math.round(((countOf(nps.promoters) - countOf(nps.detractors)) / n) * 100), csat: round(valueOf(csat?.avg)) };
    }),
    cancellationsTrend: trend(t.cancellations, (b) => ({ cancellations: b.doc_count })),
    contractsEndingByWeek: bucketsOf((c.ending as Record<string, unknown>)?.weeks).map((b) => ({ at: at(b), contracts: b.doc_count })),
    customersBySegment: bucketsOf(c.segment).map((b) => ({ label: String(b.key), value: b.doc_count, drill: drillTerms('segment', String(b.key)) })),
  };
}
