import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { formatNumber } from '../../../lib/format';
import { useProfileRebuildStatus, useRebuildEveryProfile } from '../api/profile-rebuild';

/**
 * Rebuild every profile in place with the current fold (admin), e.g. after a
 * fold rule changed: asks for confirmation, marks every customer, then shows
 * how far the indexers are until the backlog is drained.
 */
export function ProfileRebuild() {
  const rebuild = useRebuildEveryProfile();
  const [confirming, setConfirming] = useState(false);
  const [marked, setMarked] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const following = marked !== null && !done;
  const status = useProfileRebuildStatus(following);
  const pending = status.data?.pending;

  useEffect(() => {
    if (following && pending === 0) setDone(true);
  }, [following, pending]);

  const start = () =>
    rebuild.mutate(undefined, {
      onSuccess: (answer) => {
        setConfirming(false);
        setDone(answer.marked === 0);
        setMarked(answer.marked);
      },
    });
  const rebuilt =
    marked === null ? 0 : done ? marked : Math.max(0, marked - Math.min(marked, pending ?? marked));

  return (
    <Panel title="Rebuild every profile" testId="profile-rebuild">
      <p className="muted">
        Folds every stored profile again with the current rules (consent, KPIs, segments), through
        the running indexers. Needed after a change of the fold; ingest goes on meanwhile, though
        new changes wait behind the backlog. The same as{' '}
        <span className="mono">npm run profiles:rebuild</span>.
      </p>
      <div className="rights-actions">
        {!confirming ? (
          <button
            type="button"
            className="button small"
            onClick={() => setConfirming(true)}
            disabled={following || rebuild.isPending}
          >
            Rebuild every profile…
          </button>
        ) : (
          <span className="confirm-erase" role="alert">
            Mark every profile for a rebuild now?{' '}
            <button
              type="button"
              className="button small"
              disabled={rebuild.isPending}
              onClick={start}
            >
              {rebuild.isPending ? 'Marking…' : 'Yes, rebuild'}
            </button>{' '}
            <button
              type="button"
              className="button small"
              disabled={rebuild.isPending}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </span>
        )}
        {marked !== null && (
          <span className="export-progress">
            <progress max={Math.max(1, marked)} value={rebuilt} aria-label="Rebuild progress" />
            <span data-testid="profile-rebuild-progress">
              {done
                ? `Done: ${formatNumber(marked)} ${marked === 1 ? 'profile' : 'profiles'} rebuilt.`
                : `${formatNumber(rebuilt)} / ${formatNumber(marked)} rebuilt (${formatNumber(pending ?? marked)} to go)`}
            </span>
          </span>
        )}
      </div>
      {rebuild.isError && <ErrorMessage error={rebuild.error} />}
      {status.isError && <ErrorMessage error={status.error} />}
    </Panel>
  );
}
