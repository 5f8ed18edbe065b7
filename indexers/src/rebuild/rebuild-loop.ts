/**
 * The rebuild loop of one indexer process: claims batches of dirty customers
 * (see dirty-set.ts), rebuilds them, releases them. Several loops, in one or
 * many processes, share the work safely.
 */
import type { IndexerContext } from '../context';
import { failureFields } from '../job-failure';
import { claimDirty, releaseDirty } from './dirty-set';
import { rebuildCustomers } from './rebuild-customers';
import { profilesRebuiltChannel } from '../../../infra/src/live-names';

export interface RebuildLoopOptions {
  /** Customers per batch. Default 200. */
  batchSize?: number;
  /** Parallel loops in this process. Default 2. */
  concurrency?: number;
  /** Pause when nothing is dirty (ms). Default 50. */
  idleMs?: number;
  onBatch?: (rebuilt: number, ms: number) => void;
}

export interface RebuildLoop {
  close(): Promise<void>;
}

export function startRebuildLoop(ctx: IndexerContext, options: RebuildLoopOptions = {}): RebuildLoop {
  const batchSize = options.batchSize ?? 200;
  const idleMs = options.idleMs ?? 50;
  let stopping = false;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function loop(): Promise<void> {
    while (!stopping) {
      let claimed = false;
      try {
        const claim = await claimDirty(ctx.redis, ctx.queues.dirty, batchSize);
        if (claim.ids.length === 0) {
          await sleep(idleMs);
          continue;
        }
        claimed = true;
        const started = Date.now();
        await rebuildCustomers(ctx, claim.ids, claim.version);
        await releaseDirty(ctx.redis, ctx.queues.dirty, claim);
        await ctx.redis.set(ctx.queues.lastIndexedAt, new Date().toISOString());
        // Live dashboards (issue 5) listen here; only a count, never customer data.
        await ctx.redis.publish(profilesRebuiltChannel(ctx.queues), String(claim.ids.length));
        options.onBatch?.(claim.ids.length, Date.now() - started);
      } catch (error) {
        // The lease expires and another round retries the batch: nothing is lost.
        ctx.log('rebuild failed, will retry', failureFields(error));
        await sleep(claimed ? 1_000 : 500);
      }
    }
  }

  const loops = Array.from({ length: options.concurrency ?? 2 }, () => loop());
  return {
    async close() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
