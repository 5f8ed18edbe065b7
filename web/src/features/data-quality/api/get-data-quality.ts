import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DataQualityAnswer } from '../../../lib/domain-types';
import { api } from '../../../lib/api-client';

export interface DuplicatesTrendDay {
  day: string;
  opened: number;
  merged: number;
  rejected: number;
}

export type DataQuality = DataQualityAnswer & { duplicatesTrend?: DuplicatesTrendDay[] };

/** Refreshes by itself every 5 s: the page follows ingest and repairs without a reload. */
export const dataQualityQueryOptions = () =>
  queryOptions({
    queryKey: ['data-quality'],
    queryFn: ({ signal }) => api.get<DataQuality>('/data-quality', { signal }),
    refetchInterval: 5_000,
  });

export const useDataQuality = () => useQuery(dataQualityQueryOptions());
