import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { TimelineAnswer, TouchpointType } from '../../../lib/domain-types';

export interface TimelineInput {
  customerId: string;
  /** Empty: all types. */
  types: readonly TouchpointType[];
  before?: string | null;
  size?: number;
  /** Words to find in the touchpoints (searched on the server over the whole history); empty: all. */
  q?: string;
}

export function getTimeline(
  { customerId, types, before, size = 30, q = '' }: TimelineInput,
  signal?: AbortSignal,
): Promise<TimelineAnswer> {
  return api.get<TimelineAnswer>(`/customers/${encodeURIComponent(customerId)}/timeline`, {
    params: { types: types.length > 0 ? types.join(',') : null, before, size, q: q.trim() || null },
    signal,
  });
}

export const timelineQueryOptions = (
  customerId: string,
  types: readonly TouchpointType[],
  q = '',
) =>
  infiniteQueryOptions({
    queryKey: ['customers', 'timeline', customerId, [...types].sort(), q.trim()],
    queryFn: ({ pageParam, signal }) =>
      getTimeline({ customerId, types, before: pageParam, q }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
    staleTime: 15_000,
  });

/** The customer's touchpoints, newest first, one page of 30 at a time via the `next` cursor. */
export function useTimeline(customerId: string, types: readonly TouchpointType[], q = '') {
  return useInfiniteQuery({
    ...timelineQueryOptions(customerId, types, q),
    placeholderData: keepPreviousData,
  });
}
