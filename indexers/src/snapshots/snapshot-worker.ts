/**
 * The snapshot queue's worker: `take-snapshot` jobs, from the daily
 * job scheduler or from `POST /api/v1/snapshots`. Job data is a day, never
 * customer data. One at a time: a snapshot reads every profile.
 */
import { ownConnectionOf } from '../../../infra/src/redis';
import { Queue, Worker } from 'bullmq';
import { snapshotQueueName } from '../../../infra/src/live-names';
import { SafeError } from '../../../infra/src/safe-error';
import type { IndexerContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { failedJobFields, withSafeFailures } from '../job-failure';
import { reconcileSegments } from '../segments/segment-drift';
import { takeSnapshot } from './take-snapshot';

export interface SnapshotWorker {
  close(): Promise<void>;
}

/** @param schedule cron pattern of the daily snapshot (e.g. `0 5 0 * * *`); none: only on demand. */
export function startSnapshotWorker(
  ctx: IndexerContext,
  options: { schedule?: string } = {},
): SnapshotWorker {
  const name = snapshotQueueName(ctx.queues);
  const worker = new Worker(
    name,
    withSafeFailures(async (job) => {
      if (job.name !== 'take-snapshot')
        throw new SafeError('unknown_job', `no processor for job ${job.name.slice(0, 60)}`, {
          unrecoverable: true,
        });
      const date = (job.data as { date?: unknown }).date;
      if (date !== undefined && (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)))
        throw new SafeError('invalid_date', 'date must be YYYY-MM-DD', { unrecoverable: true });
      // Today's snapshot first brings clock-dependent segments up to date (a past day is replayed from events instead).
      if (date === undefined || date === new Date().toISOString().slice(0, 10)) {
        const drift = await reconcileSegments(ctx);
        ctx.log('segments reconciled', { ...drift });
      }
      const result = await takeSnapshot(ctx, { date });
      ctx.log('snapshot taken', { date: result.date, customers: result.customers, ms: result.ms });
      return result;
    }),
    { connection: ownConnectionOf(ctx.redis), concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    ctx.log('snapshot failed', failedJobFields(job, error), 'error'),
  );
  let queue: Queue | null = null;
  if (options.schedule) {
    queue = new Queue(name, { connection: ownConnectionOf(ctx.redis) });
    void queue
      .upsertJobScheduler(
        'daily-snapshot',
        { pattern: options.schedule, tz: 'UTC' },
        { name: 'take-snapshot', data: {}, opts: { removeOnComplete: 30, removeOnFail: 30 } },
      )
      .catch((error: unknown) =>
        ctx.log('snapshot schedule failed', failureFields(error), 'error'),
      );
  }
  return {
    async close() {
      await worker.close();
      await queue?.close();
    },
  };
}
