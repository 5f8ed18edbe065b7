/**
 * The analytics endpoint's use case and its Elasticsearch query: a validated
 * filter + aggregations in, counts, aggregation results and optionally one
 * page of rows out. The DSL is built here from the whitelist, never taken
 * from the client.
 *
 * Counts and aggregations, and the page of rows, are two searches of one
 * `_msearch`, run side by side: the rows search counts nothing
 * (`track_total_hits: false`), so sorting a million profiles for the top 50
 * may skip what cannot compete; the aggregation search has `size: 0`, which
 * the shard request cache keeps until the next refresh that changed the
 * index (when it has no `now`: relative dates are never cached).
 */
import type { estypes } from '@elastic/elasticsearch';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import { aggregationsToDsl, analyticsQuery, readAggregations, sortToDsl, sourceFieldsOf, toRow } from '../../../domain/src/analytics/es-query';
import { defaultColumns } from '../../../domain/src/analytics/fields';
import type { AnalyticsAnswer, AnalyticsQuery } from '../../../domain/src/analytics/query-schema';
import type { CustomerDocument } from '../../../domain/src/profile';
import type { ServerContext } from '../context';

export async function runAnalyticsQuery(ctx: ServerContext, request: AnalyticsQuery): Promise<AnalyticsAnswer> {
  const page = request.page;
  const columns = page?.columns ?? defaultColumns;
  const query = analyticsQuery(request.filter, request.q);
  const index = ctx.names.customers;
  const searches: estypes.MsearchRequestItem[] = [
    { index },
    { query, size: 0, track_total_hits: true, aggs: request.aggs ? aggregationsToDsl(request.aggs) : undefined },
  ];
  if (page) {
    searches.push({ index }, { query, size: page.size, from: page.from ?? 0, sort: sortToDsl(page.sort), _source: sourceFieldsOf(columns), track_total_hits: false });
  }
  const answer = await ctx.es.msearch<CustomerDocument>({ searches });
  const [counted, rows] = answer.responses.map((r, i) => {
    // Types only: Elasticsearch's reason quotes the filter value it could not parse (safe-error.ts).
    if ('error' in r) throw new SafeError('analytics_search_failed', `analytics search ${i} failed: ${elasticsearchErrorType(r.error)}`);
    return r;
  });
  const total = typeof counted.hits.total === 'number' ? counted.hits.total : (counted.hits.total?.value ?? 0);
  return {
    total,
    tookMs: Math.max(counted.took, rows?.took ?? 0),
    aggs: request.aggs ? readAggregations(request.aggs, counted.aggregations as Record<string, unknown>) : {},
    ...(page && rows ? { items: rows.hits.hits.map((h) => toRow(h._source ?? {}, columns)) } : {}),
  };
}
