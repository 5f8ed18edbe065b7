/** The queries behind the manager dashboard, answered in one `_msearch`. */
import type { estypes } from '@elastic/elasticsearch';
import type { DashboardAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { toFacets } from '../customers/customer-repository';

export async function getDashboard(ctx: ServerContext): Promise<DashboardAnswer> {
  const answer = await ctx.es.msearch({
    searches: [
      { index: ctx.names.customers },
      {
        size: 0,
        track_total_hits: true,
        aggs: {
          segment: { terms: { field: 'segment', size: 20, missing: '(none)' } },
          openTickets: { sum: { field: 'kpis.openTickets' } },
          complaints: { sum: { field: 'kpis.complaints12m' } },
          tickets: { nested: { path: 'openTickets' }, aggs: { priority: { terms: { field: 'openTickets.priority', size: 10, missing: 'normal' } } } },
        },
      },
      { index: ctx.names.touchpoints },
      {
        size: 0,
        track_total_hits: true,
        query: { bool: { must_not: [{ term: { deleted: true } }] } },
        aggs: {
          recent: {
            filter: { range: { occurredAt: { gte: 'now-29d/d' } } },
            aggs: {
              days: {
                date_histogram: { field: 'occurredAt', calendar_interval: 'day', min_doc_count: 0, extended_bounds: { min: 'now-29d/d', max: 'now/d' } },
                aggs: { channel: { terms: { field: 'channel', size: 20, missing: 'other' } } },
              },
            },
          },
        },
      },
    ],
  });
  const [customers, touchpoints] = answer.responses;
  if ('error' in customers) throw new Error(`dashboard customers query failed: ${customers.error.reason ?? ''}`);
  if ('error' in touchpoints) throw new Error(`dashboard touchpoints query failed: ${touchpoints.error.reason ?? ''}`);
  const aggs = customers.aggregations as Record<string, { value?: number; priority?: estypes.AggregationsStringTermsAggregate }>;
  const days = (touchpoints.aggregations?.recent as { days: { buckets: { key_as_string: string; channel: estypes.AggregationsStringTermsAggregate }[] } }).days.buckets;
  const totalOf = (hits: { total?: number | { value: number } }) => (typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0));
  return {
    generatedAt: new Date().toISOString(),
    totals: {
      customers: totalOf(customers.hits),
      touchpoints: totalOf(touchpoints.hits),
      openTickets: Math.round(aggs.openTickets?.value ?? 0),
      complaints12m: Math.round(aggs.complaints?.value ?? 0),
    },
    customersBySegment: toFacets({ segment: customers.aggregations?.segment }).segment ?? [],
    openTicketsByPriority: toFacets({ p: (aggs.tickets as { priority?: unknown })?.priority }).p ?? [],
    touchpointsPerChannelPerDay: days.map((day) => ({
      date: day.key_as_string.slice(0, 10),
      counts: Object.fromEntries(
        (Array.isArray(day.channel.buckets) ? day.channel.buckets : []).map((b: estypes.AggregationsStringTermsBucket) => [String(b.key), b.doc_count]),
      ),
    })),
  };
}
