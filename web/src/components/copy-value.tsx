import { useState, type ReactNode } from 'react';
import { notify } from '../lib/notifications';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-http pages have no Clipboard API: fall back to a hidden textarea.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** A value that copies itself to the clipboard on click (or Enter/Space). */
export function CopyValue({ value, children }: { value: string; children?: ReactNode }) {
  const [copied, setCopied] = useState(false);
  const onCopy = async () => {
    try {
      await copyText(value);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1200);
    } catch {
      notify(`Could not copy "${value}": the browser refused access to the clipboard.`);
    }
  };
  return (
    <button
      type="button"
      className="copy-value"
      title={`Copy ${value}`}
      aria-label={`Copy ${value}`}
      data-copied={copied || undefined}
      onClick={onCopy}
    >
      {children ?? value}
      <span className="copy-hint" aria-hidden="true">
        {copied ? 'copied' : 'copy'}
      </span>
    </button>
  );
}
