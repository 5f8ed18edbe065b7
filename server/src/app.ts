/**
 * The Express app: thin routes per feature folder, one auth gate, one error
 * handler. Built from a ServerContext so tests start it on port 0 against
 * their own indices and queues.
 */
import express, { type Express, type Router } from 'express';
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
import { matchingRoutes } from './identity/matching-routes';
import { identify } from './auth/authenticate';
import { redeemStreamTicket } from './auth/stream-tickets';
import { loginRoutes, meRoutes } from './auth/routes';
import type { ServerContext } from './context';
import { customerRoutes } from './customers/routes';
import { AppError, errorHandler } from './errors';
import { ingestRoutes } from './ingest/routes';
import { deadLetterRoutes } from './ingest/dead-letter-routes';
import { noteRoutes } from './notes/routes';
import { buildOpenApiDocument } from './openapi';
import { createMetrics } from './ops/metrics';
import { opsRoutes } from './ops/routes';
import {
  apiRateLimit,
  corsForUi,
  limitNesting,
  loginRateLimit,
  securityHeaders,
  type HardeningOptions,
} from './privacy/hardening';
import { usePseudonymSecret } from './privacy/masking';
import { assertEveryRoutePoliced, strictRouter, useTicketRedeemer } from './privacy/route-policy';
import { adminRoutes } from './admin/routes';
import { rateLimitPrefix } from '../../infra/src/shared-keys';
import { privacyRoutes, type PrivacyOptions } from './privacy/routes';
import { apiErrorLog, type ApiLog } from './privacy/safe-log';

export interface AppOptions {
  /** The error log; default: pino on stdout through `apiErrorLog` (no personal data, privacy/safe-log.ts). */
  log?: ApiLog;
  /** Rate limits and CORS; defaults in privacy/hardening.ts. */
  hardening?: HardeningOptions;
  /** Erasure behaviour. */
  privacy?: PrivacyOptions;
}

/** Every route of `/api/v1`, each declaring its policy; without the middlewares in front of them. */
export function apiRoutes(ctx: ServerContext, options: AppOptions = {}): Router {
  const routes = strictRouter();
  routes.use(loginRoutes(ctx));
  routes.use(meRoutes(ctx));
  routes.use(liveDashboardRoutes(ctx));
  routes.use(privacyRoutes(ctx, options.privacy ?? { suppressErased: false }));
  routes.use(adminRoutes(ctx));
  routes.use(ingestRoutes(ctx));
  routes.use(deadLetterRoutes(ctx));
  routes.use(customerRoutes(ctx));
  routes.use(noteRoutes(ctx));
  routes.use(analyticsRoutes(ctx));
  routes.use(analyticsQueryRoutes(ctx));
  routes.use(segmentRoutes(ctx));
  routes.use(exportRoutes(ctx));
  routes.use(snapshotRoutes(ctx));
  routes.use(identityRoutes(ctx));
  routes.use(matchingRoutes(ctx));
  return routes;
}

export function createApp(ctx: ServerContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // One spelling per route: `/API/v1/Customers` or `/customers/search/` is a 404, never another way in.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // The client address is the socket's unless a proxy the operator names sets X-Forwarded-For (PANORAMA_TRUST_PROXY).
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
  app.use(
    '/api/docs',
    swaggerUi.serve,
    swaggerUi.setup(openapi, { customSiteTitle: 'Panorama API' }),
  );

  // Every route below declares its policy (privacy/route-policy.ts); the API refuses to start otherwise.
  useTicketRedeemer(redeemStreamTicket);
  usePseudonymSecret(ctx.auth.secret);
  const api = strictRouter();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(corsForUi(options.hardening ?? {}));
  const counters = {
    redis: ctx.redis,
    loginPrefix: rateLimitPrefix(ctx.queues, 'login'),
    apiPrefix: rateLimitPrefix(ctx.queues, 'api'),
    log: options.log,
  };
  api.use('/auth/login', loginRateLimit(options.hardening ?? {}, counters));
  // Who is asking, before the API limit counts them: a principal has one budget however its header is written;
  // wrong credentials are counted by address and refused by the route's policy.
  api.use(identify(ctx));
  api.use(apiRateLimit(options.hardening ?? {}, counters));
  api.use(express.json({ limit: '10mb', type: ['application/json', 'application/*+json'] }));
  // NDJSON is read here too (body-parser skips a body already read), so the nesting limit sees both.
  api.use(express.text({ type: 'application/x-ndjson', limit: '10mb' }));
  api.use(limitNesting());
  api.use(apiRoutes(ctx, options));
  assertEveryRoutePoliced(api);
  api.use((req, _res, next) => {
    next(
      new AppError(
        404,
        'not_found',
        `No route ${req.method} /api/v1${req.path.slice(0, 200)}; paths are case-sensitive and have no trailing slash; see /api/docs.`,
      ),
    );
  });
  app.use('/api/v1', api);
  // Any other spelling of the API's path (`/API/v1/…`, `/api/V1/…`) is a 404, never the UI shell.
  app.use((req, _res, next) => {
    if (!/^\/api(\/|$)/i.test(req.path)) {
      next();
      return;
    }
    next(
      new AppError(
        404,
        'not_found',
        `No route ${req.method} ${req.path.slice(0, 200)}; the API is at /api/v1 (case-sensitive); see /api/docs.`,
      ),
    );
  });

  if (ctx.webDist && existsSync(path.join(ctx.webDist, 'index.html'))) {
    const dist = ctx.webDist;
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    // The UI routes on the client: every other GET is the app shell.
    app.get(/^\/(?!api(\/|$)).*/i, (_req, res) => {
      res.sendFile(path.join(dist, 'index.html'));
    });
  }

  app.use(errorHandler(options.log ?? apiErrorLog(pino({ name: 'api' }))));
  return app;
}
