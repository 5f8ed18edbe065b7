import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginForm } from '../../features/auth/components/login-form';
import { useSession } from '../../lib/auth-session';

/** Only same-site paths: `?next=https://evil.example` must not become a redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const next = safeNext(params.get('next'));
  if (session) return <Navigate to={next} replace />;
  return (
    <div className="login-page">
      <LoginForm onLoggedIn={() => navigate(next, { replace: true })} />
    </div>
  );
}
