/**
 * `GET /api/v1/identity/matching`: the match model, the thresholds and the
 * full pass (if any). Polled every second while a pass runs, so its progress
 * bar moves; every 15 s otherwise (a pass started elsewhere shows up).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { MatchingStatus, MatchRunView } from '../../../lib/domain-types';

export const matchingQueryOptions = () =>
  queryOptions({
    queryKey: ['identity', 'matching'],
    queryFn: ({ signal }) => api.get<MatchingStatus>('/identity/matching', { signal }),
    refetchInterval: (query) => (query.state.data?.run?.state === 'running' ? 1_000 : 15_000),
  });

export const useMatching = () => useQuery(matchingQueryOptions());

/** `POST /api/v1/identity/matching/runs`: starts a full pass (409 while one runs). */
export function useStartMatchingRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ run: MatchRunView | null }>('/identity/matching/runs', {}),
    onSuccess: async ({ run }) => {
      client.setQueryData<MatchingStatus>(['identity', 'matching'], (old) =>
        old && run ? { ...old, run } : old,
      );
      await client.invalidateQueries({ queryKey: ['identity', 'matching'] });
    },
  });
}
