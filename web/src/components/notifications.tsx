import { dismiss, useNotifications } from '../lib/notifications';

export function Notifications() {
  const items = useNotifications();
  return (
    <div className="notifications" aria-live="polite">
      {items.map((n) => (
        <div
          key={n.id}
          className={`notification ${n.kind}`}
          role={n.kind === 'error' ? 'alert' : 'status'}
        >
          <span>{n.text}</span>
          <button
            type="button"
            className="link-button"
            aria-label="Dismiss"
            onClick={() => dismiss(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
