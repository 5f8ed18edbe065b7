/**
 * The rebuild loops of one indexer process: claim batches of dirty customers
 * (store/src/dirty-set.ts), rebuild them, release them. Several loops, in one or
 * many processes, share the work safely.
 *
 * Freshness (bench:freshness) shaped the order of work in a round:
 * - idle loops wait for a wake-up published by `markDirty` (pub/sub), with a
 *   poll as the safety net, instead of polling every 50 ms;
 * - the claim size follows the backlog: `ceil(waiting / loops)` within
 *   [`minBatch`, `batchSize`], so a few dirty customers are rebuilt at once in
 *   small batches side by side, a backlog in full batches;
 * - the touchpoints and identity links (the read searches both, and the
 *   personal-data export reads links by search once a batch is released) are
 *   made searchable by one refresh shared by all loops of the process
 *   (shared-refresh.ts), not one per loop and batch;
 * - profiles are written without waiting for a refresh (a real-time `GET`
 *   sees them at once); then one shared explicit refresh of the customers
 *   index makes them searchable, instead of `refresh=wait_for` waiting for the
 *   next scheduled one (up to 1 s);
 * - the segment evaluation and the release run behind the next claim (at most
 *   one such tail per loop), so they never delay a profile write.
 * A batch is released only after its profiles are searchable and its
 * segments evaluated, so `GET /ingest/status` 0/0 still means "searchable"; a
 * failed round leaves its lease to expire and the batch is retried.
 */
import type { Redis } from 'ioredis';
import type { IndexerContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { claimDirty, dirtyWakeChannel, releaseDirty } from '../../../store/src/dirty-set';
import {
  settleProfiles,
  writeProfiles,
  type RebuildTimings,
} from '../../../store/src/profiles/rebuild-customers';
import { SharedRefresh } from './shared-refresh';
import { profilesRebuiltChannel } from '../../../infra/src/live-names';

/** The sizes come from the indexer's configuration (PANORAMA_REBUILD_*, config.ts). */
export interface RebuildLoopOptions {
  /** Most customers per batch. */
  batchSize: number;
  /** Fewest customers per batch while at least that many wait. */
  minBatch: number;
  /** Parallel loops in this process. */
  concurrency: number;
  /** Longest pause when nothing is dirty and no wake-up comes (ms). Default 500. */
  idleMs?: number;
  onBatch?: (rebuilt: number, ms: number, timings: RebuildBatchTimings) => void;
}

/** One batch end to end (ms), for `onBatch` and `observe`. */
export interface RebuildBatchTimings extends RebuildTimings {
  customers: number;
  /** How long the longest-waiting customer of the batch was dirty before the claim. */
  waitedMs: number;
  claimMs: number;
  /** Write to searchable: the shared refresh of the customers index. */
  visibleMs: number;
  segmentsMs: number;
  releaseMs: number;
  /** Dirty (marked) until searchable, for the longest-waiting customer. */
  dirtyToVisibleMs: number;
}

export interface RebuildLoop {
  /** Calls `listener` after every released batch; returns the unsubscribe. */
  observe(listener: (timings: RebuildBatchTimings) => void): () => void;
  /** Explicit refreshes sent so far, per index. */
  refreshes(): { touchpoints: number; customers: number };
  close(): Promise<void>;
}

export function startRebuildLoop(ctx: IndexerContext, options: RebuildLoopOptions): RebuildLoop {
  const { batchSize, concurrency } = options;
  const minBatch = Math.min(options.minBatch, batchSize);
  const idleMs = options.idleMs ?? 500;
  const touchpointRefresh = new SharedRefresh(ctx.es, [
    ctx.names.touchpoints,
    ctx.names.identities,
  ]);
  const customerRefresh = new SharedRefresh(ctx.es, ctx.names.customers);
  const listeners = new Set<(timings: RebuildBatchTimings) => void>();
  if (options.onBatch) {
    const onBatch = options.onBatch;
    listeners.add((t) =>
      onBatch(
        t.customers,
        t.claimMs +
          t.redirectsMs +
          t.refreshTouchpointsMs +
          t.readMs +
          t.foldMs +
          t.writeMs +
          t.visibleMs +
          t.segmentsMs +
          t.releaseMs,
        t,
      ),
    );
  }
  let stopping = false;

  // Idle loops sleep until markDirty publishes (or idleMs passes: the poll is the safety net, e.g. while Redis reconnects).
  const sleepers = new Set<() => void>();
  // Counts wake-ups, so one that arrives while a loop's claim is on its way is not lost.
  let wakeups = 0;
  const wakeAll = () => {
    wakeups++;
    for (const wake of [...sleepers]) wake();
  };
  const subscriber: Redis = ctx.redis.duplicate();
  subscriber.on('message', wakeAll);
  subscriber.on('error', () => {}); // reconnects by itself; until then the loops poll
  subscriber.subscribe(dirtyWakeChannel(ctx.queues.dirty)).catch(() => {});
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function loop(): Promise<void> {
    let tail: Promise<void> = Promise.resolve();
    while (!stopping) {
      try {
        const claimStarted = performance.now();
        const seen = wakeups;
        const claim = await claimDirty(ctx.redis, ctx.queues.dirty, batchSize, {
          spread: concurrency,
          least: minBatch,
        });
        if (claim.ids.length === 0) {
          // Marked while the empty claim was on its way: claim again at once.
          if (wakeups === seen) await idle(idleMs);
          continue;
        }
        const claimMs = Math.round(performance.now() - claimStarted);
        // The claim came after the writes that marked these customers: a refresh started after it sees them.
        const batch = await writeProfiles(ctx, claim.ids, claim.version, {
          refresh: false,
          refreshTouchpoints: () => touchpointRefresh.after(claimStarted),
        });
        const written = performance.now();
        // One tail per loop at a time: the next claim overlaps this one's segments and release, no more.
        await tail;
        tail = (async () => {
          await customerRefresh.after(written);
          const visible = performance.now();
          await settleProfiles(ctx, batch);
          const settled = performance.now();
          await releaseDirty(ctx.redis, ctx.queues.dirty, claim);
          await ctx.redis.set(ctx.queues.lastIndexedAt, new Date().toISOString());
          // Live dashboards listen here; only a count, never customer data.
          await ctx.redis.publish(profilesRebuiltChannel(ctx.queues), String(claim.ids.length));
          const timings: RebuildBatchTimings = {
            customers: claim.ids.length,
            waitedMs: claim.waitedMs ?? 0,
            claimMs,
            ...batch.timings,
            visibleMs: Math.round(visible - written),
            segmentsMs: Math.round(settled - visible),
            releaseMs: Math.round(performance.now() - settled),
            dirtyToVisibleMs: Math.round((claim.waitedMs ?? 0) + (visible - claimStarted)),
          };
          for (const listener of listeners) listener(timings);
        })().catch(async (error: unknown) => {
          // The lease expires and another round retries the batch: nothing is lost.
          ctx.log('rebuild failed, will retry', failureFields(error));
          await sleep(1_000);
        });
      } catch (error) {
        ctx.log('rebuild failed, will retry', failureFields(error));
        await sleep(1_000);
      }
    }
    await tail;
  }

  const loops = Array.from({ length: concurrency }, () => loop());
  return {
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refreshes: () => ({ touchpoints: touchpointRefresh.count, customers: customerRefresh.count }),
    async close() {
      stopping = true;
      wakeAll();
      await Promise.all(loops);
      await subscriber.quit().catch(() => {});
    },
  };
}
