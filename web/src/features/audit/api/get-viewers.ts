import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface RecentViewer {
  actor: string;
  role: string;
  action: string;
  at: string;
}

/** `GET /api/v1/customers/{id}/viewers`: who looked at this customer recently. */
export function getViewers(
  customerId: string,
  signal?: AbortSignal,
): Promise<{ items: RecentViewer[] }> {
  return api.get<{ items: RecentViewer[] }>(
    `/customers/${encodeURIComponent(customerId)}/viewers`,
    { params: { size: 8 }, signal },
  );
}

export const viewersQueryOptions = (customerId: string) =>
  queryOptions({
    queryKey: ['customers', 'viewers', customerId],
    queryFn: ({ signal }) => getViewers(customerId, signal),
    staleTime: 10_000,
  });

export function useViewers(customerId: string) {
  return useQuery(viewersQueryOptions(customerId));
}
