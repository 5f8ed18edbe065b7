import { ApiError, errorMessage } from '../lib/api-client';
import { useSession } from '../lib/auth-session';

interface ErrorMessageProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** Shows why a request failed; a 403 says which role may not use the page. */
export function ErrorMessage({ error, title, onRetry }: ErrorMessageProps) {
  const session = useSession();
  if (error instanceof ApiError && error.status === 403) {
    return <Forbidden role={session?.role} />;
  }
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}: </strong>}
      <span className="error-text">{errorMessage(error)}</span>
      {details.length > 0 && (
        <ul className="error-details">
          {details.map((d) => (
            <li key={`${d.path}:${d.message}`}>
              <code>{d.path}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Forbidden({ role }: { role: string | undefined }) {
  return (
    <div className="error-box forbidden" role="alert" data-testid="forbidden">
      Your role ({role ?? 'unknown'}) may not use this page.
    </div>
  );
}
