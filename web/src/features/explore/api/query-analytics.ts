import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type {
  AggregationResult,
  AnalyticsAnswer,
  AnalyticsQuery,
  Filter,
} from '../../../../../domain/src/analytics/query-schema';

/** `POST /api/v1/analytics/query`: counts, facets and one page of rows for a filter. */
export function queryAnalytics(
  body: AnalyticsQuery,
  signal?: AbortSignal,
): Promise<AnalyticsAnswer> {
  return api.post<AnalyticsAnswer>('/analytics/query', body, { signal });
}

/** Counts follow the filter while it is edited; the previous answer stays visible meanwhile. */
export function useAnalyticsQuery(body: AnalyticsQuery, enabled = true) {
  return useQuery({
    queryKey: ['analytics', 'query', body],
    queryFn: ({ signal }) => queryAnalytics(body, signal),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    enabled,
  });
}

/** Facet counts for a filter, one request per group of facets, side by side; merged as they arrive (previous counts stay meanwhile). */
export function useFacetAnswers(
  filter: Filter | undefined,
  groups: Record<string, object>[],
): Record<string, AggregationResult> {
  return useQueries({
    queries: groups.map((aggs) => {
      const body = { filter, aggs } as AnalyticsQuery;
      return {
        queryKey: ['analytics', 'query', body],
        queryFn: ({ signal }: { signal: AbortSignal }) => queryAnalytics(body, signal),
        placeholderData: keepPreviousData,
        staleTime: 5_000,
      };
    }),
    combine: (results) =>
      Object.assign({}, ...results.map((r) => r.data?.aggs ?? {})) as Record<
        string,
        AggregationResult
      >,
  });
}
