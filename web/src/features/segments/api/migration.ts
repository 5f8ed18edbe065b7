import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

import type {
  MigrationAnswer,
  MigrationDimension,
  TrendsAnswer,
} from '../../../../../domain/src/api';

export type { MigrationAnswer, MigrationDimension, TrendsAnswer };

export function useSnapshotDays() {
  return useQuery({
    queryKey: ['snapshots'],
    queryFn: ({ signal }) =>
      api.get<{ items: { date: string; customers: number }[] }>('/snapshots', { signal }),
  });
}

export function useTakeSnapshot() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (date?: string) =>
      api.post<{ state: string; result?: { customers: number; date: string } }>(
        '/snapshots',
        date ? { date } : {},
      ),
    onSuccess: async () => {
      await Promise.all(
        ['snapshots', 'trends', 'migration'].map((key) =>
          client.invalidateQueries({ queryKey: [key] }),
        ),
      );
    },
  });
}

export function useMigration(
  from: string | null,
  to: string | null,
  dimension: MigrationDimension,
) {
  return useQuery({
    queryKey: ['migration', from, to, dimension],
    queryFn: ({ signal }) =>
      api.get<MigrationAnswer>('/analytics/migration', { signal, params: { from, to, dimension } }),
    enabled: Boolean(from && to),
  });
}

export function useMigratedCustomers(
  cell: {
    from: string;
    to: string;
    dimension: MigrationDimension;
    fromLabel: string;
    toLabel: string;
  } | null,
) {
  return useQuery({
    queryKey: ['migration', 'customers', cell],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; name: string; segment: string | null }[]; more: boolean }>(
        '/analytics/migration/customers',
        { signal, params: { ...cell!, size: 100 } },
      ),
    enabled: Boolean(cell),
  });
}

export function useTrends(dimension: MigrationDimension) {
  return useQuery({
    queryKey: ['trends', dimension],
    queryFn: ({ signal }) =>
      api.get<TrendsAnswer>('/analytics/trends', { signal, params: { dimension } }),
  });
}
