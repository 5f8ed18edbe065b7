/**
 * The explore page's state lives in the URL query string, in the same words
 * the API uses (`q`, `from`, `size`, `f.<facet>=<value>` repeated), so a link
 * to a slice of customers can be shared.
 */

/** The facets the search answer counts, in the order the page shows them. */
export const facetKeys = [
  'segment',
  'status',
  'city',
  'country',
  'language',
  'channels',
  'products',
  'tags',
  'sources',
] as const;
export type FacetKey = (typeof facetKeys)[number];

export const facetLabels: Record<string, string> = {
  segment: 'Segment',
  status: 'Status',
  city: 'City',
  country: 'Country',
  language: 'Language',
  channels: 'Channels',
  products: 'Products',
  tags: 'Tags',
  sources: 'Sources',
};

export const pageSizes = [20, 50, 100] as const;

export interface ExploreState {
  q: string;
  /** Selected values per facet; facets without a selection are absent. */
  filters: Record<string, string[]>;
  from: number;
  size: number;
}

export function parseExploreParams(params: URLSearchParams): ExploreState {
  const filters: Record<string, string[]> = {};
  for (const [key, value] of params) {
    if (key.startsWith('f.') && value) (filters[key.slice(2)] ??= []).push(value);
  }
  const from = Number.parseInt(params.get('from') ?? '0', 10);
  const size = Number.parseInt(params.get('size') ?? '20', 10);
  return {
    q: params.get('q') ?? '',
    filters,
    from: Number.isFinite(from) && from > 0 ? from : 0,
    size: Number.isFinite(size) && size >= 1 && size <= 100 ? size : 20,
  };
}

export function toExploreParams(state: ExploreState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q.trim());
  for (const [facet, values] of Object.entries(state.filters))
    for (const v of values) params.append(`f.${facet}`, v);
  if (state.from > 0) params.set('from', String(state.from));
  if (state.size !== 20) params.set('size', String(state.size));
  return params;
}

/** Adds or removes one facet value; any change of the filters starts again at the first page. */
export function toggleFilter(state: ExploreState, facet: string, value: string): ExploreState {
  const current = state.filters[facet] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters = { ...state.filters };
  if (next.length > 0) filters[facet] = next;
  else delete filters[facet];
  return { ...state, filters, from: 0 };
}
