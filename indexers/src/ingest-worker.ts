import { Worker } from 'bullmq';
import type { IndexerContext } from './context';
import { processIngestBatch } from './processors/ingest-batch';

/** One worker for the ingest queue, routing on `job.name`. */
export function startIngestWorker(ctx: IndexerContext, options: { concurrency: number }): Worker {
  const worker = new Worker(
    ctx.queues.ingest,
    async (job) => {
      switch (job.name) {
        case 'ingest-batch':
          return processIngestBatch(ctx, job);
        default:
          throw new Error(`no processor for job ${job.name}`);
      }
    },
    { connection: ctx.redis.duplicate(), concurrency: options.concurrency, autorun: true },
  );
  worker.on('failed', (job, error) => {
    ctx.log('ingest job failed', { job: job?.id, attempts: job?.attemptsMade, error: error.message });
  });
  return worker;
}
