/**
 * What the UI keeps in the browser, and for how long. Customer data (the
 * recent lookups: names, customer numbers, cities) lives in sessionStorage,
 * which the browser drops when the tab closes, unless the person chose
 * "Remember recent lookups on this device"; only then in localStorage, which
 * outlives the browser. Ending the session (logout, or the server refusing
 * the token) removes it from both. The choice itself holds no personal data
 * and stays in localStorage.
 */

export const recentLookupsKey = 'panorama.recent-lookups';
const rememberKey = 'panorama.remember-recent-lookups';

/** Storage access can throw (blocked by the browser's settings): then nothing is kept. */
function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Whether the person chose to keep recent lookups on this device (localStorage). */
export function remembersLookupsOnDevice(): boolean {
  return attempt(() => localStorage.getItem(rememberKey) === '1', false);
}

/** Where recent lookups are kept now. */
export function lookupStorage(): Storage | null {
  return attempt(() => (remembersLookupsOnDevice() ? localStorage : sessionStorage), null);
}

/** Switches between this tab only and this device, moving what is kept. */
export function setRemembersLookupsOnDevice(on: boolean): void {
  attempt(() => {
    const from = on ? sessionStorage : localStorage;
    const to = on ? localStorage : sessionStorage;
    const kept = from.getItem(recentLookupsKey);
    if (on) localStorage.setItem(rememberKey, '1');
    else localStorage.removeItem(rememberKey);
    if (kept !== null) to.setItem(recentLookupsKey, kept);
    from.removeItem(recentLookupsKey);
  }, undefined);
}

/** Removes the customer data the UI keeps, from both storages: at logout and when the session ends. */
export function clearCustomerData(): void {
  attempt(() => {
    localStorage.removeItem(recentLookupsKey);
    sessionStorage.removeItem(recentLookupsKey);
  }, undefined);
}

/**
 * Earlier versions kept the recent lookups in localStorage without asking:
 * without the choice made, they move to this tab's sessionStorage.
 */
export function moveUnchosenLookupsOffDevice(): void {
  attempt(() => {
    if (remembersLookupsOnDevice()) return;
    const kept = localStorage.getItem(recentLookupsKey);
    if (kept === null) return;
    if (sessionStorage.getItem(recentLookupsKey) === null)
      sessionStorage.setItem(recentLookupsKey, kept);
    localStorage.removeItem(recentLookupsKey);
  }, undefined);
}
