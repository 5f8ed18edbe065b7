import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type {
  DuplicateDecisionResult,
  DuplicateSide,
  DuplicatesPage,
  SuspectedDuplicate,
} from '../../../lib/domain-types';
import { ErrorMessage } from '../../../components/error-message';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { useDecideDuplicates, type Decision } from '../api/decide-duplicates';
import { useDuplicates } from '../api/get-duplicates';
import { useUndoActions, type UndoResult } from '../api/undo-actions';
import { useQueueKeys } from '../hooks/use-queue-keys';
import {
  isFiltered,
  withoutFilters,
  pairStatuses,
  parseQueueParams,
  queuePageSizes,
  queueSorts,
  sortLabels,
  toQueueParams,
  type QueueFilters,
} from '../utils/queue-params';
import { StartFullPassButton } from './matching-status';
import { FieldComparisonTable, ProbabilityBar } from './pair-comparison';

const statusLabels: Record<string, string> = {
  open: 'Open',
  merged: 'Merged',
  rejected: 'Rejected',
  closed: 'Closed',
};

/** A side without a profile (erased, merged away since) has no name: its id stands in. */
const sideName = (side: DuplicateSide) => side.name || side.id;
const pairName = (pair: SuspectedDuplicate) => `${sideName(pair.a)} and ${sideName(pair.b)}`;

function SideHeader({ side, label }: { side: DuplicateSide; label: string }) {
  return (
    <span className="pair-side">
      <span className="muted">{label}</span>{' '}
      <Link to={`/identity/customers/${encodeURIComponent(side.id)}`}>{sideName(side)}</Link>{' '}
      <span className="muted">
        {[side.name ? side.id : 'no profile', ...side.sources].join(' · ')}
      </span>
    </span>
  );
}

/** A pair found by the deterministic keys only (no field comparison): what both profiles hold. */
function SideSummary({ side }: { side: DuplicateSide }) {
  return (
    <div className="duplicate-side muted">
      {[side.birthDate, [side.street, side.city].filter(Boolean).join(', '), side.email, side.phone]
        .filter(Boolean)
        .join(' · ')}
    </div>
  );
}

interface PairCardProps {
  pair: SuspectedDuplicate;
  thresholds?: DuplicatesPage['thresholds'];
  focused: boolean;
  selected: boolean;
  busy: boolean;
  failure: DuplicateDecisionResult['error'] | undefined;
  onFocus: () => void;
  onToggle: () => void;
  onDecide: (decision: Decision) => void;
}

function PairCard({
  pair,
  thresholds,
  focused,
  selected,
  busy,
  failure,
  onFocus,
  onToggle,
  onDecide,
}: PairCardProps) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const status = pair.status ?? 'open';
  const open = status === 'open';
  return (
    <li
      ref={ref}
      className={`duplicate-pair${focused ? ' focused' : ''}${selected ? ' selected' : ''}`}
      data-testid="duplicate-pair"
      data-pair-id={pair.pairId}
      aria-label={pairName(pair)}
      aria-current={focused ? 'true' : undefined}
      onClick={onFocus}
    >
      <div className="pair-head">
        {open && (
          <input
            type="checkbox"
            checked={selected}
            onChange={onToggle}
            aria-label={`Select ${pairName(pair)}`}
          />
        )}
        {pair.score !== undefined && (
          <ProbabilityBar probability={pair.score} thresholds={thresholds} />
        )}
        <span className={`badge pair-status-${status}`}>{statusLabels[status] ?? status}</span>
        <span className="pair-sides">
          <SideHeader side={pair.a} label="A" />
          <SideHeader side={pair.b} label="B" />
        </span>
      </div>
      {pair.fields && pair.fields.length > 0 ? (
        <FieldComparisonTable fields={pair.fields} labels={[sideName(pair.a), sideName(pair.b)]} />
      ) : (
        <div className="pair-summaries">
          <SideSummary side={pair.a} />
          <SideSummary side={pair.b} />
        </div>
      )}
      <div className="pair-foot">
        <span className="muted">
          {pair.reasons.length > 0 && <>{pair.reasons.join(', ')} · </>}
          {pair.modelVersion && <>model {pair.modelVersion} · </>}
          {pair.createdAt && <>proposed {formatDateTime(pair.createdAt)}</>}
          {pair.decidedAt && (
            <>
              {' '}
              ·{' '}
              {pair.decidedBy === 'auto'
                ? 'merged automatically'
                : `decided by ${pair.decidedBy ?? 'unknown'}`}{' '}
              {formatDateTime(pair.decidedAt)}
            </>
          )}
        </span>
        {open && (
          <span className="duplicate-actions">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={(e) => {
                e.stopPropagation();
                onDecide('accept');
              }}
            >
              Accept (merge)
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={(e) => {
                e.stopPropagation();
                onDecide('reject');
              }}
            >
              Reject (not the same)
            </button>
          </span>
        )}
      </div>
      {failure && (
        <p className="danger-text" role="alert" data-testid="pair-error">
          Not decided: {failure.message} ({failure.code})
        </p>
      )}
    </li>
  );
}

/** Filters applied on submit (text and numbers) or at once (the choices). */
function QueueFilterBar({
  filters,
  onChange,
}: {
  filters: QueueFilters;
  onChange: (next: QueueFilters) => void;
}) {
  const percent = (p: number | null) => (p === null ? '' : String(Math.round(p * 1000) / 10));
  const [minScore, setMinScore] = useState(percent(filters.minScore));
  const [maxScore, setMaxScore] = useState(percent(filters.maxScore));
  const [source, setSource] = useState(filters.source);
  const [city, setCity] = useState(filters.city);
  const toProbability = (text: string) => {
    if (text.trim() === '') return null;
    const n = Number(text.replace(',', '.'));
    return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) / 100 : null;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({
      ...filters,
      minScore: toProbability(minScore),
      maxScore: toProbability(maxScore),
      source: source.trim(),
      city: city.trim(),
    });
  };
  return (
    <form className="queue-filters" aria-label="Filter suspected duplicates" onSubmit={submit}>
      <label>
        Status{' '}
        <select
          value={filters.status}
          onChange={(e) =>
            onChange({ ...filters, status: e.target.value as QueueFilters['status'] })
          }
        >
          {pairStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Score from{' '}
        <input
          type="number"
          min={0}
          max={100}
          step="any"
          inputMode="decimal"
          value={minScore}
          onChange={(e) => setMinScore(e.target.value)}
          placeholder="0"
          aria-label="Minimum score (%)"
        />
      </label>
      <label>
        to{' '}
        <input
          type="number"
          min={0}
          max={100}
          step="any"
          inputMode="decimal"
          value={maxScore}
          onChange={(e) => setMaxScore(e.target.value)}
          placeholder="100"
          aria-label="Maximum score (%)"
        />{' '}
        %
      </label>
      <label>
        Source{' '}
        <input
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder="any"
          aria-label="Source"
        />
      </label>
      <label>
        City{' '}
        <input
          value={city}
          onChange={(e) => setCity(e.target.value)}
          placeholder="any"
          aria-label="City"
        />
      </label>
      <button type="submit" className="button small">
        Apply
      </button>
      <label>
        Order{' '}
        <select
          value={filters.sort}
          onChange={(e) => onChange({ ...filters, sort: e.target.value as QueueFilters['sort'] })}
          aria-label="Order"
        >
          {queueSorts.map((s) => (
            <option key={s} value={s}>
              {sortLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        per page{' '}
        <select
          value={filters.size}
          onChange={(e) => onChange({ ...filters, size: Number(e.target.value) })}
        >
          {queuePageSizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {isFiltered(filters) && (
        <button
          type="button"
          className="button small secondary"
          onClick={() => onChange(withoutFilters(filters))}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}

interface Outcome {
  decision: Decision;
  results: DuplicateDecisionResult[];
  names: Record<string, string>;
  undo?: UndoResult[];
}

/** What a (bulk) decision did, pair by pair: which failed and why; accepted merges can be undone. */
function DecisionOutcome({
  outcome,
  undoing,
  onUndo,
  onDismiss,
}: {
  outcome: Outcome;
  undoing: boolean;
  onUndo: () => void;
  onDismiss: () => void;
}) {
  const ok = outcome.results.filter((r) => r.ok);
  const failed = outcome.results.filter((r) => !r.ok);
  const verb = outcome.decision === 'accept' ? 'merged' : 'marked not the same';
  const undoable = ok.filter((r) => r.actionId);
  const undone = outcome.undo?.filter((u) => u.ok).length ?? 0;
  const undoFailed = outcome.undo?.filter((u) => !u.ok) ?? [];
  return (
    <div
      className={`decision-outcome${failed.length > 0 ? ' has-failures' : ''}`}
      role="status"
      data-testid="decision-outcome"
    >
      <p>
        <strong data-testid="decision-summary">
          {formatNumber(ok.length)} {ok.length === 1 ? 'pair' : 'pairs'} {verb}
          {failed.length > 0 && `, ${formatNumber(failed.length)} failed`}.
        </strong>{' '}
        {undoable.length > 0 && !outcome.undo && (
          <button type="button" className="button small" disabled={undoing} onClick={onUndo}>
            {undoing
              ? 'Undoing…'
              : `Undo ${undoable.length === 1 ? 'it' : `all ${undoable.length}`}`}
          </button>
        )}
        {outcome.undo && (
          <span data-testid="undo-summary">
            {formatNumber(undone)} undone
            {undoFailed.length > 0 && `, ${formatNumber(undoFailed.length)} could not be undone`}.
          </span>
        )}{' '}
        <button type="button" className="button small secondary" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
      {failed.length > 0 && (
        <ul className="decision-failures" aria-label="Failed decisions">
          {failed.map((r) => (
            <li key={r.pairId} data-testid="decision-failure">
              <strong>{outcome.names[r.pairId] ?? r.pairId}</strong>: {r.error?.message ?? 'failed'}{' '}
              <span className="muted">({r.error?.code})</span>
            </li>
          ))}
        </ul>
      )}
      {undoFailed.length > 0 && (
        <ul className="decision-failures" aria-label="Failed undos">
          {undoFailed.map((u) => (
            <li key={u.actionId}>
              {u.actionId}: {u.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const keys: [string[], string][] = [
  [['j', 'k'], 'next / previous pair'],
  [['x'], 'select'],
  [['a'], 'accept'],
  [['r'], 'reject'],
  [['n', 'p'], 'next / previous page'],
];

function KeyboardHint() {
  return (
    <p className="keyboard-hint muted" data-testid="keyboard-hint">
      Keys:{' '}
      {keys.map(([ks, what], i) => (
        <span key={what}>
          {i > 0 && ' · '}
          {ks.map((k, j) => (
            <span key={k}>
              {j > 0 && ' / '}
              <kbd>{k}</kbd>
            </span>
          ))}{' '}
          {what}
        </span>
      ))}
    </p>
  );
}

/**
 * The steward's queue: suspected duplicates with their exact total, filters
 * kept in the URL, pages by cursor, a field-by-field comparison per pair,
 * decisions one by one or for a selection, and keys for all of it.
 */
export function DuplicateQueue() {
  const [params, setParams] = useSearchParams();
  const filters = parseQueueParams(params);
  const filterKey = toQueueParams(filters).toString();

  // Cursors of the pages seen so far: the last one is the page shown; a change of filters starts again.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const after = cursors[cursors.length - 1];
  const page = useDuplicates(filters, after);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failures, setFailures] = useState<Record<string, DuplicateDecisionResult['error']>>({});
  // Pairs decided here leave the page at once, before the refreshed page arrives.
  const [decided, setDecided] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<Set<string>>(new Set());
  const decide = useDecideDuplicates();
  const undo = useUndoActions();

  const items = (page.data?.items ?? []).filter((p) => !decided.has(p.pairId));
  const focusIndex = Math.min(focus, Math.max(0, items.length - 1));
  const focused = items[focusIndex];

  const setFilters = (next: QueueFilters) => {
    setParams(toQueueParams(next), { replace: false });
    setSelected(new Set());
    setFocus(0);
  };
  const goTo = (next: (string | null)[]) => {
    setPaging({ key: filterKey, cursors: next });
    setSelected(new Set());
    setFocus(0);
  };
  const nextPage = () => {
    if (page.data?.next) goTo([...cursors, page.data.next]);
  };
  const previousPage = () => {
    if (cursors.length > 1) goTo(cursors.slice(0, -1));
  };

  const run = (decision: Decision, pairs: SuspectedDuplicate[]) => {
    const open = pairs.filter((p) => (p.status ?? 'open') === 'open' && !pending.has(p.pairId));
    if (open.length === 0) return;
    const ids = open.map((p) => p.pairId);
    setPending((s) => new Set([...s, ...ids]));
    decide.mutate(
      ids.map((pairId) => ({ pairId, decision })),
      {
        onSuccess: (results) => {
          const ok = results.filter((r) => r.ok).map((r) => r.pairId);
          setDecided((s) => new Set([...s, ...ok]));
          setFailures((f) => {
            const next = { ...f };
            for (const r of results) {
              if (r.ok) delete next[r.pairId];
              else next[r.pairId] = r.error ?? { code: 'failed', message: 'not decided' };
            }
            return next;
          });
          setSelected((s) => new Set([...s].filter((id) => !ok.includes(id))));
          setOutcome({
            decision,
            results,
            names: Object.fromEntries(open.map((p) => [p.pairId, pairName(p)])),
          });
        },
        onError: (error) => {
          // The whole request failed (network, validation): every pair stays, each says why.
          const message = errorMessage(error);
          setFailures((f) => ({
            ...f,
            ...Object.fromEntries(ids.map((id) => [id, { code: 'request_failed', message }])),
          }));
        },
        onSettled: () => setPending((s) => new Set([...s].filter((id) => !ids.includes(id)))),
      },
    );
  };

  const undoOutcome = () => {
    if (!outcome) return;
    const actionIds = outcome.results.flatMap((r) => (r.ok && r.actionId ? [r.actionId] : []));
    undo.mutate(actionIds, {
      onSuccess: (results) => {
        setOutcome({ ...outcome, undo: results });
        // Undone pairs may be open again: let the refreshed page show them.
        setDecided(new Set());
      },
    });
  };

  const toggle = (pairId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(pairId)) next.delete(pairId);
      else next.add(pairId);
      return next;
    });

  useQueueKeys({
    j: () => setFocus(Math.min(items.length - 1, focusIndex + 1)),
    k: () => setFocus(Math.max(0, focusIndex - 1)),
    x: () => {
      if (focused && (focused.status ?? 'open') === 'open') toggle(focused.pairId);
    },
    a: () => focused && run('accept', [focused]),
    r: () => focused && run('reject', [focused]),
    n: nextPage,
    p: previousPage,
  });

  const selectable = items.filter((p) => (p.status ?? 'open') === 'open');
  const selectedPairs = selectable.filter((p) => selected.has(p.pairId));
  const allSelected = selectable.length > 0 && selectedPairs.length === selectable.length;
  const busy = decide.isPending;

  let body;
  if (page.isPending) body = <p>Loading suspected duplicates…</p>;
  else if (page.isError)
    body = (
      <ErrorMessage
        title="The suspected duplicates could not be loaded"
        error={page.error}
        onRetry={() => page.refetch()}
      />
    );
  else if (page.data.total === 0 || (items.length === 0 && cursors.length === 1))
    body = isFiltered(filters) ? (
      <div className="empty-state" data-testid="no-duplicates">
        <p>No {filters.status} pairs match these filters.</p>
        <button
          type="button"
          className="button"
          onClick={() => setFilters(withoutFilters(filters))}
        >
          Clear filters
        </button>
      </div>
    ) : filters.status === 'open' ? (
      <div className="empty-state" data-testid="no-duplicates">
        <p>
          No suspected duplicates. Run a full pass to look for profiles that may be one person
          although they share no identifier.
        </p>
        <StartFullPassButton primary />
      </div>
    ) : (
      <p className="empty-state" data-testid="no-duplicates">
        No {filters.status} pairs yet.
      </p>
    );
  else {
    const first = (cursors.length - 1) * filters.size + 1;
    body = (
      <>
        <div className="queue-toolbar">
          <label>
            <input
              type="checkbox"
              checked={allSelected}
              disabled={selectable.length === 0}
              onChange={() =>
                setSelected(allSelected ? new Set() : new Set(selectable.map((p) => p.pairId)))
              }
            />{' '}
            Select all on this page
          </label>
          <span data-testid="selected-count">{formatNumber(selectedPairs.length)} selected</span>
          <button
            type="button"
            className="button small"
            disabled={busy || selectedPairs.length === 0}
            onClick={() => run('accept', selectedPairs)}
          >
            Accept selected
          </button>
          <button
            type="button"
            className="button small secondary"
            disabled={busy || selectedPairs.length === 0}
            onClick={() => run('reject', selectedPairs)}
          >
            Reject selected
          </button>
          {page.isFetching && <span className="muted">refreshing…</span>}
        </div>
        <ul className="duplicate-list" aria-label="Suspected duplicates">
          {items.map((pair, i) => (
            <PairCard
              key={pair.pairId}
              pair={pair}
              thresholds={page.data.thresholds}
              focused={i === focusIndex}
              selected={selected.has(pair.pairId)}
              busy={pending.has(pair.pairId)}
              failure={failures[pair.pairId]}
              onFocus={() => setFocus(i)}
              onToggle={() => toggle(pair.pairId)}
              onDecide={(d) => run(d, [pair])}
            />
          ))}
        </ul>
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button small"
            disabled={cursors.length <= 1}
            onClick={previousPage}
          >
            ← Previous
          </button>
          <span className="muted" data-testid="page-range">
            {formatNumber(first)}–{formatNumber(first + (page.data.items.length || 1) - 1)} of{' '}
            {formatNumber(page.data.total)} · page {formatNumber(cursors.length)} of{' '}
            {formatNumber(Math.max(1, Math.ceil(page.data.total / filters.size)))}
          </span>
          <button
            type="button"
            className="button small"
            disabled={!page.data.next}
            onClick={nextPage}
          >
            Next →
          </button>
        </nav>
      </>
    );
  }

  const total = page.data?.total;
  return (
    <div className="duplicate-queue">
      <p className="queue-total" data-testid="duplicates-total">
        {total === undefined
          ? '…'
          : `${formatNumber(total)} ${
              filters.status === 'open'
                ? total === 1
                  ? 'suspected duplicate'
                  : 'suspected duplicates'
                : `${filters.status} ${total === 1 ? 'pair' : 'pairs'}`
            }`}
        {isFiltered(filters) && <span className="muted"> matching the filters</span>}
      </p>
      <QueueFilterBar key={filterKey} filters={filters} onChange={setFilters} />
      <KeyboardHint />
      {outcome && (
        <DecisionOutcome
          outcome={outcome}
          undoing={undo.isPending}
          onUndo={undoOutcome}
          onDismiss={() => setOutcome(null)}
        />
      )}
      {undo.error && <ErrorMessage error={undo.error} />}
      {body}
    </div>
  );
}
