import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../../lib/api-client';
import type { SearchAnswer } from '../../../lib/domain-types';

export interface SearchCustomersInput {
  q: string;
  size?: number;
  from?: number;
}

export function searchCustomers(
  { q, size = 20, from = 0 }: SearchCustomersInput,
  signal?: AbortSignal,
): Promise<SearchAnswer> {
  // The search box shows no facets: skipping them saves most of Elasticsearch's time per keystroke.
  return api.get<SearchAnswer>('/customers/search', {
    params: { q, size, from, facets: 'false' },
    signal,
  });
}

export const searchCustomersQueryOptions = (input: SearchCustomersInput) =>
  queryOptions({
    queryKey: ['customers', 'search', input],
    // react-query aborts the signal when a newer query replaces this one: stale requests are cancelled.
    queryFn: ({ signal }) => searchCustomers(input, signal),
    staleTime: 5_000,
  });

/** Search as you type; the previous results stay on screen while the next ones load. */
export function useSearchCustomers(q: string) {
  const trimmed = q.trim();
  return useQuery({
    ...searchCustomersQueryOptions({ q: trimmed }),
    enabled: trimmed.length > 0,
    placeholderData: keepPreviousData,
    // The caller is on the phone: one quick retry, then say what is wrong.
    retry: (failureCount, error) =>
      failureCount < 1 && !(error instanceof ApiError && error.status < 500),
    retryDelay: 300,
  });
}
