import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { IngestStatus } from '../../../lib/domain-types';

export function getIngestStatus(signal?: AbortSignal): Promise<IngestStatus> {
  return api.get<IngestStatus>('/ingest/status', { signal });
}

export const ingestStatusQueryOptions = (refetchIntervalMs = 5_000) =>
  queryOptions({
    queryKey: ['ingest', 'status'],
    queryFn: ({ signal }) => getIngestStatus(signal),
    refetchInterval: refetchIntervalMs,
    staleTime: 0,
  });

export function useIngestStatus(refetchIntervalMs?: number) {
  return useQuery(ingestStatusQueryOptions(refetchIntervalMs));
}
