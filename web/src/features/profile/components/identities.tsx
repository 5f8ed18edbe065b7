import { CopyValue } from '../../../components/copy-value';
import { formatDate } from '../../../lib/format';
import type { IdentityValue, Profile } from '../../../lib/domain-types';

function IdentityList({ label, values }: { label: string; values: IdentityValue[] }) {
  if (values.length === 0) return null;
  // Current values first, then the most recently seen.
  const sorted = [...values].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
  return (
    <div className="identity-group">
      <h3>{label}</h3>
      <ul>
        {sorted.map((v) => (
          <li key={v.value} className={v.current ? 'current' : 'former'} data-testid="identity">
            <CopyValue value={v.original || v.value} />
            <span className={`badge ${v.current ? 'ok' : 'muted-badge'}`}>{v.current ? 'current' : 'former'}</span>
            {!v.valid && (
              <span className="badge warning" title="Could not be standardized">
                invalid
              </span>
            )}
            <div className="identity-seen muted" title={v.seenIn.join(', ')}>
              seen in {v.seenIn.slice(0, 3).join(', ')}
              {v.seenIn.length > 3 ? ` +${v.seenIn.length - 3}` : ''} · {formatDate(v.lastSeenAt)}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PlainList({ label, values }: { label: string; values: string[] }) {
  if (values.length === 0) return null;
  return (
    <div className="identity-group">
      <h3>{label}</h3>
      <ul className="inline-list">
        {values.map((v) => (
          <li key={v} data-testid="identity">
            <CopyValue value={v} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Identities({ profile }: { profile: Profile }) {
  return (
    <div className="identities">
      <IdentityList label="Emails" values={profile.emails} />
      <IdentityList label="Phones" values={profile.phones} />
      <PlainList label="Customer numbers" values={profile.customerNumbers} />
      <PlainList label="External ids" values={profile.externalIds} />
      {profile.emails.length + profile.phones.length + profile.customerNumbers.length + profile.externalIds.length === 0 && (
        <p className="muted">No identifiers.</p>
      )}
    </div>
  );
}
