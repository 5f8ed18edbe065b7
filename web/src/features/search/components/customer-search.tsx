import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { Spinner } from '../../../components/spinner';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { useKey } from '../../../hooks/use-key';
import { formatNumber } from '../../../lib/format';
import { useSearchCustomers } from '../api/search-customers';
import { RecentLookups } from './recent-lookups';
import { SearchResultRow } from './search-result-row';

interface CustomerSearchProps {
  initialQuery: string;
  /** Called with the debounced query, e.g. to keep it in the URL. */
  onQueryChange: (q: string) => void;
  onOpen: (customerId: string) => void;
}

const debounceMs = 150;

export function CustomerSearch({ initialQuery, onQueryChange, onOpen }: CustomerSearchProps) {
  const [text, setText] = useState(initialQuery);
  const [selected, setSelected] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const q = useDebouncedValue(text, debounceMs);
  const search = useSearchCustomers(q);
  const hasQuery = text.trim().length > 0;
  // With an empty box nothing is shown, even if an older answer is cached.
  const answer = hasQuery ? search.data : undefined;
  const items = answer?.items ?? [];

  useEffect(() => onQueryChange(q.trim()), [q, onQueryChange]);
  useEffect(() => setSelected(0), [answer]);
  useEffect(() => inputRef.current?.focus(), []);
  useKey('/', (event) => {
    event.preventDefault();
    inputRef.current?.focus();
    inputRef.current?.select();
  });

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setSelected((i) => Math.min(i + 1, Math.max(items.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const item = items[selected];
      if (item) onOpen(item.id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setText('');
      setSelected(0);
    }
  };

  const optionId = (i: number) => `search-result-${i}`;
  const loading = hasQuery && (search.isFetching || text.trim() !== q.trim());

  return (
    <div className="customer-search">
      <div className="search-box">
        <svg className="search-icon" viewBox="0 0 20 20" aria-hidden="true">
          <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <input
          ref={inputRef}
          type="text"
          aria-label="Search customers"
          aria-controls="search-results"
          aria-activedescendant={items.length > 0 ? optionId(selected) : undefined}
          aria-autocomplete="list"
          placeholder="Name, phone, email, customer / order / tracking / ticket / contract number…"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {loading && <Spinner label="Searching" />}
        <kbd className="shortcut-hint" title="Press / to focus the search">
          /
        </kbd>
      </div>

      {hasQuery && answer && (
        <div className="search-meta" data-testid="search-meta">
          <span data-testid="search-total">{formatNumber(answer.total)}</span>{' '}
          {answer.total === 1 ? 'customer' : 'customers'} ·{' '}
          <span data-testid="search-took">{answer.tookMs}</span> ms
          <span className="muted keys-hint"> · ↑↓ select · Enter open · Esc clear</span>
        </div>
      )}

      {hasQuery && search.isError && (
        <ErrorMessage error={search.error} title="Search failed" onRetry={() => search.refetch()} />
      )}

      {!hasQuery && (
        <div className="empty-state" data-testid="search-empty">
          <p>Find a customer while the phone rings.</p>
          <p className="muted">
            Type a name, phone number in any writing, email, customer/order/tracking/ticket/contract
            number — or words from a ticket subject, with a city or postal code.
          </p>
          <RecentLookups />
        </div>
      )}

      {hasQuery && answer && items.length === 0 && !search.isPlaceholderData && (
        <div className="empty-state" data-testid="search-no-results">
          <p>No customer matches “{q.trim()}”.</p>
          <p className="muted">
            Check the spelling, or try another identifier: a phone number, an email, an order or
            ticket number.
          </p>
        </div>
      )}

      {hasQuery && items.length > 0 && (
        <ul
          ref={listRef}
          id="search-results"
          role="listbox"
          aria-label="Search results"
          className={`result-list${search.isPlaceholderData ? ' stale' : ''}`}
        >
          {items.map((item, i) => (
            <SearchResultRow
              key={item.id}
              id={optionId(i)}
              item={item}
              selected={i === selected}
              onOpen={onOpen}
              onHover={() => setSelected(i)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
