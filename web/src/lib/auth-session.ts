/**
 * The login session: the bearer token, the role and when it expires. A tiny
 * external store so React (useSyncExternalStore) and the API client see the
 * same state.
 *
 * Kept in sessionStorage, not localStorage: the token is good for 12 hours,
 * and on a shared desk a browser closed without logging out must not leave
 * it for the next person; sessionStorage ends with the tab. (Script running
 * in the page could read either; the Content-Security-Policy is what keeps
 * such script out.) The price: a new tab asks for a login, unless the browser
 * copies the session into a tab opened from this one.
 */
import { useSyncExternalStore } from 'react';
import { clearCustomerData } from './browser-storage';
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

/** Earlier versions kept the session in localStorage: move it into this tab, and off the device. */
function moveOffDevice(): void {
  try {
    const old = localStorage.getItem(storageKey);
    if (old === null) return;
    if (sessionStorage.getItem(storageKey) === null) sessionStorage.setItem(storageKey, old);
    localStorage.removeItem(storageKey);
  } catch {
    // Storage blocked: there is nothing to move.
  }
}

function read(): Session | null {
  moveOffDevice();
  try {
    const raw = sessionStorage.getItem(storageKey);
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

/** Logging in stores the session; null (logout, or the server refusing the token) removes it and every customer's data the UI kept. */
export function setSession(session: Session | null): void {
  try {
    if (session) sessionStorage.setItem(storageKey, JSON.stringify(session));
    else sessionStorage.removeItem(storageKey);
  } catch {
    // Storage blocked: the session lives in this page's memory only.
  }
  if (!session) clearCustomerData();
  cached = session;
  for (const listener of listeners) listener();
}

export function updateSession(patch: Partial<Session>): void {
  const current = getSession();
  if (current) setSession({ ...current, ...patch });
}

function subscribe(listener: () => void): () => void {
  // sessionStorage belongs to this tab alone: no other tab's change to listen for.
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}
