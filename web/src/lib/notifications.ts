/** Short-lived messages at the bottom of the screen (failed background refreshes, copies). */
import { useSyncExternalStore } from 'react';

export interface Notification {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let items: Notification[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function notify(text: string, kind: Notification['kind'] = 'error', ttlMs = 6000): void {
  // The same message twice in a row (a 5 s refresh that keeps failing) is shown once.
  if (items.some((n) => n.text === text)) return;
  const id = nextId++;
  items = [...items, { id, kind, text }];
  emit();
  window.setTimeout(() => dismiss(id), ttlMs);
}

export function dismiss(id: number): void {
  items = items.filter((n) => n.id !== id);
  emit();
}

export function useNotifications(): Notification[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => items,
    () => items,
  );
}
