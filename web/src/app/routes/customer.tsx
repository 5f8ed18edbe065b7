import { useCallback } from 'react';
import { useNavigate, useParams } from 'react-router';
import { CustomerProfile } from '../../features/profile/components/customer-profile';
import { rememberLookup } from '../../features/search/hooks/use-recent-lookups';
import { useKey } from '../../hooks/use-key';
import type { Profile } from '../../lib/domain-types';

export function CustomerRoute() {
  const { id = '' } = useParams();
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
  const onResolvedTo = useCallback((profile: Profile) => navigate(`/customers/${encodeURIComponent(profile.id)}`, { replace: true }), [navigate]);

  const onLoaded = useCallback(
    (profile: Profile) =>
      rememberLookup({ id: profile.id, name: profile.name, customerNumber: profile.customerNumbers[0] ?? null, city: profile.address?.city ?? null }),
    [],
  );

  return (
    <div className="page profile-page">
      <CustomerProfile key={id} customerId={id} onResolvedTo={onResolvedTo} onLoaded={onLoaded} />
    </div>
  );
}
