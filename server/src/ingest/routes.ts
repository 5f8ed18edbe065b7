import type { Router } from 'express';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { policedRouter, policy } from '../privacy/route-policy';
import { enqueueTouchpoints, parseNdjson } from './enqueue-touchpoints';
import { ingestStatus } from './ingest-status';

export function ingestRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.post(
    '/touchpoints',
    // The answer counts and indexes what was refused, never quoting it back.
    policy({
      roles: ['ingest', 'admin'],
      personal: false,
      shows: { ingest: 'counts', admin: 'counts' },
    }),
    async (req) => {
      const items = toItems(
        req.body,
        req.is('application/x-ndjson') !== false && typeof req.body === 'string',
      );
      const answer = await enqueueTouchpoints(ctx.ingestQueue, items);
      return { status: answer.accepted > 0 ? 202 : 400, body: answer };
    },
  );
  routes.get(
    '/ingest/status',
    policy({
      roles: ['ingest', 'manager', 'analyst', 'agent', 'admin'],
      personal: false,
      shows: {
        ingest: 'counts',
        agent: 'counts',
        manager: 'counts',
        analyst: 'counts',
        admin: 'counts',
      },
    }),
    async () => ({ body: await ingestStatus(ctx.ingestQueue, ctx.redis, ctx.queues) }),
  );
  return routes.router;
}

function toItems(body: unknown, ndjson: boolean): unknown[] {
  if (ndjson) return parseNdjson(body as string);
  if (Array.isArray(body)) return body;
  if (
    body &&
    typeof body === 'object' &&
    Array.isArray((body as { touchpoints?: unknown }).touchpoints)
  ) {
    return (body as { touchpoints: unknown[] }).touchpoints;
  }
  throw new AppError(
    400,
    'invalid_request',
    'Send a JSON array of touchpoints, {"touchpoints": [...]}, or NDJSON with Content-Type application/x-ndjson.',
    [{ path: '', message: 'expected an array of touchpoints' }],
  );
}
