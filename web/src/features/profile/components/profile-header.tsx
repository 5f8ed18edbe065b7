import { CopyValue } from '../../../components/copy-value';
import { formatDate } from '../../../lib/format';
import type { Profile } from '../../../lib/domain-types';
import { profileFlags } from '../utils/profile-flags';
import {
  formatAddress,
  invalidFields,
  originalOr,
  sourceOf,
  sourcesOf,
} from '../utils/value-sources';
import { SourcedValue } from './sourced-value';

/** The name as shown, its sources and, when the source wrote it otherwise, its writing. */
function DisplayName({ profile }: { profile: Profile }) {
  const personal = Boolean(profile.firstName || profile.lastName);
  if (!personal) {
    return (
      <SourcedValue field="name" source={profile.company ? sourceOf(profile, 'company') : null}>
        {profile.name}
      </SourcedValue>
    );
  }
  const written = [
    originalOr(profile, 'firstName', profile.firstName),
    originalOr(profile, 'lastName', profile.lastName),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <SourcedValue
      field="name"
      source={sourcesOf(profile, ['firstName', 'lastName'])}
      written={written !== profile.name ? written : null}
    >
      {profile.name}
    </SourcedValue>
  );
}

function DisplayAddress({ profile }: { profile: Profile }) {
  const a = profile.address;
  if (!a) return null;
  const shown = formatAddress(a.street, a.postalCode, a.city, a.country);
  if (!shown) return null;
  const written = formatAddress(
    originalOr(profile, 'street', a.street),
    originalOr(profile, 'postalCode', a.postalCode),
    originalOr(profile, 'city', a.city),
    originalOr(profile, 'country', a.country),
  );
  return (
    <SourcedValue
      field="address"
      source={sourceOf(profile, 'address')}
      written={written !== shown ? written : null}
      invalid={invalidFields(profile, ['street', 'postalCode', 'city', 'country'])}
    >
      {shown}
    </SourcedValue>
  );
}

export function ProfileHeader({ profile }: { profile: Profile }) {
  const flags = profileFlags(profile);
  const customerNumber = profile.customerNumbers[0];
  return (
    <header className="profile-header" data-testid="profile-header">
      <div className="profile-title">
        <h1>
          <DisplayName profile={profile} />
        </h1>
        {customerNumber && (
          <span
            className="mono profile-number"
            data-testid="profile-customer-number"
            title={sourceOf(profile, `customerNumber:${customerNumber}`) ?? undefined}
          >
            <CopyValue value={customerNumber} />
          </span>
        )}
        {profile.segment && (
          <span
            className="badge segment"
            data-testid="profile-segment"
            title={sourceOf(profile, 'segment') ?? undefined}
          >
            {profile.segment}
          </span>
        )}
        {profile.status && (
          <span className="badge" title={sourceOf(profile, 'status') ?? undefined}>
            {profile.status}
          </span>
        )}
        <ul className="flags" aria-label="Flags">
          {flags.map((f) => (
            <li key={f.key} className={`flag ${f.tone}`} data-testid={`flag-${f.key}`}>
              {f.label}
            </li>
          ))}
        </ul>
      </div>
      <div className="profile-meta muted">
        {profile.company && (
          <SourcedValue field="company" source={sourceOf(profile, 'company')}>
            {profile.company}
          </SourcedValue>
        )}
        <DisplayAddress profile={profile} />
        {profile.birthDate && (
          <SourcedValue field="birthDate" source={sourceOf(profile, 'birthDate')}>
            born {formatDate(profile.birthDate)}
          </SourcedValue>
        )}
        {profile.language && (
          <SourcedValue field="language" source={sourceOf(profile, 'language')}>
            language {profile.language}
          </SourcedValue>
        )}
        {profile.preferredSalesChannel && <span>prefers {profile.preferredSalesChannel}</span>}
        {profile.tags.length > 0 && (
          <SourcedValue field="tags" source={sourceOf(profile, 'tags')}>
            {profile.tags.map((t) => (
              <span key={t} className="tag">
                {t}
              </span>
            ))}
          </SourcedValue>
        )}
        <span>customer since {formatDate(profile.firstSeenAt)}</span>
        {profile.mergedFrom.length > 0 && (
          <span title={profile.mergedFrom.join(', ')}>merged from {profile.mergedFrom.length}</span>
        )}
      </div>
    </header>
  );
}
