/**
 * Recomputes the rollups of one day from its touchpoints (one composite
 * aggregation over a day: cheap), and the rebuild of every day when the
 * rollup index is created or migrated (mappings/apply.ts) or a benchmark
 * loaded touchpoints around the ingest path.
 *
 * Document ids are deterministic (day, hour, dimensions), so writing a day
 * again overwrites it; documents of combinations that no longer occur are
 * deleted. No delete-by-query on the embedded core: the day's ids are paged
 * by their `key`.
 */
import type { Client } from '@elastic/elasticsearch';
import {
  rollupAggregation,
  rollupDocsOfDay,
  rollupSourceQuery,
  type RollupBucket,
  type RollupDoc,
} from '../../../domain/src/analytics/touchpoint-rollups';
import type { IndexNames } from '../../../infra/src/names';
import { compositeBuckets, scan } from '../../../infra/src/scan';

export interface RollupStores {
  es: Client;
  names: Pick<IndexNames, 'touchpoints' | 'touchpointRollups'>;
}

export interface DayRollup {
  day: string;
  /** Touchpoints counted. */
  touchpoints: number;
  /** Rollup documents written (hours and the day). */
  documents: number;
  /** Documents of combinations that no longer occur, deleted. */
  removed: number;
}

/**
 * Reads the day from the touchpoints and replaces its rollups in `intoIndex`
 * (default: the rollup alias). The caller refreshes the touchpoints first when
 * it must see writes of the last second.
 */
export async function recomputeRollupDay(
  stores: RollupStores,
  day: string,
  options: { intoIndex?: string; refresh?: boolean } = {},
): Promise<DayRollup> {
  const index = options.intoIndex ?? stores.names.touchpointRollups;
  const buckets: RollupBucket[] = [];
  for await (const page of compositeBuckets<RollupBucket>(stores.es, {
    index: stores.names.touchpoints,
    query: rollupSourceQuery(day),
    aggregation: rollupAggregation(),
  })) {
    buckets.push(...page);
  }
  const docs = rollupDocsOfDay(day, buckets);
  const existing = await rollupKeysOf(stores.es, index, day);
  const keep = new Set(docs.map((d) => d.key));
  const stale = existing.filter((key) => !keep.has(key));
  await writeRollups(stores.es, index, docs, stale, options.refresh ?? true);
  return {
    day,
    touchpoints: docs.filter((d) => d.granularity === 'day').reduce((n, d) => n + d.count, 0),
    documents: docs.length,
    removed: stale.length,
  };
}

async function rollupKeysOf(es: Client, index: string, day: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const hits of scan<{ key: string }>(es, {
    index,
    size: 5_000,
    query: { term: { day } },
    _source: ['key'],
    sort: [{ key: 'asc' }],
  })) {
    for (const h of hits) if (h._source?.key) keys.push(h._source.key);
  }
  return keys;
}

async function writeRollups(
  es: Client,
  index: string,
  docs: RollupDoc[],
  stale: string[],
  refresh: boolean,
): Promise<void> {
  const actions: object[][] = [
    ...docs.map((doc) => [{ index: { _index: index, _id: doc.key } }, doc]),
    ...stale.map((key) => [{ delete: { _index: index, _id: key } }]),
  ];
  const chunk = 5_000;
  for (let i = 0; i < actions.length; i += chunk) {
    const last = i + chunk >= actions.length;
    const answer = await es.bulk({
      operations: actions.slice(i, i + chunk).flat(),
      refresh: last && refresh ? 'wait_for' : false,
    });
    const failed = answer.items.find(
      (item) => item.index?.error ?? (item.delete?.error && item.delete.status !== 404),
    );
    if (failed)
      throw new Error(
        `writing touchpoint rollups failed: ${(failed.index ?? failed.delete)?.error?.type ?? 'unknown error'}`,
      );
  }
}

/** The UTC days that hold touchpoints, oldest first. */
export async function daysWithTouchpoints(es: Client, touchpointsIndex: string): Promise<string[]> {
  const answer = await es.search({
    index: touchpointsIndex,
    size: 0,
    track_total_hits: false,
    aggs: {
      days: {
        date_histogram: {
          field: 'occurredAt',
          calendar_interval: 'day',
          min_doc_count: 1,
          format: 'yyyy-MM-dd',
        },
      },
    },
  });
  const buckets =
    (answer.aggregations?.days as { buckets: { key_as_string: string }[] } | undefined)?.buckets ??
    [];
  return buckets.map((b) => b.key_as_string);
}

/**
 * Rolls up every day that holds touchpoints into `intoIndex` (`concurrency`
 * days at once). Today and later days are rolled up too: the dashboard reads
 * them from the touchpoints anyway, and they are recomputed once they close.
 */
export async function rebuildAllRollups(
  stores: RollupStores,
  options: { intoIndex?: string; concurrency?: number; onDay?: (rollup: DayRollup) => void } = {},
): Promise<{ days: number; touchpoints: number; documents: number }> {
  await stores.es.indices.refresh({ index: stores.names.touchpoints });
  const days = await daysWithTouchpoints(stores.es, stores.names.touchpoints);
  let next = 0;
  const totals = { days: 0, touchpoints: 0, documents: 0 };
  const worker = async () => {
    while (next < days.length) {
      const day = days[next++];
      const result = await recomputeRollupDay(stores, day, {
        intoIndex: options.intoIndex,
        refresh: false,
      });
      totals.days += 1;
      totals.touchpoints += result.touchpoints;
      totals.documents += result.documents;
      options.onDay?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  await stores.es.indices.refresh({ index: options.intoIndex ?? stores.names.touchpointRollups });
  return totals;
}
