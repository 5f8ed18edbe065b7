import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface AddNoteInput {
  customerId: string;
  text: string;
  pinned: boolean;
}

export interface AddedNote {
  key: string;
  customerId: string;
  occurredAt: string;
}

export function addNote({ customerId, text, pinned }: AddNoteInput): Promise<AddedNote> {
  return api.post<AddedNote>(`/customers/${encodeURIComponent(customerId)}/notes`, { text, pinned });
}

/**
 * Adds a note, then refreshes the timeline (and the profile, for pinned notes)
 * until the note is there: it goes through the ingest queue, so it shows up
 * within a second or two, not at once.
 */
export function useAddNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: addNote,
    onSuccess: async (added, input) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        await client.refetchQueries({ queryKey: ['customers', 'timeline', input.customerId] });
        if (input.pinned) await client.refetchQueries({ queryKey: ['customers', 'profile', input.customerId] });
        const pages = client.getQueriesData<{ pages: { items: { key: string }[] }[] }>({ queryKey: ['customers', 'timeline', input.customerId] });
        if (pages.some(([, data]) => data?.pages.some((p) => p.items.some((t) => t.key === added.key)))) return;
      }
    },
  });
}
