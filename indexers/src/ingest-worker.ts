import { Worker } from 'bullmq';
import { ownConnectionOf } from '../../infra/src/redis';
import { SafeError } from '../../infra/src/safe-error';
import type { IndexerContext } from './context';
import { failedJobFields, withSafeFailures } from './job-failure';
import { processIngestBatch, type IngestBatchOptions } from './processors/ingest-batch';

/** One worker for the ingest queue, routing on `job.name`. */
export function startIngestWorker(
  ctx: IndexerContext,
  options: { concurrency: number; stepTimers?: IngestBatchOptions['stepTimers'] },
): Worker {
  const worker = new Worker(
    ctx.queues.ingest,
    // Job data is touchpoints, i.e. personal data: failures are stored and logged without it (job-failure.ts).
    withSafeFailures(async (job) => {
      switch (job.name) {
        case 'ingest-batch':
          return processIngestBatch(ctx, job, { stepTimers: options.stepTimers });
        default:
          throw new SafeError('unknown_job', `no processor for job ${job.name.slice(0, 60)}`, {
            unrecoverable: true,
          });
      }
    }),
    { connection: ownConnectionOf(ctx.redis), concurrency: options.concurrency, autorun: true },
  );
  worker.on('failed', (job, error) => {
    ctx.log('ingest job failed', failedJobFields(job, error), 'error');
  });
  return worker;
}
