import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../../lib/api-client';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';

export interface SegmentView {
  id: string;
  name: string;
  filter: Filter;
  createdAt: string;
  createdBy: string;
  members: number;
}

export interface SegmentEvent {
  customerId: string;
  segment: string;
  kind: 'entered' | 'exited';
  at: string;
}

export function useSegments() {
  return useQuery({ queryKey: ['segments'], queryFn: ({ signal }) => api.get<{ items: SegmentView[] }>('/segments', { signal }), staleTime: 2_000 });
}

export function useSegmentEvents(id: string | null) {
  return useQuery({
    queryKey: ['segments', id, 'events'],
    queryFn: ({ signal }) => api.get<{ items: SegmentEvent[] }>(`/segments/${encodeURIComponent(id ?? '')}/events`, { signal, params: { size: 50 } }),
    enabled: Boolean(id),
  });
}

export function useCreateSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; filter: Filter }) => api.post<{ segment: SegmentView; queuedForEvaluation: number }>('/segments', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments'] }),
  });
}

export function useDeleteSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<{ deleted: boolean }>(`/segments/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments'] }),
  });
}
