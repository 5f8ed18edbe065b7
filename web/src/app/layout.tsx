import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { Skeleton } from '../components/spinner';
import { useQueryClient } from '@tanstack/react-query';
import { useMe } from '../features/auth/api/get-me';
import { setSession, useSession } from '../lib/auth-session';
import { canSee } from '../lib/authorization';

/** The frame of every page after login: navigation for the role, who is logged in, logout. */
export function AppLayout() {
  const session = useSession();
  const me = useMe();
  const queryClient = useQueryClient();
  const role = me.data?.role ?? session?.role;
  const name = me.data?.name ?? session?.name;

  const logout = () => {
    // A full page load: no customer data stays in memory after logout.
    queryClient.clear();
    setSession(null);
    window.location.replace('/login');
  };

  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Panorama home">
          <span className="brand-mark" aria-hidden="true" />
          Panorama
        </NavLink>
        <nav className="nav" aria-label="Main">
          {canSee(role, 'search') && (
            <NavLink to="/" end>
              Search
            </NavLink>
          )}
          {canSee(role, 'dashboard') && <NavLink to="/dashboard">Dashboard</NavLink>}
          {canSee(role, 'explore') && <NavLink to="/explore">Explore</NavLink>}
          {canSee(role, 'segments') && <NavLink to="/segments">Segments</NavLink>}
          {canSee(role, 'identity') && <NavLink to="/identity">Identity</NavLink>}
          {canSee(role, 'data-quality') && <NavLink to="/data-quality">Data quality</NavLink>}
          {canSee(role, 'audit') && <NavLink to="/audit">Audit</NavLink>}
          {canSee(role, 'admin') && <NavLink to="/admin">Users</NavLink>}
          <a href="/api/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
        </nav>
        <div className="user">
          {name && <span className="user-name">{name}</span>}
          <span
            className="role-badge"
            data-testid="user-role"
            aria-label={`Role: ${role ?? 'unknown'}`}
          >
            {role ?? '…'}
          </span>
          <button type="button" className="button small" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main className="content">
        <Suspense fallback={<Skeleton lines={6} label="Loading page" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
