import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { useMatching, useStartMatchingRun } from '../api/get-matching';
import type { MatchField, MatchingStatus, MatchRunView } from '../../../lib/domain-types';
import { formatProbability } from '../utils/queue-params';
import { fieldLabels } from './pair-comparison';

/** Starts a full pass over every profile; says why when it cannot (one already runs: 409). */
export function StartFullPassButton({ primary = false }: { primary?: boolean }) {
  const start = useStartMatchingRun();
  const matching = useMatching();
  const running = matching.data?.run?.state === 'running';
  return (
    <span className="start-full-pass">
      <button
        type="button"
        className={`button${primary ? ' primary' : ''}`}
        disabled={start.isPending || running}
        onClick={() => start.mutate()}
      >
        {running ? 'Full pass running…' : 'Run a full pass'}
      </button>
      {start.error && (
        <span className="danger-text" role="alert">
          {' '}
          {errorMessage(start.error)}
        </span>
      )}
    </span>
  );
}

const stateLabels: Record<MatchRunView['state'], string> = {
  idle: 'Waiting to start',
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
};

/** "about 3 min left" from the pace so far; null before there is a pace. */
function timeLeft(run: MatchRunView): string | null {
  if (run.recordsPerSecond <= 0 || run.processed >= run.total) return null;
  const seconds = (run.total - run.processed) / run.recordsPerSecond;
  if (seconds < 60) return 'less than a minute left';
  if (seconds < 5_400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3_600).toFixed(1)} h left`;
}

function RunProgress({ run }: { run: MatchRunView }) {
  const percent = run.total > 0 ? Math.floor((run.processed / run.total) * 100) : 0;
  const left = timeLeft(run);
  return (
    <div className="matching-run" data-testid="matching-run" data-state={run.state}>
      <div>
        <strong>Full pass: {stateLabels[run.state]}</strong>{' '}
        <span className="muted">
          {run.startedAt && `started ${formatDateTime(run.startedAt)}`}
          {run.finishedAt && `, finished ${formatDateTime(run.finishedAt)}`}
        </span>
      </div>
      <progress
        max={Math.max(1, run.total)}
        value={run.processed}
        aria-label="Full pass progress"
      />
      <div data-testid="matching-run-figures">
        {formatNumber(run.processed)} / {formatNumber(run.total)} profiles ({percent} %) ·{' '}
        {formatNumber(Math.round(run.recordsPerSecond))} records/s · {formatNumber(run.merged)}{' '}
        merged · {formatNumber(run.proposed)} proposed
        {run.state === 'running' && left !== null && <> · {left}</>}
      </div>
      {run.state === 'failed' && (
        <p className="danger-text" role="alert">
          The pass failed; the indexers' log says why. Starting it again resumes where it stopped.
        </p>
      )}
    </div>
  );
}

const weightOf = (m: number, u: number) =>
  m > 0 && u > 0 ? Math.log2(m / u) : m > 0 ? Infinity : -Infinity;

/** The m/u probabilities per field level and the weight they give (log2 m/u). */
function ModelTable({ model }: { model: MatchingStatus['model'] }) {
  const rows = (
    Object.entries(model.fields) as [MatchField, Record<string, { m: number; u: number }>][]
  ).flatMap(([field, levels]) =>
    Object.entries(levels).map(([level, { m, u }]) => ({ field, level, m, u })),
  );
  return (
    <table className="model-table" aria-label="Match model">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Level</th>
          <th scope="col" className="num">
            m
          </th>
          <th scope="col" className="num">
            u
          </th>
          <th scope="col" className="num">
            Weight
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const w = weightOf(r.m, r.u);
          return (
            <tr key={`${r.field}:${r.level}`} className={w > 0 ? 'field-agree' : 'field-disagree'}>
              <th scope="row">
                {i === 0 || rows[i - 1].field !== r.field ? (fieldLabels[r.field] ?? r.field) : ''}
              </th>
              <td>{r.level}</td>
              <td className="num">{r.m.toPrecision(3)}</td>
              <td className="num">{r.u.toPrecision(3)}</td>
              <td className="num">{Number.isFinite(w) ? w.toFixed(1) : w > 0 ? '∞' : '−∞'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The probabilistic matcher: the full pass with its progress, the thresholds and the model. */
export function MatchingStatusView() {
  const matching = useMatching();
  const client = useQueryClient();
  // While a pass runs and when it ends, the queue and its total change: refresh them with it.
  const state = matching.data?.run?.state;
  const processed = matching.data?.run?.processed;
  const lastRefresh = useRef(0);
  useEffect(() => {
    if (state !== 'running' && state !== 'done') return;
    const now = Date.now();
    if (state === 'running' && now - lastRefresh.current < 5_000) return;
    lastRefresh.current = now;
    void client.invalidateQueries({ queryKey: ['identity', 'duplicates'] });
    void client.invalidateQueries({ queryKey: ['data-quality'] });
  }, [client, state, processed]);
  if (matching.isPending) return <p>Loading the matcher's status…</p>;
  if (matching.isError)
    return (
      <ErrorMessage
        title="The matcher's status is not available"
        error={matching.error}
        onRetry={() => matching.refetch()}
      />
    );
  const { model, thresholds, run } = matching.data;
  return (
    <div className="matching-status" data-testid="matching-status">
      {run ? <RunProgress run={run} /> : <p className="muted">No full pass has run yet.</p>}
      <StartFullPassButton />
      <p data-testid="matching-thresholds">
        Merged automatically from <strong>{formatProbability(thresholds.autoMerge)}</strong> (unless
        an identifier contradicts or a “not the same” mark exists); proposed for review from{' '}
        <strong>{formatProbability(thresholds.review)}</strong>.
      </p>
      <details className="match-model" data-testid="match-model">
        <summary>
          Model <span className="mono">{model.version}</span>
          {model.estimated ? (
            <>
              , estimated {formatDateTime(model.estimatedAt)} from {formatNumber(model.pairsUsed)}{' '}
              pairs over {formatNumber(model.profileCount)} profiles
            </>
          ) : (
            ': the hand-set default (too few profiles yet to estimate one from the data)'
          )}
          , prior {model.prior.toPrecision(2)}
        </summary>
        <ModelTable model={model} />
      </details>
    </div>
  );
}
