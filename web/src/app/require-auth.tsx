import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../lib/auth-session';

/** Pages behind the login: without a session, go to /login and come back afterwards. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    return (
      <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />
    );
  }
  return <Outlet />;
}
