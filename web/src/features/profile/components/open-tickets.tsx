import { CopyValue } from '../../../components/copy-value';
import { formatDate } from '../../../lib/format';
import type { TicketSummary } from '../../../lib/domain-types';

export function OpenTickets({ tickets }: { tickets: TicketSummary[] }) {
  if (tickets.length === 0) return <p className="muted">No open tickets.</p>;
  return (
    <ul className="ticket-list">
      {tickets.map((t) => (
        <li
          key={t.key}
          className={`ticket${t.complaint ? ' complaint' : ''}`}
          data-testid="open-ticket"
        >
          <div className="ticket-line">
            <span className="mono">
              <CopyValue value={t.ticketNumber} />
            </span>
            <span className="ticket-subject">{t.subject}</span>
          </div>
          <div className="ticket-line muted">
            <span className={`badge status-${t.status}`}>{t.status}</span>
            {t.priority && <span className={`badge priority-${t.priority}`}>{t.priority}</span>}
            {t.complaint && <span className="badge danger">complaint</span>}
            {t.category && <span>{t.category}</span>}
            {t.channel && <span>via {t.channel}</span>}
            <span>opened {formatDate(t.openedAt)}</span>
            <span>updated {formatDate(t.updatedAt)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
