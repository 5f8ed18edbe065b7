import {
  analyticsFields,
  coarsenedFields,
  type AnalyticsFieldName,
} from '../../../../../domain/src/analytics/fields';
import {
  dateFacetRanges,
  facets,
  histogramIntervals,
} from '../../../../../domain/src/analytics/facet-catalogue';
import { useSession } from '../../../lib/auth-session';
import { seesPseudonymized } from '../../../lib/authorization';
import type { AggregationResult } from '../../../../../domain/src/analytics/query-schema';
import { formatNumber } from '../../../lib/format';

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
