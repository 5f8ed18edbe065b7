/**
 * Rebuild every profile in place: when the fold's rules change (a consent
 * rule, a KPI), stored profiles only pick the change up on their next
 * rebuild. This marks every live customer (every profile behind the
 * customers alias) dirty, in batches, in the same Redis sorted set the
 * ingest marks (dirty-set.ts). The running indexers then rebuild them as
 * they rebuild any customer: leased batches, external versions from Redis'
 * clock, `refresh=wait_for`, saved segments evaluated again. Nothing is
 * folded here, so it is safe beside live ingest and across several indexers,
 * and a second run while one is draining only keeps the earlier marks.
 *
 * Used by `npm run profiles:rebuild` (scripts/rebuild-profiles.ts) and
 * `POST /api/v1/admin/profiles/rebuild`. A mapping change goes through
 * `npm run mappings:apply` instead (rebuild-all.ts builds a new index).
 *
 * While the backlog drains, a change to a customer who was already rebuilt
 * queues behind it: run it when the indexers may spend a while on it.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { IndexNames, QueueNames } from '../../../infra/src/names';
import { scan } from '../../../infra/src/scan';
import { countDirty, markDirty } from '../dirty-set';

export interface RebuildStores {
  es: Client;
  redis: Redis;
  names: Pick<IndexNames, 'customers'>;
  queues: Pick<QueueNames, 'dirty'>;
}

export interface MarkEveryProfileOptions {
  /** Customers read and marked per round trip. Default 2,000. */
  batchSize?: number;
  /** After every batch: how many are marked so far, of about how many profiles. */
  onProgress?: (marked: number, total: number) => void;
}

/** Marks every profile's customer dirty; returns how many were marked. */
export async function markEveryProfileDirty(
  stores: RebuildStores,
  { batchSize = 2_000, onProgress }: MarkEveryProfileOptions = {},
): Promise<number> {
  const { es, redis, names, queues } = stores;
  // Profiles written by the indexers a moment ago count too.
  await es.indices.refresh({ index: names.customers });
  const { count: total } = await es.count({ index: names.customers });
  onProgress?.(0, total);
  // A point in time walks one consistent view, however many profiles are written meanwhile.
  let marked = 0;
  for await (const hits of scan(es, {
    index: names.customers,
    size: batchSize,
    _source: false,
    keepAlive: '2m',
  })) {
    const ids = hits.map((h) => h._id).filter((id): id is string => Boolean(id));
    await markDirty(redis, queues.dirty, ids);
    marked += ids.length;
    onProgress?.(marked, Math.max(total, marked));
  }
  return marked;
}

/** Customers still to rebuild: waiting in the dirty set or leased by a rebuild loop. */
export async function profilesToRebuild(
  redis: Redis,
  queues: Pick<QueueNames, 'dirty'>,
): Promise<number> {
  const { waiting, active } = await countDirty(redis, queues.dirty);
  return waiting + active;
}

export interface WaitOptions {
  /** Between two looks at the dirty set. Default 500 ms. */
  pollMs?: number;
  /** Give up (throw) after this long. Default: wait as long as the backlog shrinks (see `stallMs`). */
  timeoutMs?: number;
  /** Give up when the backlog has not shrunk for this long: no indexer runs. Default 5 minutes. */
  stallMs?: number;
  /** After every look: how many profiles are still to rebuild. */
  onProgress?: (pending: number) => void;
}

/** Waits until the dirty set is drained (every marked profile rebuilt and searchable). */
export async function waitUntilRebuilt(
  redis: Redis,
  queues: Pick<QueueNames, 'dirty'>,
  { pollMs = 500, timeoutMs, stallMs = 300_000, onProgress }: WaitOptions = {},
): Promise<void> {
  const started = Date.now();
  let lowest = Infinity;
  let lastProgress = Date.now();
  for (;;) {
    const pending = await profilesToRebuild(redis, queues);
    onProgress?.(pending);
    if (pending === 0) return;
    if (pending < lowest) {
      lowest = pending;
      lastProgress = Date.now();
    }
    if (timeoutMs !== undefined && Date.now() - started > timeoutMs) {
      throw new Error(
        `${pending} profiles were still to rebuild after ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    if (Date.now() - lastProgress > stallMs) {
      throw new Error(
        `${pending} profiles to rebuild and none rebuilt for ${Math.round(stallMs / 1000)} s: is an indexer running against this Redis and queue prefix?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
