import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Profile } from '../../../lib/domain-types';

/**
 * The unified profile. A merged id answers 308 to the surviving profile and
 * fetch follows it, so the answer's `id` may differ from the one asked for.
 */
export function getCustomer(id: string, signal?: AbortSignal): Promise<Profile> {
  return api.get<Profile>(`/customers/${encodeURIComponent(id)}`, { signal });
}

export const customerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['customers', 'profile', id],
    queryFn: async ({ signal, client }) => {
      const profile = await getCustomer(id, signal);
      // Seed the survivor's cache entry so that moving to its URL does not load it again.
      if (profile.id !== id) client.setQueryData(['customers', 'profile', profile.id], profile);
      return profile;
    },
    staleTime: 15_000,
  });

export function useCustomer(id: string) {
  return useQuery(customerQueryOptions(id));
}
