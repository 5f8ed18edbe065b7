/**
 * The analytics endpoint's use case and its Elasticsearch query: a validated
 * filter + aggregations in, counts, aggregation results and optionally one
 * page of rows out. The DSL is built here from the whitelist, never taken
 * from the client.
 */
import { aggregationsToDsl, analyticsQuery, readAggregations, sortToDsl, sourceFieldsOf, toRow } from '../../../domain/src/analytics/es-query';
import { defaultColumns } from '../../../domain/src/analytics/fields';
import type { AnalyticsAnswer, AnalyticsQuery } from '../../../domain/src/analytics/query-schema';
import type { CustomerDocument } from '../../../domain/src/profile';
import type { ServerContext } from '../context';

export async function runAnalyticsQuery(ctx: ServerContext, request: AnalyticsQuery): Promise<AnalyticsAnswer> {
  const page = request.page;
  const columns = page?.columns ?? defaultColumns;
  const answer = await ctx.es.search<CustomerDocument>({
    index: ctx.names.customers,
    query: analyticsQuery(request.filter, request.q),
    track_total_hits: true,
    size: page ? page.size : 0,
    from: page?.from ?? 0,
    sort: page ? sortToDsl(page.sort) : undefined,
    _source: page ? sourceFieldsOf(columns) : false,
    aggs: request.aggs ? aggregationsToDsl(request.aggs) : undefined,
  });
  const total = typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
  return {
    total,
    tookMs: answer.took,
    aggs: request.aggs ? readAggregations(request.aggs, answer.aggregations as Record<string, unknown>) : {},
    ...(page ? { items: answer.hits.hits.map((h) => toRow(h._source ?? {}, columns)) } : {}),
  };
}
