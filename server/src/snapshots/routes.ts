import { Queue } from 'bullmq';
import type { Router } from 'express';
import type { Role } from '../../../domain/src/api';
import { z } from 'zod';
import { snapshotQueueName } from '../../../infra/src/live-names';
import { maskMigrationCustomers } from '../privacy/masking';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import {
  listSnapshotDays,
  migratedCustomers,
  segmentMigration,
  snapshotTrends,
} from './snapshot-repository';

const day = z.iso.date({ message: 'must be a day like 2026-10-02' });

export const takeSnapshotSchema = z
  .object({
    date: day
      .optional()
      .describe('default today; a past day is folded again from the touchpoints as of its end'),
    waitMs: z
      .number()
      .int()
      .min(0)
      .max(120_000)
      .default(60_000)
      .describe('how long to wait for the snapshot before answering 202'),
  })
  .strict();

export const migrationQuerySchema = z.object({
  from: day,
  to: day,
  dimension: z
    .enum(['segment', 'segments'])
    .default('segment')
    .describe('segment: the CRM segment; segments: the saved segments held'),
});

export const migrationCustomersQuerySchema = migrationQuerySchema.extend({
  fromLabel: z.string().min(1).max(300),
  toLabel: z.string().min(1).max(300),
  size: z.coerce.number().int().min(1).max(500).default(100),
});

export const trendsQuerySchema = z.object({
  dimension: z.enum(['segment', 'segments']).default('segment'),
});

const snapshotReaders = ['analyst', 'manager', 'admin'] as const satisfies readonly Role[];
const counts = { analyst: 'counts', manager: 'counts', admin: 'counts' } as const;

export function snapshotRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  let queue: Queue | null = null;
  const snapshotQueue = () =>
    (queue ??= new Queue(snapshotQueueName(ctx.queues), { connection: ctx.redis }));

  routes.post(
    '/snapshots',
    policy({
      roles: ['analyst', 'admin'],
      personal: false,
      shows: { analyst: 'counts', admin: 'counts' },
    }),
    async (req) => {
      const { date, waitMs } = parseRequest(takeSnapshotSchema, req.body ?? {});
      const today = new Date().toISOString().slice(0, 10);
      if (date && date > today) {
        throw new AppError(
          400,
          'invalid_request',
          'A snapshot can only be taken of today or a past day.',
          [{ path: 'date', message: 'is in the future' }],
        );
      }
      const job = await snapshotQueue().add(
        'take-snapshot',
        { date: date ?? today },
        {
          removeOnComplete: 100,
          removeOnFail: 100,
          attempts: 3,
          backoff: { type: 'exponential', delay: 2_000 },
        },
      );
      const deadline = Date.now() + waitMs;
      for (;;) {
        const state = await job.getState();
        if (state === 'completed') {
          const done = await snapshotQueue().getJob(job.id!);
          return { body: { jobId: job.id, state, result: (done?.returnvalue ?? null) as unknown } };
        }
        if (state === 'failed') {
          const failed = await snapshotQueue().getJob(job.id!);
          throw new AppError(
            500,
            'snapshot_failed',
            `The snapshot failed: ${failed?.failedReason ?? 'see the indexer log'}.`,
          );
        }
        if (Date.now() >= deadline)
          return { status: 202, body: { jobId: job.id, state, result: null } };
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  );

  routes.get(
    '/snapshots',
    policy({ roles: snapshotReaders, personal: false, shows: counts }),
    async () => ({ body: { items: await listSnapshotDays(ctx) } }),
  );

  routes.get(
    '/analytics/migration',
    policy({ roles: snapshotReaders, personal: false, shows: counts }),
    async (req) => {
      const { from, to, dimension } = parseRequest(migrationQuerySchema, req.query);
      const answer = await segmentMigration(ctx, from, to, dimension);
      if ('missing' in answer)
        throw AppError.notFound(
          `No snapshot of ${answer.missing}: take one with POST /api/v1/snapshots {"date": "${answer.missing}"}.`,
        );
      return { body: answer };
    },
  );

  routes.get(
    '/analytics/migration/customers',
    policy<MigratedCustomers>({
      roles: snapshotReaders,
      personal: true,
      shows: { admin: 'full', manager: 'masked', analyst: 'masked' },
      view: (answer, viewer) => maskMigrationCustomers(answer, viewer.list),
      audit: {
        action: 'search',
        subject: (_req, answer) => ({
          customerIds: answer.items.map((r) => r.id),
          resultCount: answer.items.length,
          details: { kind: 'segment-migration' },
        }),
      },
    }),
    async (req) => {
      const answer = await migratedCustomers(
        ctx,
        parseRequest(migrationCustomersQuerySchema, req.query),
      );
      if ('missing' in answer) throw AppError.notFound(`No snapshot of ${answer.missing}.`);
      return { body: answer };
    },
  );

  routes.get(
    '/analytics/trends',
    policy({ roles: snapshotReaders, personal: false, shows: counts }),
    async (req) => {
      const { dimension } = parseRequest(trendsQuerySchema, req.query);
      return { body: await snapshotTrends(ctx, dimension) };
    },
  );

  return routes.router;
}

type MigratedCustomers = Exclude<
  Awaited<ReturnType<typeof migratedCustomers>>,
  { missing: string }
>;
