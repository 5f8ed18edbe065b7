/**
 * HTTP hardening in front of every route: security headers (helmet), CORS for
 * the UI's origin only, and rate limits on login (per address and per
 * username) and on the API (per authenticated principal, else per address).
 * The limits are counted in Redis (`rate-limit-redis`), so every API process
 * behind a load balancer counts against the same budget.
 *
 * The address is the socket's, unless a trusted proxy is configured
 * (`trustProxy`, PANORAMA_TRUST_PROXY): otherwise anyone could send a new
 * `X-Forwarded-For` with each guess and never be counted.
 */
import cors from 'cors';
import type { Request, RequestHandler } from 'express';
import express from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { serverDefaults } from '../config';
import { AppError } from '../errors';
import type { ApiLog } from './safe-log';

export interface HardeningOptions {
  /** The UI's origin when it is served from elsewhere (e.g. `http://localhost:5173`); unset: same origin only, no CORS. */
  uiOrigin?: string | null;
  /** Login attempts per address per minute. Default `serverDefaults.loginPerMinute` (20). */
  loginPerMinute?: number;
  /** Failed login attempts per username per minute, from all addresses together. Default: `loginPerMinute`. */
  loginPerUsernamePerMinute?: number;
  /** API requests per principal (or, without a token, per address) per minute; 0 switches the limit off. Default `serverDefaults.apiPerMinute` (1,200). */
  apiPerMinute?: number;
  /**
   * Express's `trust proxy` setting (PANORAMA_TRUST_PROXY), e.g. `loopback`,
   * `10.0.0.0/8, 192.168.1.5` or a hop count: only then is the client address
   * taken from `X-Forwarded-For`. Default false: the socket's address.
   */
  trustProxy?: boolean | number | string;
}

/**
 * PANORAMA_TRUST_PROXY as Express takes it: unset, empty, `false` or `0` →
 * false; `true` → true (every proxy; only behind one that overwrites the
 * header); a whole number → that many hops; anything else (names such as
 * `loopback`, addresses, CIDR ranges, comma-separated) as it is.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** The client's address for counting: the socket's, or Express's `req.ip` when a proxy is trusted to tell it. IPv6 by /56, so one host cannot rotate through its own subnet. */
function clientAddress(req: Request, options: HardeningOptions): string {
  const address = (options.trustProxy ? req.ip : req.socket.remoteAddress) ?? 'unknown';
  return ipKeyGenerator(address);
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
  const send = async (command: string, args: string[]): Promise<RedisReply> =>
    (await redis.call(command, ...args)) as RedisReply;
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
      throw new AppError(
        503,
        'rate_limit_unavailable',
        'Requests are counted in Redis, which does not answer: check Redis (GET /readyz) and try again shortly.',
        undefined,
        { cause: error },
      );
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
  const docs = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) =>
    req.path.startsWith('/api/docs') ? docs(req, res, next) : strict(req, res, next);
}

export function corsForUi(options: HardeningOptions): RequestHandler {
  return cors({
    origin: options.uiOrigin ? [options.uiOrigin] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}

/**
 * Login attempts per address, and failed ones per username from all addresses
 * together (so rotating addresses does not buy unlimited guesses at one
 * account), counted across all API processes. While Redis does not answer,
 * logins are refused (503): an uncounted login is a guessing window. The
 * username limit also lets someone who guesses a name slow that person's
 * logins for a minute; it counts only failures, so a person who types the
 * right password is not counted.
 */
export function loginRateLimit(
  options: HardeningOptions,
  counters: RateLimitCounters,
): RequestHandler {
  const perAddress = rateLimit({
    windowMs: 60_000,
    limit: options.loginPerMinute ?? serverDefaults.loginPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({
      sendCommand: sendThrough(counters.redis),
      prefix: counters.loginPrefix,
    }),
    passOnStoreError: false,
    keyGenerator: (req) => `ip:${clientAddress(req, options)}`,
    // The address is chosen above on purpose (socket unless a proxy is trusted): no warning about X-Forwarded-For.
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res) => {
      res
        .status(429)
        .json(errorBody('Too many login attempts from this address: wait a minute and try again.'));
    },
  });
  const perUsername = rateLimit({
    windowMs: 60_000,
    limit:
      options.loginPerUsernamePerMinute ?? options.loginPerMinute ?? serverDefaults.loginPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    store: new RedisStore({
      sendCommand: sendThrough(counters.redis),
      prefix: counters.loginPrefix,
    }),
    passOnStoreError: false,
    skipSuccessfulRequests: true,
    // No username (an invalid body): the route answers 400, the address limit has counted it.
    skip: (req) => loginUsername(req) === null,
    keyGenerator: (req) =>
      `user:${createHash('sha256')
        .update(loginUsername(req) ?? '')
        .digest('base64url')}`,
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res) => {
      res
        .status(429)
        .json(
          errorBody(
            'Too many failed login attempts for this username: wait a minute and try again.',
          ),
        );
    },
  });
  // The username is in the body: read it here (the API's JSON parser skips a body already read). A login body is small.
  const readBody = express.json({
    limit: '16kb',
    type: ['application/json', 'application/*+json'],
  });
  return (req, res, next) => {
    perAddress(req, res, (error?: unknown) => {
      if (error) return next(error);
      readBody(req, res, (bodyError?: unknown) => {
        if (bodyError) return next(bodyError);
        perUsername(req, res, next);
      });
    });
  };
}

/** The username a login body names, as the login compares it; null when there is none. */
function loginUsername(req: Request): string | null {
  const username: unknown = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.length > 0 && username.length <= 100
    ? username
    : null;
}

/**
 * API requests per principal, counted across all API processes. While Redis
 * does not answer, requests pass uncounted: looking a caller up must not
 * depend on the queue's store. Keyed on `req.principal.id`, which `identify`
 * (auth/authenticate.ts) sets before this runs: every spelling of the same
 * token is one bucket, and a header that names nobody never gets here (401).
 * Without a token: per address.
 */
export function apiRateLimit(
  options: HardeningOptions,
  counters: RateLimitCounters,
): RequestHandler {
  const limit = options.apiPerMinute ?? serverDefaults.apiPerMinute;
  if (limit === 0) return (_req, _res, next) => next();
  const log = counters.log ?? (() => {});
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({ sendCommand: sendThrough(counters.redis), prefix: counters.apiPrefix }),
    passOnStoreError: true,
    logger: {
      error: (error: unknown) => log(error, 'API rate limit not counted (Redis)'),
      warn: (warning: unknown) => log(warning, 'API rate limit warning'),
    },
    // A principal's id is not secret (an account id, or a prefix of a key's hash), so the limiter's memory holds no secret.
    keyGenerator: (req) => req.principal?.id ?? `anonymous:${clientAddress(req, options)}`,
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res) => {
      res
        .status(429)
        .json(
          errorBody(
            `More than ${limit} requests in a minute with this token: slow down and retry after the time in the RateLimit header.`,
          ),
        );
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
    const depth =
      typeof req.body === 'string' ? textDepth(req.body, maxDepth) : valueDepth(req.body, maxDepth);
    if (depth <= maxDepth) {
      next();
      return;
    }
    res.status(400).json({
      error: {
        code: 'invalid_request',
        message: `The body is nested deeper than ${maxDepth} levels; touchpoints need far fewer. Flatten it.`,
        details: [{ path: '', message: `nested deeper than ${maxDepth} levels` }],
      },
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
      if (c === 92)
        i++; // backslash: skip the escaped character
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
