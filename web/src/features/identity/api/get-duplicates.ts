/** `GET /api/v1/identity/duplicates`: one page of the steward's queue, with the exact total for the filters. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { toApiParams, type QueueFilters } from '../utils/queue-params';
import type { DuplicatesPage } from '../../../lib/domain-types';

export const duplicatesQueryOptions = (filters: QueueFilters, after: string | null) =>
  queryOptions({
    queryKey: ['identity', 'duplicates', filters, after],
    queryFn: ({ signal }) =>
      api.get<DuplicatesPage>('/identity/duplicates', {
        params: toApiParams(filters, after),
        signal,
      }),
    // The page stays as it is while the steward reads it: no interval refresh that would move
    // pairs under the cursor; decisions and a finished full pass refresh it.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export const useDuplicates = (filters: QueueFilters, after: string | null) =>
  useQuery(duplicatesQueryOptions(filters, after));
