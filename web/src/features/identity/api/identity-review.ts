/** Identity repair endpoints (admin): merge, not-the-same, split, detach, actions and undo. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IdentityAction, Profile, StoredTouchpoint } from '../../../lib/domain-types';
import { api } from '../../../lib/api-client';

export type { IdentityAction };

/**
 * Recent identity actions (the latest 50); with a customer id, the API's
 * latest actions that touched that customer, as survivor or merged-in, however
 * many others came after them.
 */
export const useIdentityActions = (customerId?: string) =>
  useQuery({
    queryKey: ['identity', 'actions', customerId ?? null],
    queryFn: async ({ signal }) => {
      const answer = await api.get<{ items: IdentityAction[] }>('/identity/actions', {
        params: customerId ? { customerId } : {},
        signal,
      });
      return answer.items;
    },
  });

/** The profile and its records as the identity page shows them. */
export const useCustomerRecords = (id: string) =>
  useQuery({
    queryKey: ['identity', 'customer', id],
    queryFn: async ({ signal }) => {
      const [profile, timeline] = await Promise.all([
        api.get<Profile>(`/customers/${encodeURIComponent(id)}`, { signal }),
        api.get<{ items: StoredTouchpoint[] }>(`/customers/${encodeURIComponent(id)}/timeline`, {
          params: { size: 200 },
          signal,
        }),
      ]);
      return { profile, records: timeline.items };
    },
  });

/** Every action changes profiles (rebuilt within a second or two): refresh what the pages show. */
function useIdentityMutation<I>(run: (input: I) => Promise<IdentityAction>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['identity'] });
      await client.invalidateQueries({ queryKey: ['customers'] });
    },
  });
}

export const useMerge = () =>
  useIdentityMutation((pair: { a: string; b: string }) =>
    api.post<IdentityAction>('/identity/merge', pair),
  );
export const useNotSame = () =>
  useIdentityMutation((pair: { a: string; b: string }) =>
    api.post<IdentityAction>('/identity/not-same', pair),
  );
export const useSplit = () =>
  useIdentityMutation((input: { customerId: string; touchpoints: string[] }) =>
    api.post<IdentityAction>('/identity/split', input),
  );
export const useDetach = () =>
  useIdentityMutation((input: { customerId: string; identifier: string }) =>
    api.post<IdentityAction>('/identity/detach', input),
  );
export const useUndo = () =>
  useIdentityMutation((id: string) =>
    api.post<IdentityAction>(`/identity/actions/${encodeURIComponent(id)}/undo`, {}),
  );
