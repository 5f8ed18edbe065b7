/**
 * `POST /api/v1/identity/actions/{id}/undo` for several actions (a bulk
 * accept undone at once), one after another, with the result of each.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../../lib/api-client';

export interface UndoResult {
  actionId: string;
  ok: boolean;
  error?: string;
}

export async function undoActions(actionIds: string[]): Promise<UndoResult[]> {
  const results: UndoResult[] = [];
  // One at a time: undoing merges of one customer in parallel would race on its profile.
  for (const actionId of actionIds) {
    try {
      await api.post(`/identity/actions/${encodeURIComponent(actionId)}/undo`, {});
      results.push({ actionId, ok: true });
    } catch (error) {
      results.push({ actionId, ok: false, error: errorMessage(error) });
    }
  }
  return results;
}

export function useUndoActions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: undoActions,
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['identity'] }),
        client.invalidateQueries({ queryKey: ['data-quality'] }),
        client.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
  });
}
