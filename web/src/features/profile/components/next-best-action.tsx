import { nextBestActions } from '../../../../../domain/src/next-best-action';
import type { Profile } from '../../../lib/domain-types';
import '../agent-screen.css';

/**
 * What to do on this call, from the documented rules in
 * domain/src/next-best-action.ts; each action says why it fires.
 */
export function NextBestAction({ profile }: { profile: Profile }) {
  const actions = nextBestActions(profile);
  if (actions.length === 0)
    return (
      <p className="muted" data-testid="nba-none">
        No rule fires for this customer: just help with the request.
      </p>
    );
  return (
    <ol className="next-best-actions">
      {actions.map((action) => (
        <li
          key={action.kind}
          className={`next-best-action kind-${action.kind}`}
          data-testid={`nba-${action.kind}`}
        >
          <div className="nba-title">{action.title}</div>
          <div className="nba-reason">
            <span className="muted">Why: </span>
            {action.reason}
          </div>
          <details>
            <summary>Rule</summary>
            {action.rule}
          </details>
        </li>
      ))}
    </ol>
  );
}
