import { useEffect, useRef } from 'react';

/** Typing a value (a filter, a score): letters are text there, not commands. Checkboxes and buttons are not text. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')
    return true;
  if (target.tagName !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(
    (target as HTMLInputElement).type,
  );
}

/**
 * The queue's single-letter keys. Unlike the app's `useKey`, they also work
 * right after a checkbox was clicked (focus stays on it), which is exactly
 * when a steward selecting pairs reaches for them.
 */
export function useQueueKeys(handlers: Record<string, () => void>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTextEntry(event.target)) return;
      const handler = ref.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
