/**
 * The Express app: thin routes per feature folder, one auth gate, one error
 * handler. Built from a ServerContext so tests start it on port 0 against
 * their own indices and queues.
 */
import express, { type Express } from 'express';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { existsSync } from 'node:fs';
import path from 'node:path';
import swaggerUi from 'swagger-ui-express';
import { analyticsRoutes } from './analytics/routes';
import { liveDashboardRoutes } from './analytics/live-stream';
import { analyticsQueryRoutes } from './analytics/query-routes';
import { exportRoutes } from './exports/routes';
import { segmentRoutes } from './segments/routes';
import { snapshotRoutes } from './snapshots/routes';
import { identityRoutes } from './identity/routes';
import { authenticate, identify } from './auth/authenticate';
import { loginRoutes, meRoutes } from './auth/routes';
import type { ServerContext } from './context';
import { customerRoutes } from './customers/routes';
import { AppError, errorHandler } from './errors';
import { ingestRoutes } from './ingest/routes';
import { noteRoutes } from './notes/routes';
import { buildOpenApiDocument } from './openapi';
import { createMetrics } from './ops/metrics';
import { opsRoutes } from './ops/routes';
import { apiRateLimit, corsForUi, limitNesting, loginRateLimit, securityHeaders, type HardeningOptions } from './privacy/hardening';
import { privacyGate } from './privacy/privacy-gate';
import { adminRoutes } from './admin/routes';
import { rateLimitPrefix } from '../../infra/src/shared-keys';
import { privacyRoutes, type PrivacyOptions } from './privacy/routes';
import { apiErrorLog, type ApiLog } from './privacy/safe-log';

export interface AppOptions {
  /** The error log; default: pino on stdout through `apiErrorLog` (no personal data, privacy/safe-log.ts). */
  log?: ApiLog;
  /** Rate limits and CORS (issue 6); defaults in privacy/hardening.ts. */
  hardening?: HardeningOptions;
  /** Erasure behaviour (issue 6). */
  privacy?: PrivacyOptions;
}

export function createApp(ctx: ServerContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.hardening?.trustProxy ?? false);
  const metrics = createMetrics();
  app.use(metrics.middleware);
  // Every answer names its request, so a person can report a failure that the log finds by id (and by nothing personal).
  app.use((_req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    next();
  });
  app.use(securityHeaders());
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use(opsRoutes(ctx, metrics.registry));

  const openapi = buildOpenApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Panorama API' }));

  const api = express.Router();
  api.use(corsForUi(options.hardening ?? {}));
  const counters = { redis: ctx.redis, loginPrefix: rateLimitPrefix(ctx.queues, 'login'), apiPrefix: rateLimitPrefix(ctx.queues, 'api'), log: options.log };
  api.use('/auth/login', loginRateLimit(options.hardening ?? {}, counters));
  api.use(identify(ctx));
  api.use(apiRateLimit(options.hardening ?? {}, counters));
  api.use(express.json({ limit: '10mb', type: ['application/json', 'application/*+json'] }));
  // NDJSON is read here too (body-parser skips a body already read), so the nesting limit sees both.
  api.use(express.text({ type: 'application/x-ndjson', limit: '10mb' }));
  api.use(limitNesting());
  api.use(loginRoutes(ctx));
  // Server-sent events authenticate from ?token= too (EventSource sends no headers): before the general gate.
  api.use(liveDashboardRoutes(ctx));
  api.use(authenticate(ctx));
  api.use(meRoutes());
  api.use(privacyGate(ctx));
  api.use(privacyRoutes(ctx, options.privacy ?? { suppressErased: false }));
  api.use(adminRoutes(ctx));
  api.use(ingestRoutes(ctx));
  api.use(customerRoutes(ctx));
  api.use(noteRoutes(ctx));
  api.use(analyticsRoutes(ctx));
  api.use(analyticsQueryRoutes(ctx));
  api.use(segmentRoutes(ctx));
  api.use(exportRoutes(ctx));
  api.use(snapshotRoutes(ctx));
  api.use(identityRoutes(ctx));
  api.use((req, _res, next) => {
    next(new AppError(404, 'not_found', `No route ${req.method} /api/v1${req.path}; see /api/docs.`));
  });
  app.use('/api/v1', api);

  if (ctx.webDist && existsSync(path.join(ctx.webDist, 'index.html'))) {
    const dist = ctx.webDist;
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // The UI routes on the client: every other GET is the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.sendFile(path.join(dist, 'index.html'));
    });
  }

  app.use(errorHandler(options.log ?? apiErrorLog(pino({ name: 'api' }))));
  return app;
}
