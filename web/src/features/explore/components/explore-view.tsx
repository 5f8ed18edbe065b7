import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Skeleton, Spinner } from '../../../components/spinner';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { useKey } from '../../../hooks/use-key';
import { formatNumber } from '../../../lib/format';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import { useExploreCustomers } from '../api/explore-customers';
import { facetLabels, toggleFilter, type ExploreState } from '../utils/explore-params';
import { Pager } from './pager';
import { FacetList } from './facet-list';

/** Elasticsearch pages at most this deep (index.max_result_window); beyond it, narrow the filters. */

interface ExploreViewProps {
  state: ExploreState;
  onChange: (state: ExploreState) => void;
  onOpen: (customerId: string) => void;
}

export function ExploreView({ state, onChange, onOpen }: ExploreViewProps) {
  const textAllowed = !seesPseudonymized(useSession()?.role);
  const [text, setText] = useState(state.q);
  const q = useDebouncedValue(text, 250);
  const inputRef = useRef<HTMLInputElement>(null);
  const explore = useExploreCustomers(state);
  const answer = explore.data;

  // Typed text reaches the URL (and the query) once the user pauses.
  const stateRef = useRef(state);
  stateRef.current = state;
  useEffect(() => {
    if (q.trim() !== stateRef.current.q.trim())
      onChange({ ...stateRef.current, q: q.trim(), from: 0 });
  }, [q, onChange]);
  // Back/forward or a shared link changes the URL under us.
  useEffect(
    () => setText((current) => (current.trim() === state.q ? current : state.q)),
    [state.q],
  );

  useKey('/', (event) => {
    event.preventDefault();
    inputRef.current?.focus();
  });

  const activeFilters = Object.entries(state.filters).flatMap(([facet, values]) =>
    values.map((value) => ({ facet, value })),
  );
  const total = answer?.total ?? 0;
  const lastShown = Math.min(state.from + state.size, total);

  return (
    <div className="explore">
      <aside className="explore-facets" aria-label="Filters">
        {answer ? (
          <FacetList
            facets={answer.facets}
            selected={state.filters}
            onToggle={(facet, value) => onChange(toggleFilter(state, facet, value))}
          />
        ) : explore.isPending ? (
          <Skeleton lines={12} label="Loading facets" />
        ) : null}
      </aside>
      <div className="explore-main">
        <div className="explore-toolbar">
          {/* Text would search names, emails and numbers, which pseudonymized roles may not (server privacy/oracles.ts). */}
          {textAllowed && (
            <input
              ref={inputRef}
              type="text"
              className="explore-query"
              aria-label="Filter by text"
              placeholder="Optional text: name, city, product, ticket subject…"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setText('');
              }}
            />
          )}
          {explore.isFetching && <Spinner label="Loading results" />}
        </div>
        {activeFilters.length > 0 && (
          <div className="active-filters" aria-label="Active filters">
            {activeFilters.map((f) => (
              <button
                key={`${f.facet}=${f.value}`}
                type="button"
                className="chip"
                aria-pressed="true"
                onClick={() => onChange(toggleFilter(state, f.facet, f.value))}
                title="Remove filter"
              >
                {facetLabels[f.facet] ?? f.facet}: {f.value} ×
              </button>
            ))}
            <button
              type="button"
              className="link-button small"
              onClick={() => onChange({ ...state, filters: {}, from: 0 })}
            >
              Clear all
            </button>
          </div>
        )}
        {explore.isError && (
          <ErrorMessage
            error={explore.error}
            title="Customers could not be loaded"
            onRetry={() => explore.refetch()}
          />
        )}
        {answer && (
          <>
            <div className="explore-summary">
              <span data-testid="explore-total">{formatNumber(total)}</span>{' '}
              {total === 1 ? 'customer' : 'customers'}
              {total > 0 && (
                <span className="muted">
                  {' '}
                  · showing {formatNumber(state.from + 1)}–{formatNumber(lastShown)} ·{' '}
                  {answer.tookMs} ms
                </span>
              )}
            </div>
            <table
              className={`data-table explore-table${explore.isPlaceholderData ? ' stale' : ''}`}
              aria-label="Customers"
            >
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Customer number</th>
                  <th>City</th>
                  <th>Segment</th>
                </tr>
              </thead>
              <tbody>
                {answer.items.map((item) => (
                  <tr key={item.id} data-testid="explore-row" data-customer-id={item.id}>
                    <td>
                      <a
                        href={`/customers/${encodeURIComponent(item.id)}`}
                        onClick={(e) => {
                          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                          e.preventDefault();
                          onOpen(item.id);
                        }}
                      >
                        {item.name}
                      </a>
                    </td>
                    <td className="mono">{item.customerNumber ?? '—'}</td>
                    <td>{item.city ?? '—'}</td>
                    <td>
                      {item.segment ? <span className="badge segment">{item.segment}</span> : '—'}
                    </td>
                  </tr>
                ))}
                {answer.items.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No customers in this slice.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            <Pager
              from={state.from}
              size={state.size}
              total={total}
              onPage={(from) => onChange({ ...state, from })}
              onSize={(size) => onChange({ ...state, size, from: 0 })}
            />
          </>
        )}
      </div>
    </div>
  );
}
