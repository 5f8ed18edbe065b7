import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../../lib/api-client';
import { updateSession, useSession } from '../../../lib/auth-session';
import type { MeAnswer } from '../../../lib/domain-types';

export function getMe(signal?: AbortSignal): Promise<MeAnswer> {
  return api.get<MeAnswer>('/me', { signal });
}

export const meQueryOptions = (token: string) =>
  queryOptions({
    queryKey: ['me', token],
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
  });

/** Who is logged in; keeps the stored session's name and role in step with the server. */
export function useMe() {
  const session = useSession();
  const query = useQuery({ ...meQueryOptions(session?.token ?? ''), enabled: Boolean(session) });
  const data = query.data;
  useEffect(() => {
    if (data && session && (data.name !== session.name || data.role !== session.role)) {
      updateSession({ name: data.name, role: data.role });
    }
  }, [data, session]);
  return query;
}
