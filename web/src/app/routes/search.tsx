import { useCallback } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Forbidden } from '../../components/error-message';
import { CustomerSearch } from '../../features/search/components/customer-search';
import { useSession } from '../../lib/auth-session';
import { canSee, homePath, seesPseudonymized } from '../../lib/authorization';

/** The agents' home. The query is kept in `?q=` so that going back from a profile shows the same results. */
export function SearchRoute() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const role = session?.role;

  const onQueryChange = useCallback(
    (q: string) => {
      setParams(
        (current) => {
          if ((current.get('q') ?? '') === q) return current;
          const next = new URLSearchParams(current);
          if (q) next.set('q', q);
          else next.delete('q');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const onOpen = useCallback(
    (id: string) => navigate(`/customers/${encodeURIComponent(id)}`),
    [navigate],
  );

  // A link with a query (bookmarked, shared by an agent) says why there is no answer; otherwise the role's home page.
  if (seesPseudonymized(role) && params.get('q')) {
    return (
      <div className="page search-page">
        <div className="empty-state" data-testid="search-not-offered">
          <p>
            Your role sees customers pseudonymized, so searching them by name, phone, email or
            number is not offered.
          </p>
          <p className="muted">
            Any word typed here could single out a person behind the initials you are shown. Agents
            search callers; you work with the figures and the filters on shown fields.
          </p>
        </div>
      </div>
    );
  }
  if (!canSee(role, 'search')) {
    const home = homePath(role);
    return home === '/' ? <Forbidden role={role} /> : <Navigate to={home} replace />;
  }

  return (
    <div className="page search-page">
      <CustomerSearch
        initialQuery={params.get('q') ?? ''}
        onQueryChange={onQueryChange}
        onOpen={onOpen}
      />
    </div>
  );
}
