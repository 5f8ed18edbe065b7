/**
 * Translates the validated analytics request into Elasticsearch DSL and the
 * answer back into plain results. Pure (no I/O): the server runs it for the
 * analytics endpoint and the export, the indexer for saved segments on every
 * rebuild — one translation, so a segment means the same everywhere.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { CustomerDocument } from '../profile';
import { analyticsFields, type AnalyticsFieldName, type ColumnName } from './fields';
import type {
  Aggregation,
  AggregationBucket,
  AggregationResult,
  AnalyticsRow,
  AnalyticsSort,
  DateBound,
  Filter,
} from './query-schema';

/** Elasticsearch date math for a bound: `{days: 60}` → `now+60d/d`. */
export function dateMath(bound: DateBound, roundUp = false): string {
  if (typeof bound === 'string') return bound;
  const sign = bound.days < 0 ? '-' : '+';
  // Whole days: "within 60 days" includes the 60th day.
  return bound.days === 0 ? 'now' : `now${sign}${Math.abs(bound.days)}d${roundUp ? '/d' : ''}`;
}

export function filterToQuery(filter: Filter): estypes.QueryDslQueryContainer {
  switch (filter.kind) {
    case 'and':
      return { bool: { filter: filter.filters.map(filterToQuery) } };
    case 'or':
      return { bool: { should: filter.filters.map(filterToQuery), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [filterToQuery(filter.filter)] } };
    case 'terms':
      // consentGranted is stored lower-cased (the fold): "email:Newsletter" asks for the same consent as "email:newsletter".
      return {
        terms: {
          [filter.field]:
            filter.field === 'consentGranted'
              ? filter.values.map((v) => v.toLowerCase())
              : filter.values,
        },
      };
    case 'range': {
      const { gte, gt, lte, lt } = filter;
      return { range: { [filter.field]: { gte, gt, lte, lt } } };
    }
    case 'dateRange':
      return {
        range: {
          [filter.field]: {
            gte: filter.from === undefined ? undefined : dateMath(filter.from),
            lte: filter.to === undefined ? undefined : dateMath(filter.to, true),
          },
        },
      };
    case 'exists':
      return { exists: { field: filter.field } };
  }
}

/** The query of a request: the filter, optional free text, never anything from the client as DSL. */
export function analyticsQuery(
  filter: Filter | undefined,
  q?: string,
): estypes.QueryDslQueryContainer {
  const must: estypes.QueryDslQueryContainer[] = [];
  if (q && q.trim()) {
    must.push({
      multi_match: {
        query: q.trim(),
        fields: [
          'search.names^3',
          'search.text',
          'search.emailText',
          'search.cities',
          'search.numbers^5',
          'search.emails^5',
        ],
        operator: 'and',
      },
    });
  }
  if (filter) must.push(filterToQuery(filter));
  return must.length === 0 ? { match_all: {} } : { bool: { filter: must } };
}

export function aggregationsToDsl(
  aggs: Record<string, Aggregation>,
): Record<string, estypes.AggregationsAggregationContainer> {
  return Object.fromEntries(
    Object.entries(aggs).map(([name, agg]) => [name, aggregationToDsl(agg)]),
  );
}

function aggregationToDsl(agg: Aggregation): estypes.AggregationsAggregationContainer {
  const sub = 'aggs' in agg && agg.aggs ? { aggs: aggregationsToDsl(agg.aggs) } : {};
  switch (agg.type) {
    case 'terms': {
      // On several shards each returns only its top shard_size terms: ask for more than shown so the top is exact far more often.
      const size = agg.size ?? 20;
      return { terms: { field: agg.field, size, shard_size: Math.max(100, size * 3) }, ...sub };
    }
    case 'histogram':
      return { histogram: { field: agg.field, interval: agg.interval, min_doc_count: 1 }, ...sub };
    case 'dateHistogram':
      return {
        date_histogram: { field: agg.field, calendar_interval: agg.interval, min_doc_count: 1 },
        ...sub,
      };
    case 'range':
      return {
        range: {
          field: agg.field,
          ranges: agg.ranges.map((r) => ({ key: r.key, from: r.from, to: r.to })),
        },
        ...sub,
      };
    case 'dateRange':
      return {
        date_range: {
          field: agg.field,
          ranges: agg.ranges.map((r) => ({
            key: r.key,
            from: r.from === undefined ? undefined : dateMath(r.from),
            to: r.to === undefined ? undefined : dateMath(r.to, true),
          })),
        },
        ...sub,
      };
    case 'filter':
      return { filter: filterToQuery(agg.filter), ...sub };
    case 'stats':
      return { stats: { field: agg.field } };
    case 'percentiles':
      return { percentiles: { field: agg.field, percents: agg.percents ?? [50, 90, 95, 99] } };
    case 'cardinality':
      return { cardinality: { field: agg.field } };
  }
}

interface RawBucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}

/** Reads Elasticsearch's aggregation answer back in the shape of the request. */
export function readAggregations(
  requested: Record<string, Aggregation>,
  raw: Record<string, unknown> | undefined,
): Record<string, AggregationResult> {
  const out: Record<string, AggregationResult> = {};
  for (const [name, agg] of Object.entries(requested))
    out[name] = readAggregation(agg, (raw?.[name] ?? {}) as Record<string, unknown>);
  return out;
}

function readAggregation(agg: Aggregation, raw: Record<string, unknown>): AggregationResult {
  switch (agg.type) {
    case 'stats': {
      const s = raw as {
        count?: number;
        min?: number | null;
        max?: number | null;
        avg?: number | null;
        sum?: number;
      };
      return {
        type: 'stats',
        count: s.count ?? 0,
        min: s.min ?? null,
        max: s.max ?? null,
        avg: s.avg ?? null,
        sum: s.sum ?? 0,
      };
    }
    case 'percentiles': {
      const values = (raw.values ?? {}) as Record<string, number | null>;
      return {
        type: 'percentiles',
        values: Object.fromEntries(Object.entries(values).map(([k, v]) => [String(Number(k)), v])),
      };
    }
    case 'cardinality':
      return { type: 'value', value: (raw as { value?: number }).value ?? null };
    case 'filter': {
      const count = (raw as { doc_count?: number }).doc_count ?? 0;
      return {
        type: 'filter',
        count,
        ...(agg.aggs ? { aggs: readAggregations(agg.aggs, raw) } : {}),
      };
    }
    default: {
      const rawBuckets = (raw.buckets ?? []) as RawBucket[] | Record<string, RawBucket>;
      const list = Array.isArray(rawBuckets)
        ? rawBuckets
        : Object.entries(rawBuckets).map(([key, b]) => ({ ...b, key }));
      const buckets: AggregationBucket[] = list.map((b) => ({
        key: b.key,
        label: b.key_as_string ?? String(b.key),
        count: b.doc_count,
        ...(agg.aggs ? { aggs: readAggregations(agg.aggs, b) } : {}),
      }));
      const other = (raw as { sum_other_doc_count?: number }).sum_other_doc_count;
      return { type: 'buckets', buckets, ...(other ? { otherCount: other } : {}) };
    }
  }
}

/** Sort of a results page; the id breaks ties so pages never overlap. */
export function sortToDsl(sort: AnalyticsSort[]): estypes.SortCombinations[] {
  const fields = sort.map((s) => ({
    [s.field === 'name' ? 'name.kw' : s.field]: { order: s.order, missing: '_last' as const },
  }));
  return [...fields, { id: 'asc' }];
}

/** The `_source` fields a set of columns needs. */
export function sourceFieldsOf(columns: readonly ColumnName[]): string[] {
  const fields = new Set<string>(['id']);
  for (const c of columns) {
    if (c === 'email') fields.add('emails');
    else if (c === 'phone') fields.add('phones');
    else if (c === 'customerNumber') fields.add('customerNumbers');
    else fields.add(c);
  }
  return [...fields];
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.'))
    value =
      value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function preferCurrent(values: { value: string; current: boolean }[] | undefined): string | null {
  if (!values || values.length === 0) return null;
  return (values.find((v) => v.current) ?? values[0]).value;
}

/** One row of the results table or the export: a flat record of the chosen columns. */
export function toRow(
  doc: Partial<CustomerDocument>,
  columns: readonly ColumnName[],
): AnalyticsRow {
  const row: AnalyticsRow = { id: String(doc.id ?? '') };
  for (const c of columns) {
    if (c === 'id') continue;
    if (c === 'email') row.email = preferCurrent(doc.emails);
    else if (c === 'phone') row.phone = preferCurrent(doc.phones);
    else if (c === 'customerNumber') row.customerNumber = doc.customerNumbers?.[0] ?? null;
    else {
      const v = valueAt(doc as Record<string, unknown>, c);
      row[c] = Array.isArray(v)
        ? v.map(String)
        : v === undefined
          ? null
          : (v as string | number | boolean | null);
    }
  }
  return row;
}

export function isAnalyticsField(name: string): name is AnalyticsFieldName {
  return name in analyticsFields;
}
