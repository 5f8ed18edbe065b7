import { CopyValue } from '../../../components/copy-value';
import { formatDate } from '../../../lib/format';
import type { IdentityValue, Profile } from '../../../lib/domain-types';
import { sourceOf } from '../utils/value-sources';
import { SourcedValue } from './sourced-value';

function IdentityList({
  label,
  field,
  values,
}: {
  label: string;
  field: 'email' | 'phone';
  values: IdentityValue[];
}) {
  if (values.length === 0) return null;
  // Current values first, then the most recently seen.
  const sorted = [...values].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt),
  );
  return (
    <div className="identity-group">
      <h3>{label}</h3>
      <ul>
        {sorted.map((v) => {
          // The standardized value (lower-case email, E.164 phone); one that could not be standardized as written.
          const shown = v.valid ? v.value : v.original || v.value;
          const seen = `seen in ${v.seenIn.join(', ')} · last ${formatDate(v.lastSeenAt)}`;
          return (
            <li key={v.value} className={v.current ? 'current' : 'former'} data-testid="identity">
              <SourcedValue
                field={field}
                source={seen}
                written={v.original && v.original !== shown ? v.original : null}
                invalid={v.valid ? [] : [field]}
              >
                <CopyValue value={shown} />
              </SourcedValue>
              <span className={`badge ${v.current ? 'ok' : 'muted-badge'}`}>
                {v.current ? 'current' : 'former'}
              </span>
              <div className="identity-seen muted" title={v.seenIn.join(', ')}>
                seen in {v.seenIn.slice(0, 3).join(', ')}
                {v.seenIn.length > 3 ? ` +${v.seenIn.length - 3}` : ''} · {formatDate(v.lastSeenAt)}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function PlainList({
  label,
  field,
  values,
  profile,
}: {
  label: string;
  field: 'customerNumber' | 'externalId';
  values: string[];
  profile: Profile;
}) {
  if (values.length === 0) return null;
  return (
    <div className="identity-group">
      <h3>{label}</h3>
      <ul className="inline-list">
        {values.map((v) => (
          <li key={v} data-testid="identity">
            <SourcedValue field={field} source={sourceOf(profile, `${field}:${v}`)}>
              <CopyValue value={v} />
            </SourcedValue>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Identities({ profile }: { profile: Profile }) {
  return (
    <div className="identities">
      <IdentityList label="Emails" field="email" values={profile.emails} />
      <IdentityList label="Phones" field="phone" values={profile.phones} />
      <PlainList
        label="Customer numbers"
        field="customerNumber"
        values={profile.customerNumbers}
        profile={profile}
      />
      <PlainList
        label="External ids"
        field="externalId"
        values={profile.externalIds}
        profile={profile}
      />
      {profile.emails.length +
        profile.phones.length +
        profile.customerNumbers.length +
        profile.externalIds.length ===
        0 && <p className="muted">No identifiers.</p>}
    </div>
  );
}
