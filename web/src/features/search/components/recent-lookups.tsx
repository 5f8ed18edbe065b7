import { Link } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import {
  setRemembersLookups,
  useRecentLookups,
  useRemembersLookups,
} from '../hooks/use-recent-lookups';
import '../recent-lookups.css';

/** The customers this agent opened last, to get back to a caller who rings again. */
export function RecentLookups() {
  const recent = useRecentLookups();
  const remembers = useRemembersLookups();
  if (recent.length === 0 && !remembers) return null;
  return (
    <section aria-label="Recent lookups" data-testid="recent-lookups">
      <h2 className="small muted">Recent lookups</h2>
      <ul className="recent-lookups">
        {recent.map((r) => (
          <li key={r.id}>
            <Link to={`/customers/${encodeURIComponent(r.id)}`} data-testid="recent-lookup">
              <strong>{r.name}</strong>
              {r.customerNumber && <span className="mono muted">{r.customerNumber}</span>}
              {r.city && <span className="muted">{r.city}</span>}
              <span className="muted small">{formatDateTime(r.at)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {/* Off: the list ends with this tab. On: it stays in this browser until logout; a shared desk should leave it off. */}
      <label className="small muted recent-lookups-remember">
        <input
          type="checkbox"
          checked={remembers}
          onChange={(e) => setRemembersLookups(e.target.checked)}
        />{' '}
        Remember recent lookups on this device
      </label>
    </section>
  );
}
