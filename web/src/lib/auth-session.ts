/**
 * The login session kept in localStorage: the bearer token, the role and when
 * it expires. A tiny external store so React (useSyncExternalStore) and the
 * API client see the same state.
 */
import { useSyncExternalStore } from 'react';
import type { Role } from './domain-types';

export interface Session {
  token: string;
  role: Role;
  expiresAt: string;
  /** Filled in from `GET /api/v1/me` after login. */
  name?: string;
}

const storageKey = 'panorama.session';
const listeners = new Set<() => void>();
let cached: Session | null | undefined;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token) return null;
    if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  if (cached === undefined) cached = read();
  // An expired session is no session, even if nobody cleared it yet.
  if (cached && cached.expiresAt && Date.parse(cached.expiresAt) <= Date.now()) cached = null;
  return cached;
}

export function setSession(session: Session | null): void {
  if (session) localStorage.setItem(storageKey, JSON.stringify(session));
  else localStorage.removeItem(storageKey);
  cached = session;
  for (const listener of listeners) listener();
}

export function updateSession(patch: Partial<Session>): void {
  const current = getSession();
  if (current) setSession({ ...current, ...patch });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    // Another tab logged in or out.
    if (event.key === storageKey) {
      cached = read();
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}
