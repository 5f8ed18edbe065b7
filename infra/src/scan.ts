/**
 * Walks over every document a query matches, a page at a time, and over every
 * bucket of a composite aggregation. The embedded distribution has neither
 * `_reindex` nor delete-by-query, so exports, erasure, retention, snapshots and
 * migrations all walk their documents this way; one walk instead of a loop
 * each keeps the point in time closed on every way out.
 *
 * @example
 * for await (const hits of scan<Profile>(es, { index: names.customers, query, _source: ['id'] }))
 *   await handle(hits);
 */
import type { Client, estypes } from '@elastic/elasticsearch';

/** Where a walk stands: documents handed out so far and, when counted, how many match in all. */
export interface ScanProgress {
  seen: number;
  /** The exact number of matches, read from the first page: only with `trackTotalHits`. */
  total?: number;
}

export interface ScanOptions {
  /** An index, alias, pattern or several: whatever a search or point in time accepts. */
  index: string | string[];
  /** Default: every document. */
  query?: estypes.QueryDslQueryContainer;
  /**
   * The order of the walk. Within a point in time `_shard_doc` is appended as
   * the tiebreak (and is the whole sort by default: the cheapest order).
   * Without one, the sort must be unique per document, or documents that tie
   * on a page boundary are skipped.
   */
  sort?: estypes.Sort;
  _source?: estypes.SearchSourceConfig;
  /** Documents per page. Default 1,000. */
  size?: number;
  /** How long the point in time lives between two pages. Default `1m`. */
  keepAlive?: string;
  /**
   * Walk one view frozen when the walk starts (default: true). Without one,
   * each page reads the index as it is then, which a walk needs when its
   * cursor outlives the walk (a client's next page) or when two more round
   * trips per walk are too dear on a hot path: say why at the caller.
   */
  pointInTime?: boolean;
  /** Start after these sort values (a cursor of an earlier walk with the same sort). */
  searchAfter?: estypes.SortResults;
  /** Count the matches exactly on the first page, for `onProgress`'s `total`. Default false. */
  trackTotalHits?: boolean;
  /** Hand out each hit's `_version` (a copy that keeps external versions). */
  version?: boolean;
  /** Missing indices match nothing instead of failing the walk. */
  ignoreUnavailable?: boolean;
  /** Aborts the request in flight and ends the walk with the signal's reason. */
  signal?: AbortSignal;
  /** After the consumer has handled a page (when it asks for the next, or the walk ends). */
  onProgress?: (progress: ScanProgress) => void;
}

function isShardDoc(sort: estypes.SortCombinations): boolean {
  return sort === '_shard_doc' || (typeof sort === 'object' && '_shard_doc' in sort);
}

function totalOf(total: estypes.SearchHitsMetadata['total']): number | undefined {
  if (typeof total === 'number') return total;
  return total?.relation === 'eq' ? total.value : undefined;
}

/**
 * Every document `query` matches, as pages of hits in `sort` order. The walk
 * ends after a page shorter than `size` (no empty page is handed out). A point
 * in time it opened is closed in every case: at the end, when the consumer
 * leaves the loop (`break`, `return`, a thrown error) and on abort.
 */
export async function* scan<TDocument = unknown>(
  es: Client,
  options: ScanOptions,
): AsyncGenerator<estypes.SearchHit<TDocument>[], void, undefined> {
  const size = options.size ?? 1_000;
  const keepAlive = options.keepAlive ?? '1m';
  const usePit = options.pointInTime ?? true;
  const { signal } = options;
  const transport = signal ? { signal } : undefined;
  const given: estypes.SortCombinations[] =
    options.sort === undefined ? [] : Array.isArray(options.sort) ? options.sort : [options.sort];
  if (!usePit && given.length === 0)
    throw new Error('scan without a point in time needs a sort that is unique per document');
  const sort =
    usePit && !given.some(isShardDoc) ? [...given, { _shard_doc: 'asc' as const }] : given;
  signal?.throwIfAborted();
  // Opened without the signal: a point in time opened by an aborted request would be left to expire unclosed.
  let pitId = usePit
    ? (
        await es.openPointInTime({
          index: options.index,
          keep_alive: keepAlive,
          ...(options.ignoreUnavailable ? { ignore_unavailable: true } : {}),
        })
      ).id
    : undefined;
  try {
    let after = options.searchAfter;
    let seen = 0;
    let total: number | undefined;
    for (let first = true; ; first = false) {
      signal?.throwIfAborted();
      const request: estypes.SearchRequest = {
        ...(pitId
          ? { pit: { id: pitId, keep_alive: keepAlive } }
          : {
              index: options.index,
              ...(options.ignoreUnavailable ? { ignore_unavailable: true } : {}),
            }),
        size,
        ...(options.query ? { query: options.query } : {}),
        ...(options._source !== undefined ? { _source: options._source } : {}),
        ...(options.version ? { version: true } : {}),
        sort,
        search_after: after,
        track_total_hits: first && options.trackTotalHits === true,
      };
      let page: estypes.SearchResponse<TDocument>;
      try {
        page = await es.search<TDocument>(request, transport);
      } catch (error) {
        // An aborted request fails with the client's own error: the walk ends with the signal's reason instead.
        signal?.throwIfAborted();
        throw error;
      }
      // Elasticsearch may hand out a new id for the same point in time: the latest is the one to use and close.
      if (pitId && page.pit_id) pitId = page.pit_id;
      if (first && options.trackTotalHits) total = totalOf(page.hits.total);
      const hits = page.hits.hits;
      if (hits.length === 0) return;
      yield hits;
      seen += hits.length;
      options.onProgress?.({ seen, total });
      if (hits.length < size) return;
      after = hits[hits.length - 1].sort;
    }
  } finally {
    if (pitId) await es.closePointInTime({ id: pitId }).catch(() => {});
  }
}

export interface CompositeOptions {
  index: string | string[];
  query?: estypes.QueryDslQueryContainer;
  /** A composite aggregation (with its sub-aggregations); its `after` is set page by page. */
  aggregation: estypes.AggregationsAggregationContainer;
  signal?: AbortSignal;
}

/** A composite bucket as Elasticsearch answers it; sub-aggregations beside `key` and `doc_count`. */
export interface CompositeBucket {
  key: estypes.AggregationsCompositeAggregateKey;
  doc_count: number;
}

/**
 * Every bucket of a composite aggregation, as pages of buckets in key order
 * (`aggregation.composite.size` per page). Each page is a search of its own,
 * so there is nothing to close; the walk ends on an empty page or when
 * Elasticsearch names no key to continue after.
 */
export async function* compositeBuckets<TBucket extends CompositeBucket = CompositeBucket>(
  es: Client,
  options: CompositeOptions,
): AsyncGenerator<TBucket[], void, undefined> {
  const { composite } = options.aggregation;
  if (!composite) throw new Error('compositeBuckets walks a composite aggregation only');
  const transport = options.signal ? { signal: options.signal } : undefined;
  let after = composite.after;
  for (;;) {
    options.signal?.throwIfAborted();
    const answer = await es.search(
      {
        index: options.index,
        size: 0,
        track_total_hits: false,
        ...(options.query ? { query: options.query } : {}),
        aggs: {
          walk: {
            ...options.aggregation,
            composite: { ...composite, ...(after ? { after } : {}) },
          },
        },
      },
      transport,
    );
    const agg = answer.aggregations?.walk as
      { buckets: TBucket[]; after_key?: estypes.AggregationsCompositeAggregateKey } | undefined;
    const buckets = agg?.buckets ?? [];
    if (buckets.length === 0) return;
    yield buckets;
    after = agg?.after_key;
    if (!after) return;
  }
}
