import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { DashboardAnswer } from '../../../lib/domain-types';

/** How often the live dashboard asks again. */
export const dashboardRefreshMs = 5_000;

export function getDashboard(signal?: AbortSignal): Promise<DashboardAnswer> {
  return api.get<DashboardAnswer>('/dashboard', { signal });
}

export const dashboardQueryOptions = () =>
  queryOptions({
    queryKey: ['dashboard'],
    queryFn: ({ signal }) => getDashboard(signal),
    refetchInterval: dashboardRefreshMs,
    staleTime: 0,
  });

export function useDashboard() {
  return useQuery(dashboardQueryOptions());
}
