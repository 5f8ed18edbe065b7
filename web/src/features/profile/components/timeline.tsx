import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Skeleton, Spinner } from '../../../components/spinner';
import { formatDateTime, humanize } from '../../../lib/format';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import type { TouchpointType } from '../../../lib/domain-types';
import { useTimeline } from '../api/get-timeline';
import { summarizeTouchpoint, timelineTypes } from '../utils/touchpoint-summary';
import '../agent-screen.css';

export function Timeline({ customerId }: { customerId: string }) {
  const [types, setTypes] = useState<TouchpointType[]>([]);
  const [search, setSearch] = useState('');
  // The timeline's text is hidden from pseudonymized roles, and so is searching it (the server refuses `q`).
  const searchable = !seesPseudonymized(useSession()?.role);
  // The server searches the whole history, not only the pages loaded so far.
  const q = useDebouncedValue(search, 200).trim();
  const timeline = useTimeline(customerId, types, q);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = timeline;

  // Infinite scroll: load the next page when the end of the list comes into view.
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { root: scrollRef.current, rootMargin: '200px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const toggle = (type: TouchpointType) =>
    setTypes((current) =>
      current.includes(type) ? current.filter((t) => t !== type) : [...current, type],
    );

  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="timeline">
      <div className="chips" role="group" aria-label="Timeline types">
        <button
          type="button"
          className="chip"
          aria-pressed={types.length === 0}
          onClick={() => setTypes([])}
        >
          All
        </button>
        {timelineTypes.map((type) => (
          <button
            key={type}
            type="button"
            className={`chip type-${type}`}
            aria-pressed={types.includes(type)}
            onClick={() => toggle(type)}
            data-testid={`timeline-chip-${type}`}
          >
            {humanize(type)}
          </button>
        ))}
      </div>
      {searchable && (
        <input
          type="search"
          className="timeline-search"
          aria-label="Search the timeline"
          placeholder="Search the timeline…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="timeline-search"
        />
      )}
      <div className="timeline-scroll" ref={scrollRef}>
        {timeline.isPending && <Skeleton lines={8} label="Loading timeline" />}
        {timeline.isError && (
          <ErrorMessage
            error={timeline.error}
            title="Timeline could not be loaded"
            onRetry={() => timeline.refetch()}
          />
        )}
        {timeline.isSuccess && items.length === 0 && (
          <p className="muted">
            No touchpoints{types.length > 0 ? ' of these types' : ''}
            {q ? ` matching “${q}”` : ''}.
          </p>
        )}
        <ol className="timeline-list" aria-label="Touchpoints">
          {items.map((tp) => (
            <li
              key={tp.key}
              className={`timeline-item type-${tp.type}`}
              data-testid="timeline-item"
              data-type={tp.type}
            >
              <span className={`type-badge type-${tp.type}`}>{humanize(tp.type)}</span>
              <time dateTime={tp.occurredAt}>{formatDateTime(tp.occurredAt)}</time>
              <span className="source muted" title={tp.key}>
                {tp.source}
              </span>
              <span className="summary" title={summarizeTouchpoint(tp)}>
                {summarizeTouchpoint(tp)}
              </span>
            </li>
          ))}
        </ol>
        <div ref={sentinelRef} className="timeline-end">
          {isFetchingNextPage && <Spinner label="Loading more touchpoints" />}
          {hasNextPage && !isFetchingNextPage && (
            <button type="button" className="button small" onClick={() => void fetchNextPage()}>
              Load more
            </button>
          )}
          {timeline.isFetchNextPageError && (
            <ErrorMessage error={timeline.error} title="More touchpoints could not be loaded" />
          )}
          {timeline.isSuccess && !hasNextPage && items.length > 0 && (
            <span className="muted small">Beginning of the relationship.</span>
          )}
        </div>
      </div>
    </div>
  );
}
