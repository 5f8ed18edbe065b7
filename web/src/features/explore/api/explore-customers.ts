import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { SearchAnswer } from '../../../lib/domain-types';
import type { ExploreState } from '../utils/explore-params';

/** The search endpoint with facet filters: `f.<facet>=<value>` repeated, values of one facet OR-ed by the server. */
export function exploreCustomers(state: ExploreState, signal?: AbortSignal): Promise<SearchAnswer> {
  const params: Record<string, string | number | string[]> = { size: state.size, from: state.from };
  if (state.q.trim()) params.q = state.q.trim();
  for (const [facet, values] of Object.entries(state.filters)) params[`f.${facet}`] = values;
  return api.get<SearchAnswer>('/customers/search', { params, signal });
}

export const exploreQueryOptions = (state: ExploreState) =>
  queryOptions({
    queryKey: ['customers', 'explore', state],
    queryFn: ({ signal }) => exploreCustomers(state, signal),
    staleTime: 10_000,
  });

/** Results and facet counts for the current slice; the previous slice stays visible while the next loads. */
export function useExploreCustomers(state: ExploreState) {
  return useQuery({ ...exploreQueryOptions(state), placeholderData: keepPreviousData });
}
