import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../../lib/api-client';
import type { ApiKeyView, UserView } from '../../../../../domain/src/api';
import type { Role } from '../../../lib/domain-types';

export type { ApiKeyView, UserView };

/** `GET/POST/PUT/DELETE /api/v1/admin/users` and `/admin/api-keys` (admin). */
export const usersQueryOptions = () =>
  queryOptions({
    queryKey: ['admin', 'users'],
    queryFn: ({ signal }) => api.get<{ items: UserView[] }>('/admin/users', { signal }),
  });
export const apiKeysQueryOptions = () =>
  queryOptions({
    queryKey: ['admin', 'api-keys'],
    queryFn: ({ signal }) => api.get<{ items: ApiKeyView[] }>('/admin/api-keys', { signal }),
  });

export const useUsers = () => useQuery(usersQueryOptions());
export const useApiKeys = () => useQuery(apiKeysQueryOptions());

function useAdminMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin'] }),
  });
}

export const useCreateUser = () =>
  useAdminMutation((input: { username: string; role: Role; password?: string }) =>
    api.post<UserView & { password: string | null }>('/admin/users', input),
  );
export const useUpdateUser = () =>
  useAdminMutation(
    ({ username, ...change }: { username: string; role?: Role; password?: string }) =>
      apiRequest<UserView>(`/admin/users/${encodeURIComponent(username)}`, {
        method: 'PUT',
        body: change,
      }),
  );
export const useDeleteUser = () =>
  useAdminMutation((username: string) =>
    apiRequest<{ deleted: true }>(`/admin/users/${encodeURIComponent(username)}`, {
      method: 'DELETE',
    }),
  );
export const useCreateApiKey = () =>
  useAdminMutation((input: { name: string; role: Role }) =>
    api.post<ApiKeyView & { key: string }>('/admin/api-keys', input),
  );
export const useDeleteApiKey = () =>
  useAdminMutation((name: string) =>
    apiRequest<{ deleted: true }>(`/admin/api-keys/${encodeURIComponent(name)}`, {
      method: 'DELETE',
    }),
  );
