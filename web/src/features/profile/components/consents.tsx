import { formatDate } from '../../../lib/format';
import type { ConsentState } from '../../../lib/domain-types';

const channelLabels: Record<string, string> = {
  email: 'Email',
  sms: 'SMS',
  phone: 'Phone',
  post: 'Post',
};
const channelLabel = (channel: string) => channelLabels[channel] ?? channel;

export function Consents({ consents }: { consents: ConsentState[] }) {
  if (consents.length === 0) return <p className="muted">No consents recorded.</p>;
  return (
    <ul className="consent-list">
      {consents.map((c) => (
        <li key={`${c.channel}:${c.purpose ?? ''}`} data-testid="consent">
          <span
            className={`consent-mark ${c.granted ? 'granted' : 'denied'}`}
            aria-label={c.granted ? 'granted' : 'not granted'}
          >
            {c.granted ? '✓' : '✕'}
          </span>
          <span className="consent-channel">{channelLabel(c.channel)}</span>
          {c.purpose && <span className="muted">{c.purpose}</span>}
          <span className="muted small">
            since {formatDate(c.since)} · {c.source}
          </span>
        </li>
      ))}
    </ul>
  );
}
