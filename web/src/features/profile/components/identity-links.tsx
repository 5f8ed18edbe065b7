import { Link } from 'react-router';
import { useSession } from '../../../lib/auth-session';
import { canSee } from '../../../lib/authorization';
import type { Profile } from '../../../lib/domain-types';

const kindLabels: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  cnum: 'customer number',
  ext: 'external id',
};

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Why these records are one customer: each identifier that joined records,
 * with the records it was seen in ("email anna@… seen in shop:u-88812 and
 * crm:K-102934"); identifiers the customer no longer uses are marked former.
 */
export function IdentityLinks({ profile }: { profile: Profile }) {
  const role = useSession()?.role;
  const links = profile.identityLinks ?? [];
  return (
    <div className="identity-links">
      {links.length > 0 ? (
        <ul>
          {links.map((l) => (
            <li
              key={`${l.kind}:${l.value}`}
              data-testid="profile-identity-link"
              className={l.current ? 'current' : 'former'}
            >
              {kindLabels[l.kind] ?? l.kind} <strong className="mono">{l.value}</strong>
              {!l.current && <span className="badge muted-badge">former</span>} seen in{' '}
              {listOf(l.records)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" data-testid="profile-identity-link-none">
          {profile.kpis.touchpointCount > 1
            ? 'No identifier is shared by several records.'
            : 'One record: nothing joined.'}
        </p>
      )}
      {profile.mergedFrom.length > 0 && (
        <p className="muted" data-testid="profile-merged-from">
          Merged from {listOf(profile.mergedFrom)}.
        </p>
      )}
      {canSee(role, 'identity') && (
        <p>
          <Link to={`/identity/customers/${encodeURIComponent(profile.id)}`}>
            Review records and repair
          </Link>
        </p>
      )}
    </div>
  );
}
