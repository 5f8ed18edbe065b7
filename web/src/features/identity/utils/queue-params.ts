/**
 * The steward's queue keeps its filters in the URL query string, in the words
 * the API uses (`status`, `minScore`, `maxScore`, `source`, `city`, `sort`,
 * `size`), so a link to "open pairs from the shop in Berlin above 80 %" can be
 * shared. Scores are probabilities (0..1) in the URL as in the API.
 */

export const pairStatuses = ['open', 'merged', 'rejected', 'closed'] as const;
export type QueueStatus = (typeof pairStatuses)[number];

export const queueSorts = ['score', '-score', 'newest'] as const;
export type QueueSort = (typeof queueSorts)[number];

export const sortLabels: Record<QueueSort, string> = {
  score: 'Highest score first',
  '-score': 'Lowest score first',
  newest: 'Newest first',
};

export const queuePageSizes = [20, 50, 100] as const;

export interface QueueFilters {
  status: QueueStatus;
  minScore: number | null;
  maxScore: number | null;
  source: string;
  city: string;
  sort: QueueSort;
  size: number;
}

export const defaultQueueFilters: QueueFilters = {
  status: 'open',
  minScore: null,
  maxScore: null,
  source: '',
  city: '',
  sort: 'score',
  size: 20,
};

function score(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

export function parseQueueParams(params: URLSearchParams): QueueFilters {
  const size = Number.parseInt(params.get('size') ?? '', 10);
  return {
    status: oneOf(pairStatuses, params.get('status'), defaultQueueFilters.status),
    minScore: score(params.get('minScore')),
    maxScore: score(params.get('maxScore')),
    source: params.get('source')?.trim() ?? '',
    city: params.get('city')?.trim() ?? '',
    sort: oneOf(queueSorts, params.get('sort'), defaultQueueFilters.sort),
    size: (queuePageSizes as readonly number[]).includes(size) ? size : defaultQueueFilters.size,
  };
}

/** Only what differs from the defaults goes into the URL. */
export function toQueueParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== defaultQueueFilters.status) params.set('status', filters.status);
  if (filters.minScore !== null) params.set('minScore', String(filters.minScore));
  if (filters.maxScore !== null) params.set('maxScore', String(filters.maxScore));
  if (filters.source) params.set('source', filters.source);
  if (filters.city) params.set('city', filters.city);
  if (filters.sort !== defaultQueueFilters.sort) params.set('sort', filters.sort);
  if (filters.size !== defaultQueueFilters.size) params.set('size', String(filters.size));
  return params;
}

/** The filters narrow the queue (beyond the status and order, which every view has). */
export function isFiltered(filters: QueueFilters): boolean {
  return (
    filters.minScore !== null || filters.maxScore !== null || !!filters.source || !!filters.city
  );
}

/** The same view without the narrowing filters: status and order stay, the page size goes back to its default. */
export function withoutFilters(filters: QueueFilters): QueueFilters {
  return { ...defaultQueueFilters, status: filters.status, sort: filters.sort };
}

/** The API's query parameters for one page. */
export function toApiParams(
  filters: QueueFilters,
  after: string | null,
): Record<string, string | number | null> {
  return {
    status: filters.status,
    minScore: filters.minScore,
    maxScore: filters.maxScore,
    source: filters.source || null,
    city: filters.city || null,
    sort: filters.sort,
    size: filters.size,
    after,
  };
}

/**
 * "99.9 %" for 0.999. Near certainty a decimal more, rounded down, so 99.95 %
 * and 99.99 % differ and nothing short of 1 reads "100 %".
 */
export function formatProbability(p: number): string {
  if (p >= 1) return '100 %';
  const percent = p * 100;
  if (percent < 99) return `${percent.toFixed(1)} %`;
  // The epsilon keeps 0.999 (99.899999… in floating point) at 99.9; the cap keeps 0.9999999 below 100.
  const down = Math.min(99.99, Math.floor(percent * 100 + 1e-6) / 100);
  return `${down.toFixed(2).replace(/0$/, '')} %`;
}
