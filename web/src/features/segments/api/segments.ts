import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../../lib/api-client';
import type { AnalyticsAnswer, Filter } from '../../../../../domain/src/analytics/query-schema';
import {
  requiredConsentFilter,
  type SegmentPurpose,
  type SegmentView,
} from '../../../../../domain/src/analytics/segment-audience';
import type { MarketingChannel } from '../../../../../domain/src/marketing-consent';

export type { SegmentView };

export interface NewSegment {
  name: string;
  filter: Filter;
  purpose?: SegmentPurpose;
  consentChannels?: MarketingChannel[];
}

export interface SegmentEvent {
  customerId: string;
  segment: string;
  kind: 'entered' | 'exited';
  at: string;
}

export function useSegments() {
  return useQuery({
    queryKey: ['segments'],
    queryFn: ({ signal }) => api.get<{ items: SegmentView[] }>('/segments', { signal }),
    staleTime: 2_000,
  });
}

export function useSegmentEvents(id: string | null) {
  return useQuery({
    queryKey: ['segments', id, 'events'],
    queryFn: ({ signal }) =>
      api.get<{ items: SegmentEvent[] }>(`/segments/${encodeURIComponent(id ?? '')}/events`, {
        signal,
        params: { size: 50 },
      }),
    enabled: Boolean(id),
  });
}

export function useCreateSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewSegment) =>
      api.post<{ segment: SegmentView; queuedForEvaluation: number }>('/segments', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments'] }),
  });
}

export function useDeleteSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<{ deleted: boolean }>(`/segments/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments'] }),
  });
}

/**
 * While a marketing segment is being saved: how many customers match the
 * filter and how many of them lack the needed consent (one analytics query,
 * the consent as a filter aggregation, the count the server reports after saving).
 */
export function useConsentPreview(filter: Filter | null, channels: MarketingChannel[]) {
  const consent =
    channels.length > 0
      ? requiredConsentFilter({ purpose: 'marketing', consentChannels: channels })
      : null;
  return useQuery({
    queryKey: ['segments', 'consent-preview', filter, channels],
    queryFn: async ({ signal }) => {
      const answer = await api.post<AnalyticsAnswer>(
        '/analytics/query',
        { filter: filter ?? undefined, aggs: { consented: { type: 'filter', filter: consent } } },
        { signal },
      );
      const consented = answer.aggs.consented;
      return {
        matching: answer.total,
        excludedWithoutConsent: answer.total - (consented?.type === 'filter' ? consented.count : 0),
      };
    },
    enabled: Boolean(filter && consent),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}
