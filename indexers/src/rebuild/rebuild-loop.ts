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
 * A batch is released only after its profiles are searchable, its
 * segments evaluated and its customers handed to matching, so `GET /ingest/status` 0/0 still means "searchable"; a
 * failed round leaves its lease to expire and the batch is retried.
 */
import { dirtyWakeUps } from '../dirty-wake-ups';
import type { IndexerContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { claimDirty, markDirty, releaseDirty } from '../../../store/src/dirty-set';
import { settleProfiles, writeProfiles } from '../../../store/src/profiles/rebuild-customers';
import { SharedRefresh } from './shared-refresh';
import { profilesRebuiltChannel } from '../../../infra/src/live-names';
import { untimedSteps, type StepTimers } from '../../../infra/src/step-timer';

/** The sizes come from the indexer's configuration (PANORAMA_REBUILD_*, config.ts). */
export interface RebuildLoopOptions {
  /** Most customers per batch. */
  batchSize: number;
  /** Fewest customers per batch while at least that many wait. */
  minBatch: number;
  /** Parallel loops in this process. */
  concurrency: number;
  /** Hands every rebuilt customer to probabilistic matching (the match set, matching/match-loop.ts). Default false. */
  matchAfter?: boolean;
  /** Longest pause when nothing is dirty and no wake-up comes (ms). Default 500. */
  idleMs?: number;
  /**
   * Times every released batch end to end, for `bench:freshness` (default:
   * untimed). Notes `customers` and `waitedMs` (how long the longest-waiting
   * customer was dirty before the claim); steps `claimMs`, then those of
   * writeProfiles (rebuild-customers.ts), then `visibleMs` (write to
   * searchable: the shared refresh of the customers index), `segmentsMs`,
   * `releaseMs`; notes `dirtyToVisibleMs` (marked until searchable, for the
   * longest-waiting customer).
   */
  stepTimers?: StepTimers;
}

export interface RebuildLoop {
  /** Explicit refreshes sent so far, per index. */
  refreshes(): { touchpoints: number; customers: number };
  close(): Promise<void>;
}

export function startRebuildLoop(ctx: IndexerContext, options: RebuildLoopOptions): RebuildLoop {
  const { batchSize, concurrency } = options;
  const minBatch = Math.min(options.minBatch, batchSize);
  const idleMs = options.idleMs ?? 500;
  const stepTimers = options.stepTimers ?? untimedSteps;
  const touchpointRefresh = new SharedRefresh(ctx.es, [
    ctx.names.touchpoints,
    ctx.names.identities,
  ]);
  const customerRefresh = new SharedRefresh(ctx.es, ctx.names.customers);
  let stopping = false;

  const wake = dirtyWakeUps(ctx.redis, [ctx.queues.dirty]);
  const idle = wake.idle;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function loop(): Promise<void> {
    let tail: Promise<void> = Promise.resolve();
    while (!stopping) {
      try {
        const claimStarted = performance.now();
        const steps = stepTimers();
        const seen = wake.wakeups;
        const claim = await claimDirty(ctx.redis, ctx.queues.dirty, batchSize, {
          spread: concurrency,
          least: minBatch,
        });
        if (claim.ids.length === 0) {
          // Marked while the empty claim was on its way: claim again at once.
          if (wake.wakeups === seen) await idle(idleMs);
          continue;
        }
        steps.note('customers', claim.ids.length);
        steps.note('waitedMs', claim.waitedMs ?? 0);
        steps.lap('claimMs');
        // The claim came after the writes that marked these customers: a refresh started after it sees them.
        const batch = await writeProfiles(ctx, claim.ids, claim.version, {
          refresh: false,
          refreshTouchpoints: () => touchpointRefresh.after(claimStarted),
          steps,
        });
        const written = performance.now();
        // One tail per loop at a time: the next claim overlaps this one's segments and release, no more.
        await tail;
        tail = (async () => {
          await customerRefresh.after(written);
          steps.lap('visibleMs');
          steps.note('dirtyToVisibleMs', (claim.waitedMs ?? 0) + performance.now() - claimStarted);
          await settleProfiles(ctx, batch);
          steps.lap('segmentsMs');
          // Before the release, so `GET /ingest/status` never reads 0/0 between the rebuild and the matching.
          if (options.matchAfter) await markDirty(ctx.redis, ctx.queues.matchDirty, claim.ids);
          await releaseDirty(ctx.redis, ctx.queues.dirty, claim);
          await ctx.redis.set(ctx.queues.lastIndexedAt, new Date().toISOString());
          // Live dashboards listen here; only a count, never customer data.
          await ctx.redis.publish(profilesRebuiltChannel(ctx.queues), String(claim.ids.length));
          steps.lap('releaseMs');
          steps.end();
        })().catch(async (error: unknown) => {
          // The lease expires and another round retries the batch: nothing is lost.
          ctx.log('rebuild failed, will retry', failureFields(error), 'warn');
          await sleep(1_000);
        });
      } catch (error) {
        ctx.log('rebuild failed, will retry', failureFields(error), 'warn');
        await sleep(1_000);
      }
    }
    await tail;
  }

  const loops = Array.from({ length: concurrency }, () => loop());
  return {
    refreshes: () => ({ touchpoints: touchpointRefresh.count, customers: customerRefresh.count }),
    async close() {
      stopping = true;
      wake.wakeAll();
      await Promise.all(loops);
      await wake.close();
    },
  };
}
