import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DataQualityAnswer } from '../../../lib/domain-types';
import { api } from '../../../lib/api-client';

export type DuplicatesTrendDay = NonNullable<DataQualityAnswer['duplicatesTrend']>[number];

/** Refreshes by itself every 5 s: the page follows ingest and repairs without a reload. */
export const dataQualityQueryOptions = () =>
  queryOptions({
    queryKey: ['data-quality'],
    queryFn: ({ signal }) => api.get<DataQualityAnswer>('/data-quality', { signal }),
    refetchInterval: 5_000,
  });

export const useDataQuality = () => useQuery(dataQualityQueryOptions());
