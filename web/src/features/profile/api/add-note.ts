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
  return api.post<AddedNote>(`/customers/${encodeURIComponent(customerId)}/notes`, {
    text,
    pinned,
  });
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
      // The timeline shows the note once it is stored; the profile's pinned notes only after the profile is rebuilt.
      const deadline = Date.now() + 15_000;
      let inTimeline = false;
      let inProfile = !input.pinned;
      while (Date.now() < deadline && !(inTimeline && inProfile)) {
        await new Promise((r) => setTimeout(r, 250));
        if (!inTimeline) {
          await client.refetchQueries({ queryKey: ['customers', 'timeline', input.customerId] });
          const pages = client.getQueriesData<{ pages: { items: { key: string }[] }[] }>({
            queryKey: ['customers', 'timeline', input.customerId],
          });
          inTimeline = pages.some(([, data]) =>
            data?.pages.some((p) => p.items.some((t) => t.key === added.key)),
          );
        }
        if (!inProfile) {
          await client.refetchQueries({ queryKey: ['customers', 'profile', input.customerId] });
          const profile = client.getQueryData<{ pinnedNotes: { key: string }[] }>([
            'customers',
            'profile',
            input.customerId,
          ]);
          inProfile = profile?.pinnedNotes.some((n) => n.key === added.key) ?? false;
        }
      }
    },
  });
}
