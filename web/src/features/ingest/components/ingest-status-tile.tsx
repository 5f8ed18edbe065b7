import { ErrorMessage } from '../../../components/error-message';
import { Spinner } from '../../../components/spinner';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { useIngestStatus } from '../api/get-ingest-status';

/** Whether everything accepted so far is searchable: the queue of the indexers. */
export function IngestStatusTile() {
  const status = useIngestStatus();
  if (status.isPending) return <Spinner label="Loading ingest status" />;
  if (status.isError) return <ErrorMessage error={status.error} />;
  const { waiting, active, failed, lastIndexedAt } = status.data;
  const idle = waiting === 0 && active === 0;
  return (
    <div className="ingest-status" data-testid="ingest-status">
      <span className={`dot ${idle ? 'ok' : 'busy'}`} aria-hidden="true" />
      <span>
        {idle
          ? 'All touchpoints indexed'
          : `${formatNumber(waiting)} waiting · ${formatNumber(active)} indexing`}
      </span>
      {failed > 0 && <span className="badge danger">{formatNumber(failed)} failed</span>}
      <span className="muted">last indexed {formatDateTime(lastIndexedAt)}</span>
    </div>
  );
}
