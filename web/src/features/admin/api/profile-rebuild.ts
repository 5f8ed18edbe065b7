import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { ProfileRebuildAnswer, ProfileRebuildStatus } from '../../../../../domain/src/api';

export type { ProfileRebuildAnswer, ProfileRebuildStatus };

/** `GET /api/v1/admin/profiles/rebuild` (admin): profiles still to rebuild; polled while `following`. */
export const profileRebuildStatusQueryOptions = (following: boolean) =>
  queryOptions({
    queryKey: ['admin', 'profile-rebuild'],
    queryFn: ({ signal }) => api.get<ProfileRebuildStatus>('/admin/profiles/rebuild', { signal }),
    enabled: following,
    refetchInterval: following ? 1_000 : false,
  });

export const useProfileRebuildStatus = (following: boolean) =>
  useQuery(profileRebuildStatusQueryOptions(following));

/** `POST /api/v1/admin/profiles/rebuild` (admin): marks every live customer for a rebuild by the running indexers. */
export const useRebuildEveryProfile = () =>
  useMutation({ mutationFn: () => api.post<ProfileRebuildAnswer>('/admin/profiles/rebuild', {}) });
