/**
 * The explorer's facet catalogue: which facets exist, which are open at
 * first, and the aggregation requests the explorer sends for the open ones.
 * Pure, so the UI and the analytics benchmark build the same requests.
 */
import { keywordFields, type AnalyticsFieldName } from './fields';

/** Histogram steps of the numeric facets. */
export const histogramIntervals: Partial<Record<AnalyticsFieldName, number>> = {
  'kpis.lifetimeValue': 250,
  'kpis.orderCount': 1,
  'kpis.monthlyRevenue': 10,
  'kpis.openTickets': 1,
  'kpis.complaints12m': 1,
  'kpis.lastNps': 1,
  'kpis.lastCsat': 1,
  'kpis.averageOrderValue': 50,
  'kpis.returnCount': 1,
  'kpis.activeContracts': 1,
  'kpis.cancellations12m': 1,
  'kpis.touchpointCount': 10,
};

/** Date facets: ranges relative to today. */
export const dateFacetRanges: Partial<
  Record<AnalyticsFieldName, { key: string; from?: number; to?: number }[]>
> = {
  'kpis.nextContractEnd': [
    { key: 'next 30 days', from: 0, to: 30 },
    { key: 'next 60 days', from: 0, to: 60 },
    { key: 'next 90 days', from: 0, to: 90 },
  ],
  'kpis.lastOrderAt': [
    { key: 'last 30 days', from: -30, to: 0 },
    { key: 'last 90 days', from: -90, to: 0 },
    { key: 'last year', from: -365, to: 0 },
  ],
  'kpis.lastContactAt': [
    { key: 'last 7 days', from: -7, to: 0 },
    { key: 'last 30 days', from: -30, to: 0 },
  ],
  'kpis.firstOrderAt': [
    { key: 'last 90 days', from: -90, to: 0 },
    { key: 'last year', from: -365, to: 0 },
    { key: 'before', to: -365 },
  ],
  firstSeenAt: [
    { key: 'last 30 days', from: -30, to: 0 },
    { key: 'last year', from: -365, to: 0 },
    { key: 'before', to: -365 },
  ],
  lastSeenAt: [
    { key: 'last 7 days', from: -7, to: 0 },
    { key: 'last 90 days', from: -90, to: 0 },
    { key: 'over a year ago', to: -365 },
  ],
  birthDate: [
    { key: 'under 30', from: -30 * 365, to: 0 },
    { key: '30–50', from: -50 * 365, to: -30 * 365 },
    { key: 'over 50', to: -50 * 365 },
  ],
  updatedAt: [
    { key: 'last day', from: -1 },
    { key: 'last 7 days', from: -7 },
  ],
};

export type FacetKind = 'terms' | 'histogram' | 'dateRange';

/** Every facet of the panel, in the order shown; `id` names its aggregation. */
export const facets: { id: string; field: AnalyticsFieldName; kind: FacetKind }[] = [
  ...keywordFields.map((field, i) => ({ id: `t${i}`, field, kind: 'terms' as const })),
  ...(Object.keys(histogramIntervals) as AnalyticsFieldName[]).map((field, i) => ({
    id: `h${i}`,
    field,
    kind: 'histogram' as const,
  })),
  ...(Object.keys(dateFacetRanges) as AnalyticsFieldName[]).map((field, i) => ({
    id: `d${i}`,
    field,
    kind: 'dateRange' as const,
  })),
];

/**
 * Open when the explorer opens: the facets analysts reach for first. Every
 * other facet is computed only once it is opened — at a million profiles each
 * facet is a pass over the matching profiles, and 37 of them on every edit of
 * the filter would make the counts lag behind the typing.
 */
export const defaultOpenFacets: AnalyticsFieldName[] = [
  'segment',
  'segments',
  'products',
  'channels',
  'consentGranted',
  'address.city',
  'kpis.lifetimeValue',
  'kpis.nextContractEnd',
  'kpis.lastOrderAt',
];

function aggregationOf(facet: (typeof facets)[number]): object {
  if (facet.kind === 'terms') return { type: 'terms', field: facet.field, size: 8 };
  if (facet.kind === 'histogram')
    return { type: 'histogram', field: facet.field, interval: histogramIntervals[facet.field] };
  const ranges = dateFacetRanges[facet.field]!;
  return {
    type: 'dateRange',
    field: facet.field,
    ranges: ranges.map((r) => ({
      key: r.key,
      from: r.from === undefined ? undefined : { days: r.from },
      to: r.to === undefined ? undefined : { days: r.to },
    })),
  };
}

/** At most this many facets per request: at a million profiles each is a pass over the matching ones, and requests of three went over the 300 ms aim without a filter (bench:analytics; figures in bench/README.md). */
const facetsPerRequest = 2;

/**
 * The aggregations of the open facets, as a few small requests that run side
 * by side and show their counts as each arrives: groups of at most two, in
 * the panel's order, the date facets apart (they count relative to today, so
 * the server's request cache never keeps them; the others it may answer from
 * the cache as long as the profiles did not change).
 */
export function facetAggregations(open: ReadonlySet<AnalyticsFieldName>): Record<string, object>[] {
  const opened = facets.filter((facet) => open.has(facet.field));
  const groups: Record<string, object>[] = [];
  for (const dated of [false, true]) {
    const list = opened.filter((facet) => (facet.kind === 'dateRange') === dated);
    for (let i = 0; i < list.length; i += facetsPerRequest) {
      groups.push(
        Object.fromEntries(
          list.slice(i, i + facetsPerRequest).map((facet) => [facet.id, aggregationOf(facet)]),
        ),
      );
    }
  }
  return groups;
}
