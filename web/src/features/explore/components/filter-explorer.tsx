import { useMemo, useState, type ReactNode } from 'react';
import '../../../analytics.css';
import {
  defaultColumns,
  type AnalyticsFieldName,
  type ColumnName,
} from '../../../../../domain/src/analytics/fields';
import type { AnalyticsSort, Filter } from '../../../../../domain/src/analytics/query-schema';
import { ErrorMessage } from '../../../components/error-message';
import { Spinner } from '../../../components/spinner';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { formatNumber } from '../../../lib/format';
import { useAnalyticsQuery, useFacetAnswers } from '../api/query-analytics';
import { newCondition, toFilter, type ConditionNode, type GroupNode } from '../utils/filter-editor';
import { ExportButton } from './export-button';
import {
  defaultOpenFacets,
  facetAggregations,
} from '../../../../../domain/src/analytics/facet-catalogue';
import { FacetPanel } from './facet-panel';
import { FilterBuilder } from './filter-builder';
import { Pager } from './pager';
import { ColumnChooser, ResultsTable } from './results-table';

interface FilterExplorerProps {
  root: GroupNode;
  onRootChange: (root: GroupNode) => void;
  onOpen: (customerId: string) => void;
  /** Extra actions on the current filter (e.g. save as segment), given by the page. */
  actions?: (filter: Filter | null) => ReactNode;
}

/**
 * The analyst's filter builder over every profile field: facets (terms,
 * histograms, date ranges) and counts that follow the filter while it is
 * edited, a results table with a column chooser, sorting and paging, and the
 * CSV export of all matching customers.
 */
export function FilterExplorer({ root, onRootChange, onOpen, actions }: FilterExplorerProps) {
  const [columns, setColumns] = useState<ColumnName[]>(defaultColumns);
  const [sort, setSort] = useState<AnalyticsSort | null>(null);
  const [from, setFrom] = useState(0);
  const [size, setSize] = useState(20);
  const filter = useMemo(() => toFilter(root), [root]);
  const debounced = useDebouncedValue(filter, 200);
  const [openFacets, setOpenFacets] = useState<ReadonlySet<AnalyticsFieldName>>(
    () => new Set(defaultOpenFacets),
  );
  const toggleFacet = (field: AnalyticsFieldName) =>
    setOpenFacets((open) => {
      const next = new Set(open);
      if (!next.delete(field)) next.add(field);
      return next;
    });
  const facetGroups = useMemo(() => facetAggregations(openFacets), [openFacets]);
  // Count and rows first, the open facets beside them in a few small requests, instead of one with every facet.
  const answer = useAnalyticsQuery({
    filter: debounced ?? undefined,
    page: { from, size, sort: sort ? [sort] : [], columns },
  });
  const facetAnswers = useFacetAnswers(debounced ?? undefined, facetGroups);
  const data = answer.data;

  const changeRoot = (next: GroupNode) => {
    setFrom(0);
    onRootChange(next);
  };
  const addCondition = (patch: Partial<ConditionNode> & { field: AnalyticsFieldName }) =>
    changeRoot({
      ...root,
      children: [...root.children, { ...newCondition(patch.field), ...patch }],
    });
  const total = data?.total ?? 0;

  return (
    <div className="explore filter-explorer">
      <aside className="explore-facets" aria-label="Facets">
        <FacetPanel
          aggs={facetAnswers}
          open={openFacets}
          onToggle={toggleFacet}
          onTerm={(field, value) => addCondition({ field, values: value })}
          onRange={(field, min, max) => addCondition({ field, min: String(min), max: String(max) })}
          onDays={(field, f, t) =>
            addCondition({
              field,
              from: f === undefined ? '' : String(f),
              to: t === undefined ? '' : String(t),
            })
          }
        />
      </aside>
      <div className="explore-main">
        <FilterBuilder root={root} onChange={changeRoot} />
        <div className="explore-toolbar">
          <div className="explore-summary">
            <span data-testid="builder-total">{formatNumber(total)}</span>{' '}
            {total === 1 ? 'customer matches' : 'customers match'}
            {data && <span className="muted"> · {data.tookMs} ms</span>}
            {answer.isFetching && <Spinner label="Counting" />}
          </div>
          {actions?.(filter)}
          <ExportButton filter={filter} columns={columns} />
          <ColumnChooser columns={columns} onChange={setColumns} />
        </div>
        {answer.isError && (
          <ErrorMessage
            error={answer.error}
            title="The filter could not be answered"
            onRetry={() => answer.refetch()}
          />
        )}
        {data?.items && (
          <>
            <ResultsTable
              rows={data.items}
              columns={columns}
              sort={sort}
              stale={answer.isPlaceholderData}
              onSort={(s) => {
                setSort(s);
                setFrom(0);
              }}
              onOpen={onOpen}
            />
            <Pager
              from={from}
              size={size}
              total={total}
              onPage={setFrom}
              onSize={(s) => {
                setSize(s);
                setFrom(0);
              }}
            />
          </>
        )}
      </div>
    </div>
  );
}
