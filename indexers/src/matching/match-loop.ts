/**
 * Probabilistic matching in each indexer process (store/src/matching/):
 *
 * - **match loops** claim batches of customers whose profile was just
 *   rebuilt (the match set `queues.matchDirty`, marked by the rebuild loop)
 *   or that a full pass fed (`queues.matchPass`), match them and release
 *   them — the dirty set's leases, so a batch whose matcher dies is matched
 *   again, and a customer rebuilt meanwhile once more after;
 * - **the pass driver** (one process at a time, by a lease) estimates the
 *   model at the start of a full pass and feeds the customers into the pass
 *   set page by page, from the stored cursor, so a pass resumes wherever an
 *   indexer died;
 * - between passes, a check every minute re-estimates the model when the
 *   number of profiles moved by more than a fifth since the last estimate.
 *
 * Incremental batches go first: a profile that changed is matched within
 * seconds even while a pass over millions runs.
 */
import { dirtyWakeUps } from '../dirty-wake-ups';
import { failureFields } from '../../../infra/src/safe-error';
import { claimDirty, markDirty, releaseDirty, type Claim } from '../../../store/src/dirty-set';
import {
  defaultMinProfiles,
  estimateAndStoreModel,
  needsEstimate,
} from '../../../store/src/matching/estimate-model';
import { matchCustomers, type MatchThresholds } from '../../../store/src/matching/match-customers';
import {
  loadMatchModel,
  type StoredMatchModel,
} from '../../../store/src/matching/match-model-store';
import {
  countPassBatch,
  failMatchRun,
  feedNextPage,
  finishIfDone,
  markRunEstimated,
  passPageSize,
  readMatchRun,
} from '../../../store/src/matching/match-run';
import type { IndexerContext } from '../context';

export interface MatchLoopOptions {
  thresholds: MatchThresholds;
  /** Parallel match loops in this process. */
  concurrency: number;
  /** Most customers per batch. */
  batchSize: number;
  /** Lease of a claimed batch (ms): a batch whose matcher died is matched again after it. Default 120,000. */
  leaseMs?: number;
  /** Lease of the pass driver (ms), renewed while it drives: another takes over this long after it died. Default 15,000. */
  driverLeaseMs?: number;
  /** Fewest profiles to estimate a model from (below, the default model scores). Default 1,000. */
  minProfilesToEstimate?: number;
  /** Longest pause when nothing waits (ms). Default 500. */
  idleMs?: number;
}

/** Loops per process and customers per batch, when the caller leaves them out. */
export const matchLoopDefaults = { concurrency: 2, batchSize: 100 } as const;

export interface MatchLoop {
  close(): Promise<void>;
}

/** How often the model in use is read again (ms): another indexer may have estimated a new one. */
const modelReloadMs = 10_000;
/** How often the profile count is compared with the model's, between passes (ms). */
const estimateCheckMs = 60_000;

export function startMatchLoop(ctx: IndexerContext, options: MatchLoopOptions): MatchLoop {
  const { thresholds, concurrency, batchSize } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const driverLeaseMs = options.driverLeaseMs ?? 15_000;
  const minProfiles = options.minProfilesToEstimate ?? defaultMinProfiles;
  const idleMs = options.idleMs ?? 500;
  const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  let stopping = false;

  let model: { stored: StoredMatchModel; at: number } | null = null;
  const currentModel = async (): Promise<StoredMatchModel> => {
    if (!model || Date.now() - model.at > modelReloadMs)
      model = { stored: await loadMatchModel(ctx), at: Date.now() };
    return model.stored;
  };

  const wake = dirtyWakeUps(ctx.redis, [ctx.queues.matchDirty, ctx.queues.matchPass]);
  const idle = wake.idle;

  const claim = async (key: string): Promise<Claim> =>
    claimDirty(ctx.redis, key, batchSize, { leaseMs, spread: concurrency, least: 10 });

  async function matchLoop(): Promise<void> {
    while (!stopping) {
      try {
        const seen = wake.wakeups;
        let fromPass = false;
        let batch = await claim(ctx.queues.matchDirty);
        if (batch.ids.length === 0) {
          batch = await claim(ctx.queues.matchPass);
          fromPass = true;
        }
        if (batch.ids.length === 0) {
          if (wake.wakeups === seen) await idle(idleMs);
          continue;
        }
        const result = await matchCustomers(ctx, batch.ids, await currentModel(), thresholds);
        // Held by another matcher: matched again once it is done (the lock is short).
        if (result.deferred.length > 0)
          await markDirty(ctx.redis, ctx.queues.matchDirty, result.deferred);
        if (fromPass) {
          await countPassBatch(ctx.redis, ctx.queues, {
            processed: batch.ids.length,
            merged: result.merged,
            proposed: result.proposed,
          });
        }
        await releaseDirty(
          ctx.redis,
          fromPass ? ctx.queues.matchPass : ctx.queues.matchDirty,
          batch,
        );
        if (fromPass) await finishIfDone(ctx.redis, ctx.queues);
      } catch (error) {
        // The lease expires and another round matches the batch again: nothing is lost.
        ctx.log('matching failed, will retry', failureFields(error), 'warn');
        await idle(1_000);
      }
    }
  }

  const driverLease = `${ctx.queues.matchRun}:driver`;
  const holdDriverLease = async (): Promise<boolean> => {
    const held = await ctx.redis.eval(
      `local v = redis.call('GET', KEYS[1])
       if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
       if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
       return 0`,
      1,
      driverLease,
      owner,
      driverLeaseMs,
    );
    return held === 1;
  };

  let lastEstimateCheck = Date.now();
  const estimateLock = `${ctx.queues.matchRun}:estimating`;
  const estimate = async (): Promise<void> => {
    // One estimate at a time across the indexers; the lock outlives a slow one, and a dead one's expires.
    if ((await ctx.redis.set(estimateLock, owner, 'PX', 10 * 60_000, 'NX')) !== 'OK') return;
    try {
      const stored = await estimateAndStoreModel(ctx, { minProfiles });
      if (stored) {
        model = { stored, at: Date.now() };
        ctx.log('matching model estimated', {
          version: stored.model.version,
          profiles: stored.profileCount,
          pairsUsed: stored.model.pairsUsed,
        });
      }
    } finally {
      await ctx.redis.del(estimateLock);
    }
  };

  async function driverLoop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        const run = await readMatchRun(ctx.redis, ctx.queues);
        if (run?.state === 'running') {
          if (!(await holdDriverLease())) {
            await idle(Math.min(driverLeaseMs / 3, 2_000));
            continue;
          }
          if (!run.estimated) {
            // The start of a pass: a model from today's profiles scores it.
            await estimate();
            await markRunEstimated(ctx.redis, ctx.queues, run.id);
          } else if (!run.fed) {
            // Feeds ahead of the match loops, never far: the pass set stays small, the cursor close to the work.
            const waiting = await ctx.redis.zcard(ctx.queues.matchPass);
            if (waiting < 2 * passPageSize) await feedNextPage(ctx, run);
            else await idle(200);
          } else {
            await finishIfDone(ctx.redis, ctx.queues);
            await idle(idleMs);
          }
          failures = 0;
          continue;
        }
        if (Date.now() - lastEstimateCheck > estimateCheckMs) {
          lastEstimateCheck = Date.now();
          const { count } = await ctx.es.count({ index: ctx.names.customers });
          if (needsEstimate(await currentModel(), count, minProfiles)) await estimate();
        }
        await idle(1_000);
      } catch (error) {
        failures++;
        ctx.log('matching pass step failed, will retry', failureFields(error), 'warn');
        if (failures >= 20) {
          const run = await readMatchRun(ctx.redis, ctx.queues).catch(() => null);
          if (run?.state === 'running') await failMatchRun(ctx.redis, ctx.queues, run.id);
          failures = 0;
        }
        await idle(1_000);
      }
    }
  }

  const loops = [...Array.from({ length: concurrency }, () => matchLoop()), driverLoop()];
  return {
    async close() {
      stopping = true;
      wake.wakeAll();
      await Promise.all(loops);
      await wake.close();
    },
  };
}
