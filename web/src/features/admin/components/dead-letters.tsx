import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime, formatNumber, humanize } from '../../../lib/format';
import { useDeadLetters } from '../api/dead-letters';

/**
 * Touchpoints the indexers set aside because Elasticsearch can never store
 * them (a value that breaks the mapping, a term too long): what to fix at the
 * source. Entries name the record, never its content.
 */
export function DeadLetters() {
  const letters = useDeadLetters();
  return (
    <Panel title="Touchpoints that could not be stored" testId="dead-letters">
      {letters.isPending ? (
        <Skeleton lines={3} />
      ) : letters.isError ? (
        <ErrorMessage error={letters.error} />
      ) : letters.data.total === 0 ? (
        <p className="muted">None: every touchpoint accepted so far could be stored.</p>
      ) : (
        <>
          <p className="muted">
            {formatNumber(letters.data.total)} set aside (the newest 10,000 are kept). Correct them
            in the source system and send them again; the rest of their batches was stored.
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>Record</th>
                <th>Type</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {letters.data.items.map((letter) => (
                <tr key={`${letter.source}:${letter.id}`}>
                  <td>{formatDateTime(letter.at)}</td>
                  <td className="mono">
                    {letter.source}:{letter.id}
                  </td>
                  <td>{letter.type}</td>
                  <td>
                    {humanize(letter.reason)} <span className="muted mono">{letter.detail}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}
