import { useSyncExternalStore } from 'react';

/** One customer the agent opened, newest first in the list. */
export interface RecentLookup {
  id: string;
  name: string;
  customerNumber: string | null;
  city: string | null;
  at: string;
}

const storageKey = 'panorama.recent-lookups';
/** How many lookups are kept. */
export const maxRecentLookups = 8;
const listeners = new Set<() => void>();
let cache: { raw: string | null; list: RecentLookup[] } = { raw: null, list: [] };

function read(): RecentLookup[] {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(storageKey);
  } catch {
    return cache.list; // storage blocked: keep what this page has seen
  }
  if (raw === cache.raw) return cache.list;
  let list: RecentLookup[] = [];
  try {
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    if (Array.isArray(parsed)) list = parsed.filter((x): x is RecentLookup => typeof x?.id === 'string' && typeof x?.name === 'string');
  } catch {
    list = [];
  }
  cache = { raw, list };
  return list;
}

/**
 * Remembers that the agent opened this customer: kept in this browser's
 * localStorage (like a phone's call list), the last {@link maxRecentLookups}.
 */
export function rememberLookup(lookup: Omit<RecentLookup, 'at'>): void {
  const list = [{ ...lookup, at: new Date().toISOString() }, ...read().filter((l) => l.id !== lookup.id)].slice(0, maxRecentLookups);
  try {
    localStorage.setItem(storageKey, JSON.stringify(list));
  } catch {
    cache = { raw: cache.raw, list };
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/** The agent's recent lookups, newest first. */
export function useRecentLookups(): RecentLookup[] {
  return useSyncExternalStore(subscribe, read, () => []);
}
