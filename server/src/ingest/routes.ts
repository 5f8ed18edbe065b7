import express, { Router } from 'express';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { allow } from '../auth/authenticate';
import { enqueueTouchpoints, parseNdjson } from './enqueue-touchpoints';
import { ingestStatus } from './ingest-status';

export function ingestRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post(
    '/touchpoints',
    allow('ingest'),
    express.text({ type: 'application/x-ndjson', limit: '10mb' }),
    async (req, res) => {
      const items = toItems(req.body, req.is('application/x-ndjson') !== false && typeof req.body === 'string');
      const answer = await enqueueTouchpoints(ctx.ingestQueue, items);
      res.status(answer.accepted > 0 ? 202 : 400).json(answer);
    },
  );
  router.get('/ingest/status', allow('ingest', 'manager', 'analyst', 'agent'), async (_req, res) => {
    res.json(await ingestStatus(ctx.ingestQueue, ctx.redis, ctx.queues));
  });
  return router;
}

function toItems(body: unknown, ndjson: boolean): unknown[] {
  if (ndjson) return parseNdjson(body as string);
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as { touchpoints?: unknown }).touchpoints)) {
    return (body as { touchpoints: unknown[] }).touchpoints;
  }
  throw new AppError(400, 'invalid_request', 'Send a JSON array of touchpoints, {"touchpoints": [...]}, or NDJSON with Content-Type application/x-ndjson.', [
    { path: '', message: 'expected an array of touchpoints' },
  ]);
}
