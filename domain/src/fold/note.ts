/** What notes contribute: the pinned notes, newest first. Unpinned notes stay in the timeline. */
import type { NoteSummary } from '../profile';
import { compareStrings, iso, trimmedOrNull, type TypedTouchpoint } from './fold-context';

export interface NotePart {
  pinnedNotes: NoteSummary[];
}

export function foldNotes(notes: readonly TypedTouchpoint<'note'>[]): NotePart {
  const pinnedNotes = notes
    .filter((n) => n.data.pinned === true)
    .sort((a, b) => b.at - a.at || compareStrings(a.key, b.key))
    .map((n) => ({
      key: n.key,
      text: n.data.text,
      author: trimmedOrNull(n.data.author),
      occurredAt: iso(n.at),
    }));
  return { pinnedNotes };
}
