import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { AnalyticsAnswer, AnalyticsQuery } from '../../../../../domain/src/analytics/query-schema';

/** `POST /api/v1/analytics/query`: counts, facets and one page of rows for a filter. */
export function queryAnalytics(body: AnalyticsQuery, signal?: AbortSignal): Promise<AnalyticsAnswer> {
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
