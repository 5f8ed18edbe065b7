import { useSyncExternalStore } from 'react';
import {
  lookupStorage,
  moveUnchosenLookupsOffDevice,
  recentLookupsKey,
  remembersLookupsOnDevice,
  setRemembersLookupsOnDevice,
} from '../../../lib/browser-storage';

/** One customer the agent opened, newest first in the list. */
export interface RecentLookup {
  id: string;
  name: string;
  customerNumber: string | null;
  city: string | null;
  at: string;
}

/** How many lookups are kept. */
export const maxRecentLookups = 8;
const listeners = new Set<() => void>();
let cache: { raw: string | null; list: RecentLookup[] } = { raw: null, list: [] };

moveUnchosenLookupsOffDevice();

function read(): RecentLookup[] {
  let raw: string | null = null;
  try {
    const storage = lookupStorage();
    if (!storage) return cache.list; // storage blocked: keep what this page has seen
    raw = storage.getItem(recentLookupsKey);
  } catch {
    return cache.list;
  }
  if (raw === cache.raw) return cache.list;
  let list: RecentLookup[] = [];
  try {
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    if (Array.isArray(parsed))
      list = parsed.filter(
        (x): x is RecentLookup => typeof x?.id === 'string' && typeof x?.name === 'string',
      );
  } catch {
    list = [];
  }
  cache = { raw, list };
  return list;
}

/**
 * Remembers that the agent opened this customer (like a phone's call list),
 * the last {@link maxRecentLookups}: for this tab's session only, unless the
 * agent chose to keep them on this device (lib/browser-storage.ts).
 */
export function rememberLookup(lookup: Omit<RecentLookup, 'at'>): void {
  const list = [
    { ...lookup, at: new Date().toISOString() },
    ...read().filter((l) => l.id !== lookup.id),
  ].slice(0, maxRecentLookups);
  try {
    const storage = lookupStorage();
    if (!storage) throw new Error('storage blocked');
    storage.setItem(recentLookupsKey, JSON.stringify(list));
  } catch {
    cache = { raw: cache.raw, list };
  }
  listeners.forEach((l) => l());
}

/** Keeps the recent lookups on this device (localStorage) or for this tab's session only (the default). */
export function setRemembersLookups(on: boolean): void {
  setRemembersLookupsOnDevice(on);
  listeners.forEach((l) => l());
}

/** Whether the recent lookups are kept on this device. */
export function useRemembersLookups(): boolean {
  return useSyncExternalStore(subscribe, remembersLookupsOnDevice, () => false);
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
