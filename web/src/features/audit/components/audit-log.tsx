import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { Panel } from '../../../components/panel';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime } from '../../../lib/format';
import { useAudit, type AuditFilter } from '../api/search-audit';

const actions = [
  '',
  'view',
  'search',
  'timeline',
  'touchpoint',
  'export',
  'erase',
  'merge',
  'retention',
  'user-admin',
  'rebuild',
];

/** The admin's view of the audit log: filter by customer, actor, action and time. */
export function AuditLog() {
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const audit = useAudit(filter);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = Object.fromEntries(
      Object.entries(draft).filter(([, v]) => v !== '' && v !== undefined),
    ) as AuditFilter;
    // Local datetime inputs → ISO with a zone, as the API requires.
    if (clean.from) clean.from = new Date(clean.from).toISOString();
    if (clean.to) clean.to = new Date(clean.to).toISOString();
    setFilter(clean);
  };
  const page = (offset: number) => setFilter({ ...filter, offset });

  return (
    <Panel
      title="Audit log"
      aside={audit.data ? <span className="count">{audit.data.total} entries</span> : null}
      testId="audit-log"
    >
      <form className="audit-filter" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Customer id{' '}
          <input
            value={draft.customerId ?? ''}
            onChange={(e) => setDraft({ ...draft, customerId: e.target.value.trim() })}
          />
        </label>
        <label>
          Actor{' '}
          <input
            value={draft.actor ?? ''}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value.trim() })}
            placeholder="agent or api-key:ingest"
          />
        </label>
        <label>
          Action
          <select
            value={draft.action ?? ''}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            {actions.map((a) => (
              <option key={a} value={a}>
                {a || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          From{' '}
          <input
            type="datetime-local"
            value={draft.from ?? ''}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            value={draft.to ?? ''}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <button type="submit" className="button primary small">
          Search
        </button>
      </form>
      {audit.isPending ? (
        <Skeleton lines={6} label="Loading the audit log" />
      ) : audit.isError ? (
        <ErrorMessage error={audit.error} onRetry={() => void audit.refetch()} />
      ) : (
        <>
          <table className="data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Customers</th>
                <th>Results</th>
                <th>From</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="small">{formatDateTime(e.at)}</td>
                  <td>
                    {e.actor} <span className="muted small">{e.role}</span>
                  </td>
                  <td>
                    <span className="badge">{e.action}</span>{' '}
                    <span className="muted small mono">
                      {e.method} {e.route}
                    </span>
                  </td>
                  <td className="mono small">
                    {e.customerIds.slice(0, 3).map((id) => (
                      <div key={id}>
                        {e.action === 'erase' ? (
                          id
                        ) : (
                          <Link to={`/customers/${encodeURIComponent(id)}`}>{id}</Link>
                        )}
                      </div>
                    ))}
                    {e.customerIds.length > 3 && (
                      <span className="muted">+{e.customerIds.length - 3} more</span>
                    )}
                  </td>
                  <td className="count">{e.resultCount ?? ''}</td>
                  <td className="mono small">{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="audit-paging">
            <button
              type="button"
              className="button small"
              disabled={!filter.offset}
              onClick={() => page(Math.max(0, (filter.offset ?? 0) - 50))}
            >
              Newer
            </button>
            <button
              type="button"
              className="button small"
              disabled={(filter.offset ?? 0) + 50 >= audit.data.total}
              onClick={() => page((filter.offset ?? 0) + 50)}
            >
              Older
            </button>
          </div>
        </>
      )}
    </Panel>
  );
}
