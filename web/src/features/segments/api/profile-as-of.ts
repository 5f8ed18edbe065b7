import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Profile } from '../../../lib/domain-types';

/** `GET /api/v1/customers/{id}?asOf=<day>`: the profile folded from the touchpoints up to the end of that day. */
export function useProfileAsOf(id: string | null, day: string | null) {
  return useQuery({
    queryKey: ['customers', id, 'as-of', day],
    queryFn: ({ signal }) =>
      api.get<Profile & { asOf: string }>(`/customers/${encodeURIComponent(id ?? '')}`, {
        signal,
        params: { asOf: day },
      }),
    enabled: Boolean(id && day),
    retry: false,
  });
}
