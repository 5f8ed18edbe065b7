/**
 * The queries behind the first manager dashboard (`GET /api/v1/dashboard`),
 * answered in one `_msearch`. Touchpoints are counted from the rollups plus
 * the raw touchpoints of the current hour and of dirty hours, as the live panels do
 * (dashboard-panels.ts), so the answer costs the same at ten million touchpoints.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { DashboardAnswer } from '../../../domain/src/api';
import { countOf, touchpointsOrRollups } from '../../../domain/src/analytics/touchpoint-rollups';
import { dirtyRollupHours } from '../../../infra/src/rollup-hours';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import type { ServerContext } from '../context';
import { toFacets } from '../customers/customer-repository';

export async function getDashboard(ctx: ServerContext): Promise<DashboardAnswer> {
  const dirtyHours = await dirtyRollupHours(ctx.redis, ctx.queues);
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
          tickets: {
            nested: { path: 'openTickets' },
            aggs: {
              priority: { terms: { field: 'openTickets.priority', size: 10, missing: 'normal' } },
            },
          },
        },
      },
      { index: `${ctx.names.touchpoints},${ctx.names.touchpointRollups}` },
      {
        size: 0,
        track_total_hits: false,
        query: touchpointsOrRollups({ granularity: 'day', dirtyHours }),
        aggs: {
          n: countOf,
          recent: {
            filter: { range: { occurredAt: { gte: 'now-29d/d' } } },
            aggs: {
              days: {
                date_histogram: {
                  field: 'occurredAt',
                  calendar_interval: 'day',
                  min_doc_count: 0,
                  extended_bounds: { min: 'now-29d/d', max: 'now/d' },
                },
                aggs: {
                  channel: {
                    terms: { field: 'channel', size: 20, missing: 'other', order: { n: 'desc' } },
                    aggs: { n: countOf },
                  },
                },
              },
            },
          },
        },
      },
    ],
  });
  const [customers, touchpoints] = answer.responses;
  if ('error' in customers)
    throw new SafeError(
      'dashboard_search_failed',
      `dashboard customers query failed: ${elasticsearchErrorType(customers.error)}`,
    );
  if ('error' in touchpoints)
    throw new SafeError(
      'dashboard_search_failed',
      `dashboard touchpoints query failed: ${elasticsearchErrorType(touchpoints.error)}`,
    );
  const aggs = customers.aggregations as Record<
    string,
    { value?: number; priority?: estypes.AggregationsStringTermsAggregate }
  >;
  const days = (
    touchpoints.aggregations?.recent as {
      days: {
        buckets: { key_as_string: string; channel: estypes.AggregationsStringTermsAggregate }[];
      };
    }
  ).days.buckets;
  const totalOf = (hits: { total?: number | { value: number } }) =>
    typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0);
  return {
    generatedAt: new Date().toISOString(),
    totals: {
      customers: totalOf(customers.hits),
      touchpoints: Math.round(
        (touchpoints.aggregations?.n as { value?: number } | undefined)?.value ?? 0,
      ),
      openTickets: Math.round(aggs.openTickets?.value ?? 0),
      complaints12m: Math.round(aggs.complaints?.value ?? 0),
    },
    customersBySegment: toFacets({ segment: customers.aggregations?.segment }).segment ?? [],
    openTicketsByPriority:
      toFacets({ p: (aggs.tickets as { priority?: unknown })?.priority }).p ?? [],
    touchpointsPerChannelPerDay: days.map((day) => ({
      date: day.key_as_string.slice(0, 10),
      counts: Object.fromEntries(
        (Array.isArray(day.channel.buckets) ? day.channel.buckets : []).map(
          (b: estypes.AggregationsStringTermsBucket) => [
            String(b.key),
            Math.round((b.n as { value?: number } | undefined)?.value ?? 0),
          ],
        ),
      ),
    })),
  };
}
