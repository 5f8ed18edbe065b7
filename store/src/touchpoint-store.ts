/**
 * Every Elasticsearch read and write of touchpoints done by the indexers.
 *
 * Writes use the source's version as an external version (`external_gte`):
 * the same record sent twice overwrites itself, a lower version is refused by
 * Elasticsearch itself (409) and ignored — no read-modify-write race between
 * workers. Without a version, the record's `occurredAt` (ms) is the version, so
 * the later record wins, as the contract says.
 */
import {
  MAX_DOCUMENT_ID_BYTES,
  MAX_EXTERNAL_VERSION,
  type StoredTouchpoint,
} from '../../domain/src/contract';
import type { DeadLetterReason } from '../../infra/src/dead-letters';
import { touchpointFacts } from '../../domain/src/analytics/touchpoint-facts';
import type { IndexContext, StoreContext } from './context';
import { markRollupHours } from '../../infra/src/rollup-hours';
import { scan } from '../../infra/src/scan';
import { storedTimesOf } from './touchpoint-days';
import { elasticsearchErrorType, SafeError } from '../../infra/src/safe-error';

export function externalVersion(tp: Pick<StoredTouchpoint, 'version' | 'occurredAt'>): number {
  return tp.version ?? Date.parse(tp.occurredAt);
}

export interface WriteResult {
  written: StoredTouchpoint[];
  /** Records refused because a newer version is stored. */
  stale: StoredTouchpoint[];
  /** Records Elasticsearch can never store (the caller sets them aside as dead letters); retrying cannot help them. */
  rejected: { touchpoint: StoredTouchpoint; reason: DeadLetterReason; detail: string }[];
}

/**
 * `replacedTimes`: the `occurredAt` of the stored versions of these records, when the caller read them already (storedTimesOf).
 *
 * One record's failure is its own: a document id or version Elasticsearch
 * would refuse (it refuses the whole bulk request for one of them) is kept out
 * of the request, a document it refuses with 400 (mapping, parsing, an
 * over-long term) is returned in `rejected`; failures that may pass (429,
 * 5xx, an index not there yet) throw, so the job is retried.
 *
 * When Elasticsearch refuses every document, the fault is more likely the
 * index's than theirs (an alias pointing at a wrong index, a broken
 * migration), and a dead letter keeps no data to replay: that throws too,
 * unless `rejectAll` (the caller's last tries) says to set them aside anyway.
 */
export async function writeTouchpoints(
  ctx: StoreContext,
  touchpoints: StoredTouchpoint[],
  options: { replacedTimes?: string[]; rejectAll?: boolean } = {},
): Promise<WriteResult> {
  const rejected: WriteResult['rejected'] = [];
  const storable = touchpoints.filter((tp) => {
    const problem = unstorable(tp);
    if (problem) rejected.push({ touchpoint: tp, ...problem });
    return !problem;
  });
  if (storable.length === 0) return { written: [], stale: [], rejected };
  const operations = storable.flatMap((tp) => [
    {
      index: {
        _index: ctx.names.touchpoints,
        _id: tp.key,
        version: externalVersion(tp),
        version_type: 'external_gte' as const,
      },
    },
    // Indexed dashboard figures beside the unindexed `data` (domain/src/analytics/touchpoint-facts.ts).
    { ...tp, facts: touchpointFacts(tp) },
  ]);
  // Rollups: the days of the new versions and of those they replace are recomputed.
  const replaced =
    options.replacedTimes ??
    (await storedTimesOf(
      ctx.es,
      ctx.names.touchpoints,
      storable.map((tp) => tp.key),
    ));
  const result = await ctx.es.bulk({ operations });
  const written: StoredTouchpoint[] = [];
  const stale: StoredTouchpoint[] = [];
  let retryable: { index: number; type: string } | undefined;
  const rejectedBefore = rejected.length;
  result.items.forEach((item, i) => {
    const op = item.index;
    // The key and Elasticsearch's reason may quote the record (a mapping failure previews the value): position and type only.
    const type = elasticsearchErrorType(op?.error);
    if (!op?.error) written.push(storable[i]);
    else if (op.status === 409) stale.push(storable[i]);
    else if (op.status === 400)
      rejected.push({ touchpoint: storable[i], reason: 'rejected_by_elasticsearch', detail: type });
    else retryable ??= { index: i, type };
  });
  if (!retryable && !options.rejectAll && rejected.length - rejectedBefore === storable.length) {
    retryable = { index: 0, type: elasticsearchErrorType(result.items[0]?.index?.error) };
  }
  // Written ones count for the rollups even when the job is retried for the others (writing them again is a no-op).
  await markRollupHours(ctx.redis, ctx.queues, [
    ...written.map((tp) => tp.occurredAt),
    ...replaced,
  ]);
  if (retryable)
    throw new SafeError(
      'store_failed',
      `storing touchpoint ${retryable.index + 1} of ${storable.length} failed: ${retryable.type}`,
    );
  return { written, stale, rejected };
}

/** What Elasticsearch would refuse for the whole bulk request, checked before sending it. */
function unstorable(
  tp: StoredTouchpoint,
): { reason: DeadLetterReason; detail: string } | undefined {
  if (new TextEncoder().encode(tp.key).length > MAX_DOCUMENT_ID_BYTES)
    return { reason: 'id_too_long', detail: 'key' };
  const version = externalVersion(tp);
  if (!Number.isSafeInteger(version) || version < 0 || version > MAX_EXTERNAL_VERSION)
    return { reason: 'invalid_version', detail: tp.version == null ? 'occurredAt' : 'version' };
  return undefined;
}

/** All touchpoints (deleted ones included) of the given customers, grouped by customer. */
export async function readTouchpointsOf(
  ctx: IndexContext,
  customerIds: string[],
): Promise<Map<string, StoredTouchpoint[]>> {
  const byCustomer = new Map<string, StoredTouchpoint[]>();
  for await (const hits of scan<StoredTouchpoint>(ctx.es, {
    index: ctx.names.touchpoints,
    size: 5_000,
    query: { terms: { customerId: customerIds } },
    sort: [{ customerId: 'asc' }, { key: 'asc' }],
    // Every rebuild batch reads here, most in one page, just after a refresh: a point in time
    // would cost two more round trips on the path from ingest to a searchable profile. The sort
    // is unique (a key is one touchpoint), so pages neither overlap nor leave gaps.
    pointInTime: false,
  })) {
    for (const hit of hits) {
      const tp = hit._source;
      if (!tp) continue;
      const list = byCustomer.get(tp.customerId) ?? [];
      list.push(tp);
      byCustomer.set(tp.customerId, list);
    }
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
  ctx: IndexContext,
  from: string,
  to: string,
  {
    refreshBefore = true,
    refreshAfter = true,
  }: { refreshBefore?: boolean; refreshAfter?: boolean } = {},
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
      {
        index: {
          _index: ctx.names.touchpoints,
          _id: hit._id,
          version: hit._version,
          version_type: 'external_gte' as const,
        },
      },
      { ...hit._source, customerId: to },
    ]);
    const result = await ctx.es.bulk({ operations });
    moved += result.items.filter((item) => !item.index?.error).length;
    const failed = result.items.find((item) => item.index?.error && item.index.status !== 409);
    if (failed)
      throw new SafeError(
        'move_failed',
        `moving touchpoints of ${from} failed: ${elasticsearchErrorType(failed.index?.error)}`,
      );
    // 409: a newer version arrived meanwhile; it was resolved on its own and the loop sees it again if it still points to `from`.
    if (hits.length < 2_000 && result.items.every((item) => !item.index?.error)) break;
    await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  }
  if (refreshAfter && moved > 0) await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  return moved;
}
