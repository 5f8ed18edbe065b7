/**
 * HTTP hardening in front of every route: security headers (helmet), CORS for
 * the UI's origin only, and rate limits on login (per address) and on the API
 * (per token, else per address). The limits are counted in Redis
 * (`rate-limit-redis`), so every API process behind a load balancer counts
 * against the same budget.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../errors';
import type { ApiLog } from './safe-log';

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

/** Where the limiters count: Redis, under a prefix per limiter. */
export interface RateLimitCounters {
  redis: Redis;
  /** Key prefix of the login limiter's counters (infra/src/shared-keys.ts). */
  loginPrefix: string;
  /** Key prefix of the API limiter's counters. */
  apiPrefix: string;
  /** Store errors of the API limiter (which then lets the request through); the API's log (safe-log.ts). */
  log?: ApiLog;
}

/**
 * The Redis commands of `rate-limit-redis`, sent through the API's ioredis
 * connection. That connection fails fast while Redis is down (no offline
 * queue), and the store loads its Lua scripts once when it is built — which
 * may be before the connection is up, leaving it broken for good. So script
 * loading is answered here (a script's id is its SHA-1), and a script Redis
 * does not know yet is sent in full (EVAL), which also caches it there.
 * Errors become a 503 that says what to check.
 */
function sendThrough(redis: Redis): (...args: string[]) => Promise<RedisReply> {
  const scripts = new Map<string, string>();
  const send = async (command: string, args: string[]): Promise<RedisReply> => (await redis.call(command, ...args)) as RedisReply;
  return async (command, ...args) => {
    try {
      const upper = command.toUpperCase();
      if (upper === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1] !== undefined) {
        const sha = createHash('sha1').update(args[1]).digest('hex');
        scripts.set(sha, args[1]);
        return sha;
      }
      if (upper === 'EVALSHA' && scripts.has(args[0])) {
        try {
          return await send('EVALSHA', args);
        } catch (error) {
          if (!(error instanceof Error) || !/^NOSCRIPT/.test(error.message)) throw error;
          return await send('EVAL', [scripts.get(args[0]) as string, ...args.slice(1)]);
        }
      }
      return await send(command, args);
    } catch (error) {
      throw new AppError(503, 'rate_limit_unavailable', 'Requests are counted in Redis, which does not answer: check Redis (GET /readyz) and try again shortly.', undefined, { cause: error });
    }
  };
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

/** Login attempts per address, counted across all API processes. While Redis does not answer, logins are refused (503): an uncounted login is a guessing window. */
export function loginRateLimit(options: HardeningOptions, counters: RateLimitCounters): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.loginPerMinute ?? 20,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({ sendCommand: sendThrough(counters.redis), prefix: counters.loginPrefix }),
    passOnStoreError: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('Too many login attempts from this address: wait a minute and try again.'));
    },
  });
}

/** API requests per token, counted across all API processes. While Redis does not answer, requests pass uncounted: looking a caller up must not depend on the queue's store. */
export function apiRateLimit(options: HardeningOptions, counters: RateLimitCounters): RequestHandler {
  const limit = options.apiPerMinute ?? 1_200;
  if (limit === 0) return (_req, _res, next) => next();
  const log = counters.log ?? (() => {});
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({ sendCommand: sendThrough(counters.redis), prefix: counters.apiPrefix }),
    passOnStoreError: true,
    logger: { error: (error: unknown) => log(error, 'API rate limit not counted (Redis)'), warn: (warning: unknown) => log(warning, 'API rate limit warning') },
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

/**
 * Refuses bodies nested deeper than `maxDepth` (default 32; a touchpoint
 * needs about 5) with 400, before any route sees them: deep nesting is a
 * classic way to make parsers, validators and serializers burn CPU or stack,
 * and zod would silently drop unknown deep keys instead of rejecting them.
 * JSON bodies are walked after parsing; NDJSON text is scanned without parsing.
 */
export function limitNesting(maxDepth = 32): RequestHandler {
  return (req, res, next) => {
    const depth = typeof req.body === 'string' ? textDepth(req.body, maxDepth) : valueDepth(req.body, maxDepth);
    if (depth <= maxDepth) {
      next();
      return;
    }
    res.status(400).json({
      error: { code: 'invalid_request', message: `The body is nested deeper than ${maxDepth} levels; touchpoints need far fewer. Flatten it.`, details: [{ path: '', message: `nested deeper than ${maxDepth} levels` }] },
    });
  };
}

/** Depth of a parsed JSON value, iteratively (no recursion on hostile input); stops counting past `limit`. */
function valueDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Object.values(node as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return max;
}

/** Bracket depth of JSON text outside strings (one NDJSON line or many); stops past `limit`. */
function textDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
    else if (c === 10) depth = 0;
  }
  return max;
}
