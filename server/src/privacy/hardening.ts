/**
 * HTTP hardening in front of every route: security headers (helmet), CORS for
 * the UI's origin only, and rate limits on login (per address) and on the API
 * (per token, else per address). Limits are counted in the process; behind
 * several API processes each counts alone, which still caps a single client.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { createHash } from 'node:crypto';

export interface HardeningOptions {
  /** The UI's origin when it is served from elsewhere (e.g. `http://localhost:5173`); unset: same origin only, no CORS. */
  uiOrigin?: string | null;
  /** Login attempts per address per minute. Default 20. */
  loginPerMinute?: number;
  /** API requests per token (or address) per minute; 0 switches the limit off. Default 1,200. */
  apiPerMinute?: number;
}

function errorBody(message: string) {
  return { error: { code: 'rate_limited', message, details: [] } };
}

export function securityHeaders(): RequestHandler {
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'script-src': ["'self'"],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // The embedded default speaks plain HTTP on localhost; HSTS belongs to the TLS front.
    strictTransportSecurity: false,
  });
  // Swagger UI runs an inline initializer script: its pages get every header but the CSP.
  const docs = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false, referrerPolicy: { policy: 'no-referrer' } });
  return (req, res, next) => (req.path.startsWith('/api/docs') ? docs(req, res, next) : strict(req, res, next));
}

export function corsForUi(options: HardeningOptions): RequestHandler {
  return cors({
    origin: options.uiOrigin ? [options.uiOrigin] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}

export function loginRateLimit(options: HardeningOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.loginPerMinute ?? 20,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('Too many login attempts from this address: wait a minute and try again.'));
    },
  });
}

export function apiRateLimit(options: HardeningOptions): RequestHandler {
  const limit = options.apiPerMinute ?? 1_200;
  if (limit === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // The key is a hash of the token, so the limiter's memory holds no secret.
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return auth ? `t:${createHash('sha256').update(auth).digest('base64url')}` : `ip:${req.ip ?? 'unknown'}`;
    },
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, res) => {
      res.status(429).json(errorBody(`More than ${limit} requests in a minute with this token: slow down and retry after the time in the RateLimit header.`));
    },
  });
}
