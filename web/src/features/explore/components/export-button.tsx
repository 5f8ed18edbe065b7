import { useRef, useState } from 'react';
import type { ColumnName } from '../../../../../domain/src/analytics/fields';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';
import { errorMessage } from '../../../lib/api-client';
import { formatNumber } from '../../../lib/format';
import { exportCustomersCsv, type ExportProgress } from '../api/export-customers';

/** Exports every matching customer as CSV, with a progress bar while the rows stream in. */
export function ExportButton({
  filter,
  columns,
}: {
  filter: Filter | null;
  columns: ColumnName[];
}) {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [state, setState] = useState<'idle' | 'running' | 'done' | 'failed'>('idle');
  const [message, setMessage] = useState('');
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    abort.current = new AbortController();
    setState('running');
    setProgress({ rows: 0, total: 0 });
    try {
      const { blob, rows, fileName } = await exportCustomersCsv(
        { filter: filter ?? undefined, columns: ['id', ...columns.filter((c) => c !== 'id')] },
        setProgress,
        abort.current.signal,
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState('done');
      setMessage(`${formatNumber(rows)} customers exported to ${fileName}.`);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setState('idle');
        return;
      }
      setState('failed');
      setMessage(errorMessage(error));
    }
  };

  const percent =
    progress && progress.total > 0 ? Math.round((progress.rows / progress.total) * 100) : 0;
  return (
    <div className="export" data-testid="export">
      {state === 'running' ? (
        <button type="button" className="button small" onClick={() => abort.current?.abort()}>
          Cancel export
        </button>
      ) : (
        <button type="button" className="button small" onClick={run}>
          Export CSV
        </button>
      )}
      {state === 'running' && progress && (
        <span className="export-progress">
          <progress
            max={Math.max(1, progress.total)}
            value={progress.rows}
            aria-label="Export progress"
          />
          <span data-testid="export-progress">
            {formatNumber(progress.rows)} / {formatNumber(progress.total)} ({percent}%)
          </span>
        </span>
      )}
      {state === 'done' && (
        <span className="success-text" data-testid="export-done">
          {message}
        </span>
      )}
      {state === 'failed' && <span className="danger-text">{message}</span>}
    </div>
  );
}
