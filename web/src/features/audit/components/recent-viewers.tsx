import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime } from '../../../lib/format';
import { useViewers } from '../api/get-viewers';

const actionLabels: Record<string, string> = {
  view: 'opened the profile',
  timeline: 'read the timeline',
  touchpoint: 'opened a record',
  export: 'exported the data',
};

/** "Who looked at this customer recently", from the audit log. */
export function RecentViewers({ customerId }: { customerId: string }) {
  const viewers = useViewers(customerId);
  return (
    <Panel title="Recently looked at by" testId="recent-viewers">
      {viewers.isPending ? (
        <Skeleton lines={2} label="Loading viewers" />
      ) : viewers.isError ? (
        <ErrorMessage error={viewers.error} onRetry={() => void viewers.refetch()} />
      ) : viewers.data.items.length === 0 ? (
        <p className="muted">Nobody else yet.</p>
      ) : (
        <ul className="viewer-list">
          {viewers.data.items.map((v) => (
            <li key={`${v.actor}:${v.action}`} data-testid="recent-viewer">
              <strong>{v.actor}</strong> <span className="muted">({v.role})</span>{' '}
              {actionLabels[v.action] ?? v.action}{' '}
              <span className="muted small">{formatDateTime(v.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
