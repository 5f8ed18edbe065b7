/**
 * `GET /api/v1/ingest/dead-letters?size=`: the touchpoints the indexers set
 * aside because Elasticsearch can never store them, newest first, for an
 * admin to fix at the source (infra/src/dead-letters.ts). Entries hold no
 * personal data; the count is also in `ingest/status`.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { DeadLetterView } from '../../../domain/src/api';
import { countDeadLetters, listDeadLetters } from '../../../infra/src/dead-letters';
import type { ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import { policedRouter, policy } from '../privacy/route-policy';

export const deadLetterQuerySchema = z.object({
  size: z.coerce.number().int().min(1).max(1_000).default(100),
});

export interface DeadLetterAnswer {
  /** How many are kept (at most DEAD_LETTER_CAP, the newest). */
  total: number;
  items: DeadLetterView[];
}

export function deadLetterRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  // Source, touchpoint id, type and a reason code: what an admin needs to fix the source, no customer data.
  routes.get(
    '/ingest/dead-letters',
    policy<DeadLetterAnswer>({ roles: ['admin'], personal: false }),
    async (req) => {
      const { size } = parseRequest(deadLetterQuerySchema, req.query);
      try {
        const [total, items] = await Promise.all([
          countDeadLetters(ctx.redis, ctx.queues.deadLetters),
          listDeadLetters(ctx.redis, ctx.queues.deadLetters, size),
        ]);
        return { body: { total, items: items as DeadLetterView[] } };
      } catch (error) {
        throw new AppError(
          503,
          'queue_unavailable',
          'Redis, which keeps the dead letters, is not reachable. Retry shortly.',
          undefined,
          { cause: error },
        );
      }
    },
  );
  return routes.router;
}
