import { formatDate } from '../../../lib/format';
import type { NoteSummary } from '../../../lib/domain-types';

/** Agreements every colleague must see ("deliver only to site B"), above everything else. */
export function PinnedNotes({ notes }: { notes: NoteSummary[] }) {
  if (notes.length === 0) return null;
  return (
    <section className="pinned-notes" aria-label="Pinned notes" data-testid="pinned-notes">
      {notes.map((note) => (
        <div key={note.key} className="pinned-note">
          <span className="pin">Pinned</span>
          <span className="note-text">{note.text}</span>
          <span className="muted note-meta">
            {note.author ?? 'unknown'} · {formatDate(note.occurredAt)}
          </span>
        </div>
      ))}
    </section>
  );
}
