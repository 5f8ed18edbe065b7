import { Queue } from 'bullmq';
import { Router } from 'express';
import { z } from 'zod';
import { snapshotQueueName } from '../../../infra/src/live-names';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { listSnapshotDays, migratedCustomers, segmentMigration, snapshotTrends } from './snapshot-repository';

const day = z.iso.date({ message: 'must be a day like 2026-10-02' });

export const takeSnapshotSchema = z
  .object({
    date: day.optional().describe('default today; a past day is folded again from the touchpoints as of its end'),
    waitMs: z.number().int().min(0).max(120_000).default(60_000).describe('how long to wait for the snapshot before answering 202'),
  })
  .strict();

export const migrationQuerySchema = z.object({
  from: day,
  to: day,
  dimension: z.enum(['segment', 'segments']).default('segment').describe('segment: the CRM segment; segments: the saved segments held'),
});

export const migrationCustomersQuerySchema = migrationQuerySchema.extend({
  fromLabel: z.string().min(1).max(300),
  toLabel: z.string().min(1).max(300),
  size: z.coerce.number().int().min(1).max(500).default(100),
});

export const trendsQuerySchema = z.object({ dimension: z.enum(['segment', 'segments']).default('segment') });

export function snapshotRoutes(ctx: ServerContext): Router {
  const router = Router();
  let queue: Queue | null = null;
  const snapshotQueue = () => (queue ??= new Queue(snapshotQueueName(ctx.queues), { connection: ctx.redis }));

  router.post('/snapshots', allow('analyst'), async (req, res) => {
    const parsed = takeSnapshotSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const today = new Date().toISOString().slice(0, 10);
    if (parsed.data.date && parsed.data.date > today) {
      throw new AppError(400, 'invalid_request', 'A snapshot can only be taken of today or a past day.', [{ path: 'date', message: 'is in the future' }]);
    }
    const job = await snapshotQueue().add('take-snapshot', { date: parsed.data.date ?? today }, { removeOnComplete: 100, removeOnFail: 100, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
    const deadline = Date.now() + parsed.data.waitMs;
    for (;;) {
      const state = await job.getState();
      if (state === 'completed') {
        const done = await snapshotQueue().getJob(job.id!);
        res.json({ jobId: job.id, state, result: done?.returnvalue ?? null });
        return;
      }
      if (state === 'failed') {
        const failed = await snapshotQueue().getJob(job.id!);
        throw new AppError(500, 'snapshot_failed', `The snapshot failed: ${failed?.failedReason ?? 'see the indexer log'}.`);
      }
      if (Date.now() >= deadline) {
        res.status(202).json({ jobId: job.id, state });
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  router.get('/snapshots', allow('analyst', 'manager'), async (_req, res) => {
    res.json({ items: await listSnapshotDays(ctx) });
  });

  router.get('/analytics/migration', allow('analyst', 'manager'), async (req, res) => {
    const parsed = migrationQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const answer = await segmentMigration(ctx, parsed.data.from, parsed.data.to, parsed.data.dimension);
    if ('missing' in answer) throw AppError.notFound(`No snapshot of ${answer.missing}: take one with POST /api/v1/snapshots {"date": "${answer.missing}"}.`);
    res.json(answer);
  });

  router.get('/analytics/migration/customers', allow('analyst', 'manager'), async (req, res) => {
    const parsed = migrationCustomersQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const answer = await migratedCustomers(ctx, parsed.data);
    if ('missing' in answer) throw AppError.notFound(`No snapshot of ${answer.missing}.`);
    res.json(answer);
  });

  router.get('/analytics/trends', allow('analyst', 'manager'), async (req, res) => {
    const parsed = trendsQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    res.json(await snapshotTrends(ctx, parsed.data.dimension));
  });

  return router;
}
