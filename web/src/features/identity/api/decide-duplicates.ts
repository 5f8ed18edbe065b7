/**
 * `POST /api/v1/identity/duplicates/decisions`: accept (an undoable merge) or
 * reject ("not the same") up to 200 pairs at once, answered per pair.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { DuplicateDecisionResult } from '../../../lib/domain-types';

export type Decision = 'accept' | 'reject';

export const maxDecisionsPerRequest = 200;

export async function decideDuplicates(
  decisions: { pairId: string; decision: Decision }[],
): Promise<DuplicateDecisionResult[]> {
  const results: DuplicateDecisionResult[] = [];
  for (let i = 0; i < decisions.length; i += maxDecisionsPerRequest) {
    const answer = await api.post<{ results: DuplicateDecisionResult[] }>(
      '/identity/duplicates/decisions',
      {
        decisions: decisions.slice(i, i + maxDecisionsPerRequest),
      },
    );
    results.push(...answer.results);
  }
  return results;
}

/** Decisions change profiles, the queue, its total and the data-quality figures: refresh them all. */
export function useDecideDuplicates() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: decideDuplicates,
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['identity'] }),
        client.invalidateQueries({ queryKey: ['data-quality'] }),
        client.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
  });
}
