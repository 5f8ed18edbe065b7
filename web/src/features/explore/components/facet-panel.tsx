import { analyticsFields, keywordFields, type AnalyticsFieldName } from '../../../../../domain/src/analytics/fields';
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
export const dateFacetRanges: Partial<Record<AnalyticsFieldName, { key: string; from?: number; to?: number }[]>> = {
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

/** The aggregations behind the facet panel: terms of every keyword field, histograms, date ranges. */
export function facetAggregations() {
  const aggs: Record<string, object> = {};
  keywordFields.forEach((f, i) => (aggs[`t${i}`] = { type: 'terms', field: f, size: 8 }));
  Object.entries(histogramIntervals).forEach(([f, interval], i) => (aggs[`h${i}`] = { type: 'histogram', field: f, interval }));
  Object.entries(dateFacetRanges).forEach(([f, ranges], i) => (aggs[`d${i}`] = { type: 'dateRange', field: f, ranges: ranges!.map((r) => ({ key: r.key, from: r.from === undefined ? undefined : { days: r.from }, to: r.to === undefined ? undefined : { days: r.to } })) }));
  return aggs;
}

interface FacetPanelProps {
  aggs: Record<string, AggregationResult> | undefined;
  onTerm: (field: AnalyticsFieldName, value: string) => void;
  onRange: (field: AnalyticsFieldName, min: number, max: number) => void;
  onDays: (field: AnalyticsFieldName, from: number | undefined, to: number | undefined) => void;
}

const bucketsOf = (r: AggregationResult | undefined) => (r && r.type === 'buckets' ? r.buckets : []);

export function FacetPanel({ aggs, onTerm, onRange, onDays }: FacetPanelProps) {
  if (!aggs) return null;
  return (
    <div className="facet-panel">
      {keywordFields.map((field, i) => {
        const buckets = bucketsOf(aggs[`t${i}`]);
        if (buckets.length === 0) return null;
        return (
          <section key={field} className="facet" aria-label={analyticsFields[field].label}>
            <h3>{analyticsFields[field].label}</h3>
            <ul>
              {buckets.map((b) => (
                <li key={String(b.key)}>
                  <button type="button" className="facet-value" onClick={() => onTerm(field, String(b.key))} title="Add as a condition">
                    <span>{b.label}</span> <span className="count">{formatNumber(b.count)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {(Object.keys(histogramIntervals) as AnalyticsFieldName[]).map((field, i) => {
        const buckets = bucketsOf(aggs[`h${i}`]);
        if (buckets.length === 0) return null;
        const max = Math.max(...buckets.map((b) => b.count));
        const step = histogramIntervals[field]!;
        return (
          <section key={field} className="facet" aria-label={analyticsFields[field].label}>
            <h3>{analyticsFields[field].label}</h3>
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
                  onClick={() => onRange(field, Number(b.key), Number(b.key) + step - (step === 1 ? 0 : 0.01))}
                />
              ))}
            </div>
          </section>
        );
      })}
      {(Object.keys(dateFacetRanges) as AnalyticsFieldName[]).map((field, i) => {
        const buckets = bucketsOf(aggs[`d${i}`]);
        const ranges = dateFacetRanges[field]!;
        return (
          <section key={field} className="facet" aria-label={analyticsFields[field].label}>
            <h3>{analyticsFields[field].label}</h3>
            <ul>
              {buckets.map((b, k) => (
                <li key={String(b.key)}>
                  <button type="button" className="facet-value" onClick={() => onDays(field, ranges[k]?.from, ranges[k]?.to)}>
                    <span>{b.label}</span> <span className="count">{formatNumber(b.count)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
