import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { TimelineAnswer, TouchpointType } from '../../../lib/domain-types';

export interface TimelineInput {
  customerId: string;
  /** Empty: all types. */
  types: readonly TouchpointType[];
  before?: string | null;
  size?: number;
}

export function getTimeline({ customerId, types, before, size = 30 }: TimelineInput, signal?: AbortSignal): Promise<TimelineAnswer> {
  return api.get<TimelineAnswer>(`/customers/${encodeURIComponent(customerId)}/timeline`, {
    params: { types: types.length > 0 ? types.join(',') : null, before, size },
    signal,
  });
}

export const timelineQueryOptions = (customerId: string, types: readonly TouchpointType[]) =>
  infiniteQueryOptions({
    queryKey: ['customers', 'timeline', customerId, [...types].sort()],
    queryFn: ({ pageParam, signal }) => getTimeline({ customerId, types, before: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
    staleTime: 15_000,
  });

/** The customer's touchpoints, newest first, one page of 30 at a time via the `next` cursor. */
export function useTimeline(customerId: string, types: readonly TouchpointType[]) {
  return useInfiniteQuery(timelineQueryOptions(customerId, types));
}
