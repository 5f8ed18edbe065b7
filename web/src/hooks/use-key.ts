import { useEffect, useRef } from 'react';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

interface KeyOptions {
  /** Also fire while the user types in a field (default false). */
  whileTyping?: boolean;
}

/** Calls `handler` when `key` is pressed anywhere on the page (not while typing, unless asked). */
export function useKey(
  key: string,
  handler: (event: KeyboardEvent) => void,
  options: KeyOptions = {},
): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const whileTyping = options.whileTyping ?? false;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        event.key !== key ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        event.defaultPrevented
      )
        return;
      if (!whileTyping && isTyping(event.target)) return;
      handlerRef.current(event);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, whileTyping]);
}
