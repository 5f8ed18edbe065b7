import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { Skeleton } from '../../../components/spinner';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { useDeleteSegment, useSegmentEvents, useSegments } from '../api/segments';

/** Saved segments with their sizes; a segment's entries and exits; links into the filter builder. */
export function SegmentList({ drillDownPath }: { drillDownPath: (filter: object) => string }) {
  const segments = useSegments();
  const [selected, setSelected] = useState<string | null>(null);
  const events = useSegmentEvents(selected);
  const remove = useDeleteSegment();
  if (segments.isPending) return <Skeleton lines={4} label="Loading segments" />;
  if (segments.isError)
    return (
      <ErrorMessage
        error={segments.error}
        title="Segments could not be loaded"
        onRetry={() => segments.refetch()}
      />
    );
  const items = segments.data.items;
  return (
    <div className="segment-list">
      {items.length === 0 && (
        <p className="muted">No saved segments yet: build a filter in Explore and save it.</p>
      )}
      <table className="data-table" aria-label="Saved segments">
        <tbody>
          {items.map((s) => (
            <tr key={s.id} data-testid="segment-row" aria-selected={selected === s.id}>
              <td>
                <button type="button" className="link-button" onClick={() => setSelected(s.id)}>
                  {s.name}
                </button>
              </td>
              <td className="num" data-testid="segment-members">
                {formatNumber(s.members ?? 0)}
              </td>
              <td data-testid="segment-purpose">
                {s.purpose === 'marketing' ? (
                  <>
                    marketing · {s.consentChannels?.join(', ')} ·{' '}
                    <span
                      data-testid="segment-excluded"
                      title="Customers matching the filter now who lack marketing consent on these channels"
                    >
                      {formatNumber(s.excludedWithoutConsent ?? 0)} left out without consent
                    </span>
                  </>
                ) : (
                  <span className="muted">any use</span>
                )}
              </td>
              <td>
                <Link to={drillDownPath({ kind: 'terms', field: 'segments', values: [s.name] })}>
                  members
                </Link>{' '}
                · <Link to={drillDownPath(s.filter)}>edit filter</Link> ·{' '}
                <button
                  type="button"
                  className="link-button danger-text"
                  onClick={() => remove.mutate(s.id)}
                >
                  delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {remove.isError && <p className="danger-text">{errorMessage(remove.error)}</p>}
      {selected && (
        <div className="segment-events" aria-label="Entries and exits">
          <h3>Entries and exits</h3>
          {events.data?.items.length === 0 && <p className="muted">None yet.</p>}
          <ul>
            {events.data?.items.map((e) => (
              <li key={`${e.customerId}-${e.at}-${e.kind}`}>
                <span className={e.kind === 'entered' ? 'success-text' : 'danger-text'}>
                  {e.kind}
                </span>{' '}
                {formatDateTime(e.at)} ·{' '}
                <Link to={`/customers/${encodeURIComponent(e.customerId)}`}>{e.customerId}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
