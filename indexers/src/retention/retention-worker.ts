/**
 * The retention queue's worker: a BullMQ job scheduler runs
 * `enforce-retention` on the configured cron (or every N ms in tests). The
 * job carries no data; the periods are the process's configuration.
 */
import { ownConnectionOf } from '../../../infra/src/redis';
import { Queue, Worker } from 'bullmq';
import { SafeError } from '../../../infra/src/safe-error';
import type { IndexerContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { failedJobFields, withSafeFailures } from '../job-failure';
import { enforceRetention } from './enforce-retention';
import type { RetentionSchedule } from './retention-policy';

export function retentionQueueName(ctx: Pick<IndexerContext, 'queues'>): string {
  return ctx.queues.ingest.replace(/-ingest$/, '') + '-retention';
}

export interface RetentionWorker {
  queue: Queue;
  close(): Promise<void>;
}

export function startRetentionWorker(
  ctx: IndexerContext,
  schedule: RetentionSchedule,
): RetentionWorker {
  const name = retentionQueueName(ctx);
  const worker = new Worker(
    name,
    withSafeFailures(async (job) => {
      if (job.name !== 'enforce-retention')
        throw new SafeError('unknown_job', `no processor for job ${job.name.slice(0, 60)}`, {
          unrecoverable: true,
        });
      const result = await enforceRetention(ctx, schedule.periods);
      ctx.log('retention enforced', { deleted: result.deleted, customers: result.customers });
      return result;
    }),
    { connection: ownConnectionOf(ctx.redis), concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    ctx.log('retention failed', failedJobFields(job, error), 'error'),
  );
  const queue = new Queue(name, { connection: ownConnectionOf(ctx.redis) });
  const repeat = schedule.every
    ? { every: schedule.every }
    : { pattern: schedule.pattern ?? '0 15 3 * * *', tz: 'UTC' };
  void queue
    .upsertJobScheduler('retention', repeat, {
      name: 'enforce-retention',
      data: {},
      opts: { removeOnComplete: 20, removeOnFail: 20 },
    })
    .catch((error: unknown) => ctx.log('retention schedule failed', failureFields(error), 'error'));
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
