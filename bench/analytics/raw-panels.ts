/**
 * The dashboard's touchpoint searches as they were before the rollups
 * (commit 100b44d, server/src/analytics/dashboard-panels.ts): every panel
 * aggregates the raw touchpoints of its range. Kept here only so that
 * bench:analytics can time both designs on the same data, back to back.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { DashboardRange } from '../../domain/src/analytics/dashboard-types';

const rangeStart: Record<DashboardRange, string> = {
  '24h': 'now-24h',
  '7d': 'now-7d/d',
  '30d': 'now-30d/d',
  '90d': 'now-90d/d',
  '365d': 'now-365d/d',
};
const rangeInterval: Record<DashboardRange, 'hour' | 'day' | 'week'> = {
  '24h': 'hour',
  '7d': 'day',
  '30d': 'day',
  '90d': 'day',
  '365d': 'week',
};
const callInterval: Record<DashboardRange, 'hour' | 'day' | 'week'> = {
  '24h': 'hour',
  '7d': 'hour',
  '30d': 'day',
  '90d': 'day',
  '365d': 'week',
};

export function rawTouchpointSearches(range: DashboardRange): {
  touchpoints: estypes.SearchRequest;
  contacts: estypes.SearchRequest;
} {
  const from = rangeStart[range];
  const interval = rangeInterval[range];
  const histogram = (field: string, step = interval) => ({
    field,
    calendar_interval: step,
    min_doc_count: 0,
    extended_bounds: { min: from, max: 'now' },
  });
  const ofType = (...types: string[]) => ({ terms: { type: types } });
  const touchpoints: estypes.SearchRequest = {
    size: 0,
    track_total_hits: true,
    query: {
      bool: {
        filter: [{ range: { occurredAt: { gte: from } } }],
        must_not: [{ term: { deleted: true } }],
      },
    },
    aggs: {
      calls: {
        filter: { bool: { filter: [ofType('call'), { term: { direction: 'inbound' } }] } },
        aggs: { t: { date_histogram: histogram('occurredAt', callInterval[range]) } },
      },
      complaints: {
        filter: { bool: { filter: [ofType('ticket'), { term: { 'facts.complaint': true } }] } },
        aggs: { t: { date_histogram: histogram('occurredAt') } },
      },
      orders: {
        filter: ofType('order'),
        aggs: {
          t: {
            date_histogram: histogram('occurredAt'),
            aggs: {
              returns: { filter: { term: { 'facts.status': 'returned' } } },
              revenue: { sum: { field: 'facts.amount' } },
            },
          },
          channel: {
            terms: { field: 'facts.salesChannel', size: 10, missing: 'unknown' },
            aggs: { revenue: { sum: { field: 'facts.amount' } } },
          },
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
                aggs: {
                  promoters: { filter: { range: { 'facts.score': { gte: 9 } } } },
                  detractors: { filter: { range: { 'facts.score': { lte: 6 } } } },
                },
              },
              csat: {
                filter: { term: { 'facts.surveyKind': 'csat' } },
                aggs: { avg: { avg: { field: 'facts.score' } } },
              },
            },
          },
        },
      },
      cancellations: {
        filter: {
          bool: { filter: [ofType('contract'), { term: { 'facts.status': 'cancelled' } }] },
        },
        aggs: { t: { date_histogram: histogram('occurredAt') } },
      },
    },
  };
  const contacts: estypes.SearchRequest = {
    size: 0,
    query: {
      bool: {
        filter: [
          ofType('call', 'email', 'ticket', 'appointment'),
          { range: { occurredAt: { gte: 'now-30d/d' } } },
        ],
        must_not: [{ term: { deleted: true } }],
      },
    },
    aggs: {
      channel: {
        terms: { field: 'channel', size: 20, missing: 'other' },
        aggs: {
          today: { filter: { range: { occurredAt: { gte: 'now/d' } } } },
          week: { filter: { range: { occurredAt: { gte: 'now-7d/d' } } } },
        },
      },
    },
  };
  return { touchpoints, contacts };
}
