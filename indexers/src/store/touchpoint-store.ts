/**
 * Every Elasticsearch read and write of touchpoints done by the indexers.
 *
 * Writes use the source's version as an external version (`external_gte`):
 * the same record sent twice overwrites itself, a lower version is refused by
 * Elasticsearch itself (409) and ignored — no read-modify-write race between
 * workers. Without a version, the record's `occurredAt` (ms) is the version, so
 * the later record wins, as the contract says.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import { touchpointFacts } from '../../../domain/src/analytics/touchpoint-facts';
import type { IndexerContext } from '../context';
import { markRollupHours } from '../../../infra/src/rollup-hours';
import { storedTimesOf } from '../rollups/touchpoint-days';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

export function externalVersion(tp: Pick<StoredTouchpoint, 'version' | 'occurredAt'>): number {
  return tp.version ?? Date.parse(tp.occurredAt);
}

export interface WriteResult {
  written: StoredTouchpoint[];
  /** Records refused because a newer version is stored. */
  stale: StoredTouchpoint[];
}

/** `replacedTimes`: the `occurredAt` of the stored versions of these records, when the caller read them already (storedTimesOf). */
export async function writeTouchpoints(ctx: IndexerContext, touchpoints: StoredTouchpoint[], options: { replacedTimes?: string[] } = {}): Promise<WriteResult> {
  if (touchpoints.length === 0) return { written: [], stale: [] };
  const operations = touchpoints.flatMap((tp) => [
    {
      index: {
        _index: ctx.names.touchpoints,
        _id: tp.key,
        version: externalVersion(tp),
        version_type: 'external_gte' as const,
      },
    },
    // Indexed dashboard figures beside the unindexed `data` (issue 5, domain/src/analytics/touchpoint-facts.ts).
    { ...tp, facts: touchpointFacts(tp) },
  ]);
  // Rollups (issue 5): the days of the new versions and of those they replace are recomputed.
  const replaced = options.replacedTimes ?? (await storedTimesOf(ctx.es, ctx.names.touchpoints, touchpoints.map((tp) => tp.key)));
  const result = await ctx.es.bulk({ operations });
  const written: StoredTouchpoint[] = [];
  const stale: StoredTouchpoint[] = [];
  result.items.forEach((item, i) => {
    const op = item.index;
    if (!op?.error) written.push(touchpoints[i]);
    else if (op.status === 409) stale.push(touchpoints[i]);
    // The key and Elasticsearch's reason may quote the record (a mapping failure previews the value): position and type only.
    else throw new SafeError('store_failed', `storing touchpoint ${i + 1} of ${touchpoints.length} failed: ${elasticsearchErrorType(op.error)}`);
  });
  await markRollupHours(ctx.redis, ctx.queues, [...written.map((tp) => tp.occurredAt), ...replaced]);
  return { written, stale };
}

/** All touchpoints (deleted ones included) of the given customers, grouped by customer. */
export async function readTouchpointsOf(
  ctx: IndexerContext,
  customerIds: string[],
): Promise<Map<string, StoredTouchpoint[]>> {
  const byCustomer = new Map<string, StoredTouchpoint[]>();
  let after: estypes.SortResults | undefined;
  for (;;) {
    const page = await ctx.es.search<StoredTouchpoint>({
      index: ctx.names.touchpoints,
      size: 5_000,
      query: { terms: { customerId: customerIds } },
      sort: [{ customerId: 'asc' }, { key: 'asc' }],
      search_after: after,
      track_total_hits: false,
    });
    const hits = page.hits.hits;
    for (const hit of hits) {
      const tp = hit._source;
      if (!tp) continue;
      const list = byCustomer.get(tp.customerId) ?? [];
      list.push(tp);
      byCustomer.set(tp.customerId, list);
    }
    if (hits.length < 5_000) break;
    after = hits[hits.length - 1].sort;
  }
  return byCustomer;
}

/**
 * Moves every touchpoint of `from` to customer `to` (after a merge), keeping
 * each record's external version so later versions still win. Returns how
 * many moved.
 *
 * Refreshes are the scarce resource of a busy node (one refresh thread,
 * shared with every index): one before the search, another only when a
 * second page or a conflict needs a fresh look, one after only with
 * `refreshAfter`. The rebuild, which has just refreshed, passes false for
 * both: it marks `to` dirty, and that rebuild makes the moved touchpoints
 * searchable (a refresh after its claim) before it is released.
 */
export async function moveTouchpoints(
  ctx: IndexerContext,
  from: string,
  to: string,
  { refreshBefore = true, refreshAfter = true }: { refreshBefore?: boolean; refreshAfter?: boolean } = {},
): Promise<number> {
  if (refreshBefore) await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  let moved = 0;
  for (;;) {
    const page = await ctx.es.search<StoredTouchpoint>({
      index: ctx.names.touchpoints,
      size: 2_000,
      version: true,
      query: { term: { customerId: from } },
      track_total_hits: false,
    });
    const hits = page.hits.hits;
    if (hits.length === 0) break;
    const operations = hits.flatMap((hit) => [
      { index: { _index: ctx.names.touchpoints, _id: hit._id, version: hit._version, version_type: 'external_gte' as const } },
      { ...hit._source, customerId: to },
    ]);
    const result = await ctx.es.bulk({ operations });
    moved += result.items.filter((item) => !item.index?.error).length;
    const failed = result.items.find((item) => item.index?.error && item.index.status !== 409);
    if (failed) throw new SafeError('move_failed', `moving touchpoints of ${from} failed: ${elasticsearchErrorType(failed.index?.error)}`);
    // 409: a newer version arrived meanwhile; it was resolved on its own and the loop sees it again if it still points to `from`.
    if (hits.length < 2_000 && result.items.every((item) => !item.index?.error)) break;
    await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  }
  if (refreshAfter && moved > 0) await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  return moved;
}
