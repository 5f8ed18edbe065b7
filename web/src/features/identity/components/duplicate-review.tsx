import { useState } from 'react';
import { Link } from 'react-router';
import type { DuplicateSide, SuspectedDuplicate } from '../../../../../domain/src/api';
import { errorMessage } from '../../../lib/api-client';
import {
  useDuplicates,
  useIdentityActions,
  useMerge,
  useNotSame,
  useUndo,
} from '../api/identity-review';

function Side({ side }: { side: DuplicateSide }) {
  return (
    <div className="duplicate-side">
      <Link to={`/identity/customers/${encodeURIComponent(side.id)}`}>{side.name}</Link>
      <div className="muted">
        {[
          side.birthDate,
          [side.street, side.city].filter(Boolean).join(', '),
          side.email,
          side.phone,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      <div className="muted">sources: {side.sources.join(', ')}</div>
    </div>
  );
}

function PairRow({
  pair,
  onDecided,
}: {
  pair: SuspectedDuplicate;
  onDecided: (pairId: string) => void;
}) {
  const decided = { onSuccess: () => onDecided(pair.pairId) };
  const merge = useMerge();
  const notSame = useNotSame();
  const busy = merge.isPending || notSame.isPending;
  const error = merge.error ?? notSame.error;
  return (
    <li
      className="duplicate-pair"
      data-testid="duplicate-pair"
      aria-label={`${pair.a.name} and ${pair.b.name}`}
    >
      <Side side={pair.a} />
      <Side side={pair.b} />
      <div className="duplicate-reasons">{pair.reasons.join(', ')}</div>
      <div className="duplicate-actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => merge.mutate({ a: pair.a.id, b: pair.b.id }, decided)}
        >
          Merge
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => notSame.mutate({ a: pair.a.id, b: pair.b.id }, decided)}
        >
          Not the same
        </button>
      </div>
      {error && <p role="alert">{errorMessage(error)}</p>}
    </li>
  );
}

/** Suspected duplicates for an admin to decide: never merged automatically. */
export function DuplicateReview() {
  const duplicates = useDuplicates();
  // A decided pair leaves the list at once, before the profiles are rebuilt.
  const [decided, setDecided] = useState<string[]>([]);
  if (duplicates.isPending) return <p>Loading suspected duplicates…</p>;
  if (duplicates.isError) return <p role="alert">{errorMessage(duplicates.error)}</p>;
  const items = duplicates.data.items.filter((pair) => !decided.includes(pair.pairId));
  if (items.length === 0)
    return <p data-testid="no-duplicates">No suspected duplicates to review.</p>;
  return (
    <ul className="duplicate-list" aria-label="Suspected duplicates">
      {items.map((pair) => (
        <PairRow key={pair.pairId} pair={pair} onDecided={(id) => setDecided((d) => [...d, id])} />
      ))}
    </ul>
  );
}

const actionLabels = {
  merge: 'Merged',
  'not-same': 'Marked not the same',
  split: 'Split',
  detach: 'Detached',
} as const;

/** Recent identity actions, each undoable once. */
export function IdentityActions() {
  const actions = useIdentityActions();
  const undo = useUndo();
  if (actions.isPending) return <p>Loading…</p>;
  if (actions.isError) return <p role="alert">{errorMessage(actions.error)}</p>;
  if (actions.data.items.length === 0) return <p>No identity actions yet.</p>;
  return (
    <ul className="identity-actions" aria-label="Identity actions">
      {actions.data.items.map((a) => (
        <li key={a.id} data-testid="identity-action">
          <span>
            {actionLabels[a.action]} {a.customerId} / {a.otherId}
            {a.identifier ? ` (${a.identifier.split(':')[0]})` : ''} by {a.by} at{' '}
            {new Date(a.createdAt).toLocaleString()}
          </span>{' '}
          {a.undoneAt ? (
            <span className="muted">undone</span>
          ) : (
            <button
              type="button"
              className="button small"
              disabled={undo.isPending}
              onClick={() => undo.mutate(a.id)}
            >
              Undo
            </button>
          )}
        </li>
      ))}
      {undo.error && <li role="alert">{errorMessage(undo.error)}</li>}
    </ul>
  );
}
