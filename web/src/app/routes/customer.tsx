import { useCallback } from 'react';
import { useNavigate, useParams } from 'react-router';
import '../../features/identity/identity.css';
import { CustomerMerges } from '../../features/identity/components/identity-actions';
import { CustomerProfile } from '../../features/profile/components/customer-profile';
import { rememberLookup } from '../../features/search/hooks/use-recent-lookups';
import { useKey } from '../../hooks/use-key';
import type { Profile } from '../../lib/domain-types';
import { CustomerRightsActions } from '../../features/admin/components/customer-rights-actions';
import { RecentViewers } from '../../features/audit/components/recent-viewers';
import { useSession } from '../../lib/auth-session';
import { canSee } from '../../lib/authorization';

export function CustomerRoute() {
  const { id = '' } = useParams();
  const role = useSession()?.role;
  const navigate = useNavigate();

  // Esc goes back to the search the agent came from (or to an empty search).
  useKey('Escape', () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate('/');
  });

  // `/` starts a new search, as it does on the search page.
  useKey('/', (event) => {
    event.preventDefault();
    navigate('/');
  });

  // A merged id was answered with the surviving profile: show its URL.
  const onResolvedTo = useCallback(
    (profile: Profile) =>
      navigate(`/customers/${encodeURIComponent(profile.id)}`, { replace: true }),
    [navigate],
  );

  const onLoaded = useCallback(
    (profile: Profile) =>
      rememberLookup({
        id: profile.id,
        name: profile.name,
        customerNumber: profile.customerNumbers[0] ?? null,
        city: profile.address?.city ?? null,
      }),
    [],
  );

  return (
    <div className="page profile-page">
      <CustomerProfile key={id} customerId={id} onResolvedTo={onResolvedTo} onLoaded={onLoaded} />
      {/* Admins see why a merge by score made this profile, and can undo it here. */}
      {canSee(role, 'identity') && <CustomerMerges customerId={id} asPanel />}
      {/* Accountability on the profile itself (who looked at it); the data subject's rights for admins. */}
      <div className="privacy-panels">
        <RecentViewers customerId={id} />
        {canSee(role, 'admin') && <CustomerRightsActions customerId={id} />}
      </div>
    </div>
  );
}
