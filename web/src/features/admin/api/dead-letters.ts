import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { DeadLetterView } from '../../../../../domain/src/api';

export type { DeadLetterView };

export interface DeadLetterAnswer {
  total: number;
  items: DeadLetterView[];
}

/** `GET /api/v1/ingest/dead-letters` (admin): touchpoints Elasticsearch can never store, newest first; refreshed every 10 s. */
export const deadLettersQueryOptions = (size = 50) =>
  queryOptions({
    queryKey: ['admin', 'dead-letters', size],
    queryFn: ({ signal }) =>
      api.get<DeadLetterAnswer>('/ingest/dead-letters', { signal, params: { size } }),
    refetchInterval: 10_000,
  });

export const useDeadLetters = (size = 50) => useQuery(deadLettersQueryOptions(size));
