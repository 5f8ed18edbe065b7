import {
  analyticsFields,
  coarsenedFields,
  keywordFields,
  type AnalyticsFieldName,
} from '../../../../../domain/src/analytics/fields';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import type { AggregationResult } from '../../../../../domain/src/analytics/query-schema';
import { formatNumber } from '../../../lib/format';

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

/** At most this many facets per request: at a million profiles each is a pass over the matching ones (three measured just over 300 ms p95 without a filter). */
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

interface FacetPanelProps {
  /** Answers of the open facets by id (undefined while the first answer is on its way). */
  aggs: Record<string, AggregationResult> | undefined;
  open: ReadonlySet<AnalyticsFieldName>;
  onToggle: (field: AnalyticsFieldName) => void;
  onTerm: (field: AnalyticsFieldName, value: string) => void;
  onRange: (field: AnalyticsFieldName, min: number, max: number) => void;
  onDays: (field: AnalyticsFieldName, from: number | undefined, to: number | undefined) => void;
}

const bucketsOf = (r: AggregationResult | undefined) =>
  r && r.type === 'buckets' ? r.buckets : [];

export function FacetPanel({ aggs, open, onToggle, onTerm, onRange, onDays }: FacetPanelProps) {
  // Values of coarsened fields (postal codes, companies, birth dates) are not counted for pseudonymized roles (server privacy/oracles.ts).
  const shown = seesPseudonymized(useSession()?.role)
    ? facets.filter((f) => !(f.field in coarsenedFields))
    : facets;
  return (
    <div className="facet-panel">
      {shown.map((facet) => {
        const { id, field, kind } = facet;
        const label = analyticsFields[field].label;
        const isOpen = open.has(field);
        const answer = aggs?.[id];
        const buckets = bucketsOf(answer);
        return (
          <section key={id} className="facet" aria-label={label}>
            <h3>
              <button
                type="button"
                className="facet-toggle"
                aria-expanded={isOpen}
                onClick={() => onToggle(field)}
              >
                {label}
              </button>
            </h3>
            {isOpen && !answer && <p className="muted facet-note">counting…</p>}
            {isOpen && answer && buckets.length === 0 && (
              <p className="muted facet-note">no values</p>
            )}
            {isOpen && kind === 'terms' && buckets.length > 0 && (
              <ul>
                {buckets.map((b) => (
                  <li key={String(b.key)}>
                    <button
                      type="button"
                      className="facet-value"
                      onClick={() => onTerm(field, String(b.key))}
                      title="Add as a condition"
                    >
                      <span>{b.label}</span> <span className="count">{formatNumber(b.count)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {isOpen && kind === 'histogram' && buckets.length > 0 && (
              <Histogram field={field} buckets={buckets} onRange={onRange} />
            )}
            {isOpen && kind === 'dateRange' && buckets.length > 0 && (
              <ul>
                {buckets.map((b, k) => {
                  const range = dateFacetRanges[field]?.[k];
                  return (
                    <li key={String(b.key)}>
                      <button
                        type="button"
                        className="facet-value"
                        onClick={() => onDays(field, range?.from, range?.to)}
                      >
                        <span>{b.label}</span>{' '}
                        <span className="count">{formatNumber(b.count)}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

function Histogram({
  field,
  buckets,
  onRange,
}: {
  field: AnalyticsFieldName;
  buckets: ReturnType<typeof bucketsOf>;
  onRange: FacetPanelProps['onRange'];
}) {
  const max = Math.max(...buckets.map((b) => b.count));
  const step = histogramIntervals[field]!;
  return (
    <div className="histogram" role="list">
      {buckets.slice(0, 24).map((b) => (
        <button
          type="button"
          role="listitem"
          key={String(b.key)}
          className="histogram-bar"
          style={{ height: `${Math.max(4, (b.count / max) * 48)}px` }}
          title={`${b.key} – ${Number(b.key) + step}: ${formatNumber(b.count)}`}
          aria-label={`${b.key} to ${Number(b.key) + step}: ${b.count}`}
          onClick={() =>
            onRange(field, Number(b.key), Number(b.key) + step - (step === 1 ? 0 : 0.01))
          }
        />
      ))}
    </div>
  );
}
