import { CopyValue } from '../../../components/copy-value';
import { formatDate } from '../../../lib/format';
import type { Profile } from '../../../lib/domain-types';
import { profileFlags } from '../utils/profile-flags';

export function ProfileHeader({ profile }: { profile: Profile }) {
  const flags = profileFlags(profile);
  const address = profile.address;
  const addressText = address ? [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.country].filter(Boolean).join(', ') : null;
  return (
    <header className="profile-header" data-testid="profile-header">
      <div className="profile-title">
        <h1>{profile.name}</h1>
        {profile.customerNumbers[0] && (
          <span className="mono profile-number" data-testid="profile-customer-number">
            <CopyValue value={profile.customerNumbers[0]} />
          </span>
        )}
        {profile.segment && (
          <span className="badge segment" data-testid="profile-segment">
            {profile.segment}
          </span>
        )}
        {profile.status && <span className="badge">{profile.status}</span>}
        <ul className="flags" aria-label="Flags">
          {flags.map((f) => (
            <li key={f.key} className={`flag ${f.tone}`} data-testid={`flag-${f.key}`}>
              {f.label}
            </li>
          ))}
        </ul>
      </div>
      <div className="profile-meta muted">
        {profile.company && <span>{profile.company}</span>}
        {addressText && <span>{addressText}</span>}
        {profile.birthDate && <span>born {formatDate(profile.birthDate)}</span>}
        {profile.language && <span>language {profile.language}</span>}
        {profile.preferredSalesChannel && <span>prefers {profile.preferredSalesChannel}</span>}
        {profile.tags.length > 0 && (
          <span>
            {profile.tags.map((t) => (
              <span key={t} className="tag">
                {t}
              </span>
            ))}
          </span>
        )}
        <span>customer since {formatDate(profile.firstSeenAt)}</span>
        {profile.mergedFrom.length > 0 && <span title={profile.mergedFrom.join(', ')}>merged from {profile.mergedFrom.length}</span>}
      </div>
    </header>
  );
}
