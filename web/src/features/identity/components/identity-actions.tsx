import { Panel } from '../../../components/panel';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useIdentityActions, useUndo } from '../api/identity-review';
import type { IdentityAction, MatchExplanation } from '../../../lib/domain-types';
import { formatProbability } from '../utils/queue-params';
import { FieldComparisonTable } from './pair-comparison';

const actionLabels = {
  merge: 'Merged',
  'not-same': 'Marked not the same',
  split: 'Split',
  detach: 'Detached',
} as const;

/** The comparison's A and B are the pair's ids in order (`<min>|<max>`), not survivor and merged-in. */
const pairSides = (pairId: string): [string, string] => {
  const [a = '', b = ''] = pairId.split('|');
  return [a, b];
};

/** The matcher's own name on the actions it takes. */
const matcher = 'matching';

export const isScoredMerge = (
  a: IdentityAction,
): a is IdentityAction & { explanation: MatchExplanation } =>
  a.action === 'merge' && a.explanation !== undefined;

/** "Merged automatically, 99.9 %" or "Merged by anna after review, 97.2 %". */
export function mergeHeadline(a: IdentityAction): string {
  const p = a.explanation ? `, ${formatProbability(a.explanation.probability)}` : '';
  return a.by === matcher ? `Merged automatically${p}` : `Merged by ${a.by} after review${p}`;
}

function UndoButton({ action }: { action: IdentityAction }) {
  const undo = useUndo();
  if (action.undoneAt)
    return <span className="muted">undone {formatDateTime(action.undoneAt)}</span>;
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={undo.isPending}
        onClick={(e) => {
          // Inside a summary the click would also open or close the details.
          e.preventDefault();
          undo.mutate(action.id);
        }}
      >
        Undo
      </button>
      {undo.error && (
        <span className="danger-text" role="alert">
          {' '}
          {errorMessage(undo.error)}
        </span>
      )}
    </>
  );
}

/** Why a merge by score happened: the probability, the model and each field's weight; undoable. */
export function MergeExplanation({ action }: { action: IdentityAction }) {
  return (
    <div className="merge-explanation" data-testid="merge-explanation">
      <p>
        <strong data-testid="merge-headline">{mergeHeadline(action)}</strong>{' '}
        <span className="muted">
          {action.otherId} into {action.customerId}, {formatDateTime(action.createdAt)}
          {action.explanation && <>, model {action.explanation.modelVersion}</>}
        </span>{' '}
        <UndoButton action={action} />
      </p>
      {action.explanation && action.explanation.fields.length > 0 && (
        <FieldComparisonTable
          fields={action.explanation.fields}
          labels={pairSides(action.explanation.pairId)}
        />
      )}
    </div>
  );
}

/**
 * The merges by score that made this customer, each explained and undoable
 * (nothing when the customer was never merged by score).
 */
export function CustomerMerges({
  customerId,
  asPanel = false,
}: {
  customerId: string;
  /** On the 360 profile: a panel of its own among the others. */
  asPanel?: boolean;
}) {
  const actions = useIdentityActions(customerId);
  if (actions.isPending) return null;
  const content = actions.isError ? (
    <p role="alert" className="danger-text">
      The merges of this customer could not be loaded: {errorMessage(actions.error)}
    </p>
  ) : (
    actions.data.filter(isScoredMerge).map((a) => <MergeExplanation key={a.id} action={a} />)
  );
  if (!actions.isError && !actions.data.some(isScoredMerge)) return null;
  if (asPanel)
    return (
      <Panel title="Merges by score" testId="customer-merges">
        {content}
      </Panel>
    );
  return (
    <section aria-label="Merges by score" className="customer-merges">
      <h3>Merges by score</h3>
      {content}
    </section>
  );
}

/** Recent identity actions, each undoable once; merges by score say why. */
export function IdentityActions() {
  const actions = useIdentityActions();
  if (actions.isPending) return <p>Loading…</p>;
  if (actions.isError) return <p role="alert">{errorMessage(actions.error)}</p>;
  if (actions.data.length === 0) return <p>No identity actions yet.</p>;
  return (
    <ul className="identity-actions" aria-label="Identity actions">
      {actions.data.map((a) => (
        <li key={a.id} data-testid="identity-action">
          {isScoredMerge(a) ? (
            <details>
              <summary>
                {mergeHeadline(a)}: {a.otherId} into {a.customerId} at {formatDateTime(a.createdAt)}{' '}
                <UndoButton action={a} />
              </summary>
              {a.explanation.fields.length > 0 && (
                <FieldComparisonTable
                  fields={a.explanation.fields}
                  labels={pairSides(a.explanation.pairId)}
                />
              )}
            </details>
          ) : (
            <>
              <span>
                {actionLabels[a.action]} {a.customerId} / {a.otherId}
                {a.identifier ? ` (${a.identifier.split(':')[0]})` : ''} by {a.by} at{' '}
                {new Date(a.createdAt).toLocaleString()}
              </span>{' '}
              <UndoButton action={a} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
