import { useState } from 'react';
import { formatNumber } from '../../../lib/format';
import type { FacetBucket } from '../../../lib/domain-types';
import { facetKeys, facetLabels } from '../utils/explore-params';

interface FacetListProps {
  facets: Record<string, FacetBucket[]>;
  selected: Record<string, string[]>;
  onToggle: (facet: string, value: string) => void;
}

const collapsedCount = 8;

function FacetGroup({
  facet,
  buckets,
  selected,
  onToggle,
}: {
  facet: string;
  buckets: FacetBucket[];
  selected: string[];
  onToggle: FacetListProps['onToggle'];
}) {
  const [expanded, setExpanded] = useState(false);
  // A selected value stays visible even when the current slice no longer counts it.
  const missing = selected
    .filter((v) => !buckets.some((b) => b.value === v))
    .map((value) => ({ value, count: 0 }));
  const all = [...buckets, ...missing];
  const shown = expanded ? all : all.slice(0, Math.max(collapsedCount, selected.length));
  const label = facetLabels[facet] ?? facet;
  return (
    <fieldset className="facet" data-testid={`facet-${facet}`}>
      <legend>{label}</legend>
      {all.length === 0 && <p className="muted small">none</p>}
      {shown.map((b) => {
        const checked = selected.includes(b.value);
        return (
          <label key={b.value} className={`facet-option${checked ? ' checked' : ''}`}>
            <input
              type="checkbox"
              checked={checked}
              onChange={() => onToggle(facet, b.value)}
              aria-label={`${label}: ${b.value}`}
            />
            <span className="facet-value">{b.value}</span>
            <span className="facet-count">{formatNumber(b.count)}</span>
          </label>
        );
      })}
      {all.length > shown.length && (
        <button type="button" className="link-button small" onClick={() => setExpanded(true)}>
          {all.length - shown.length} more…
        </button>
      )}
    </fieldset>
  );
}

export function FacetList({ facets, selected, onToggle }: FacetListProps) {
  const keys = [
    ...facetKeys,
    ...Object.keys(facets).filter((k) => !(facetKeys as readonly string[]).includes(k)),
  ];
  return (
    <div className="facet-list" aria-label="Facets" role="group">
      {keys.map((facet) => (
        <FacetGroup
          key={facet}
          facet={facet}
          buckets={facets[facet] ?? []}
          selected={selected[facet] ?? []}
          onToggle={onToggle}
        />
      ))}
    </div>
  );
}
