import { formatNumber } from '../../../lib/format';
import { pageSizes } from '../utils/explore-params';

/** The server answers at most the first 10,000 hits of a list (`from + size`). */
const maxResultWindow = 10_000;

interface PagerProps {
  from: number;
  size: number;
  total: number;
  onPage: (from: number) => void;
  /** A new page size; the caller goes back to the first page. */
  onSize: (size: number) => void;
}

/** Previous / next and page size under a result table of the explorer. */
export function Pager({ from, size, total, onPage, onSize }: PagerProps) {
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        className="button small"
        disabled={from === 0}
        onClick={() => onPage(Math.max(0, from - size))}
      >
        ← Previous
      </button>
      <span className="muted">
        page {formatNumber(Math.floor(from / size) + 1)} of{' '}
        {formatNumber(Math.max(1, Math.ceil(total / size)))}
      </span>
      <button
        type="button"
        className="button small"
        disabled={from + size >= total || from + size >= maxResultWindow}
        onClick={() => onPage(from + size)}
      >
        Next →
      </button>
      <label className="page-size">
        per page{' '}
        <select value={size} onChange={(e) => onSize(Number(e.target.value))}>
          {pageSizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
