/**
 * Protection declared where a route is defined, and refused where it is not.
 *
 * Every route of `/api/v1` is registered through {@link policedRouter}:
 *
 *   routes.get('/customers/:id', policy({ roles: readers, personal: true, view: profileView, audit: { action: 'view', subject } }), handler)
 *
 * The policy decides, before and after the handler, everything a caller could
 * otherwise slip past:
 * - who may call (401 without credentials, 403 for a role not listed; admin is
 *   listed like any other role, never implied);
 * - what the answer holds per role: a JSON handler returns its body and the
 *   policy's `view` masks it for the caller's role before it is sent — the
 *   handler never writes the response, so it cannot forget to mask;
 *   a streaming handler (CSV, server-sent events) gets the response only from
 *   `open()`, which writes the audit entry first, and masks each row itself
 *   with the viewer it is handed;
 * - which requests a role may not make at all (`guard`: searching or
 *   aggregating by what is masked for it);
 * - what is audited: the entry is durable before a byte of the answer leaves
 *   (a failed audit write answers 503, not the data);
 * - `Cache-Control: no-store` on everything that may carry personal data.
 *
 * Routers are case-sensitive and strict (no trailing slash), so another
 * spelling of a path is a 404, never a second route; parameters are decoded
 * by Express and validated by each route after decoding. GET routes answer
 * HEAD through the same policy (Express routes HEAD to GET handlers).
 *
 * {@link assertEveryRoutePoliced} walks the router stack at start: a route
 * registered any other way stops the API from starting.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../../../domain/src/api';
import type { Principal } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { auditUserAgent } from '../../../domain/src/audit-user-agent';
import type { AuditAction, AuditEntry } from './audit-trail';
import { listExposure, recordExposure, type Exposure } from './masking';
import { acquireLease } from './running-limit';

export const allRoles = [
  'ingest',
  'agent',
  'manager',
  'analyst',
  'admin',
] as const satisfies readonly Role[];

/** Who is asking, and how much of a customer they see. */
export interface Viewer {
  principal: Principal;
  role: Role;
  /** In lists of customers (search, explore, exports). */
  list: Exposure;
  /** In the one customer opened (profile, timeline, touchpoint). */
  record: Exposure;
}

/** What an audit entry says about the answer: ids and counts, never personal data. */
export interface AuditSubject {
  customerIds?: string[];
  resultCount?: number;
  details?: Record<string, unknown>;
}

export interface AuditSpec<B> {
  action: AuditAction;
  /**
   * `stream`: through the durable buffer (Redis), awaited before the answer;
   * `direct`: written to Elasticsearch before the answer (exports, erasures).
   * Default `stream`.
   */
  write?: 'stream' | 'direct';
  /** Only answers with a 2xx status are audited; this reads the unmasked body. */
  subject?: (req: Request, body: B) => AuditSubject;
}

/** Describes a cell of the route × role table in the README. */
export type Shown = 'full' | 'minimal' | 'masked' | 'counts' | 'own' | 'none';

interface PolicyBase<I> {
  /** The roles that may call; `public` only for the login itself. */
  roles: readonly Role[] | 'public';
  /** What each allowed role gets (README table); roles not listed default to `full` for non-personal answers. */
  shows?: Partial<Record<Role, Shown>>;
  /**
   * Parses and validates the request once (throwing 400 `invalid_request`);
   * the guard, the handler and the view get what it returns.
   */
  input?: (req: Request) => I;
  /** Refuses requests a role may not make (inference through masked fields), before any work. */
  guard?: (req: Request, viewer: Viewer, input: I) => void;
  /** Answers beyond this many at once per principal, over all API processes, get 429 (exports, streams). */
  concurrentPerPrincipal?: number;
  /** `ticket`: also accepts `?ticket=` of POST /auth/stream-ticket (EventSource sends no headers). */
  credentials?: 'bearer' | 'bearer-or-ticket';
}

export interface JsonPolicy<B, I = undefined> extends PolicyBase<I> {
  answer?: 'json';
  /** The answer may hold personal data: then `view` is required (write `view: null` only when nothing is masked for any allowed role, and say why). */
  personal: boolean;
  view?: ((body: B, viewer: Viewer, input: I) => B) | null;
  audit?: AuditSpec<B>;
}

export interface StreamPolicy<I = undefined> extends PolicyBase<I> {
  answer: 'stream';
  personal: boolean;
  audit?: AuditSpec<AuditSubject>;
}

export type RoutePolicy<B = unknown, I = unknown> = JsonPolicy<B, I> | StreamPolicy<I>;

/** What a JSON handler answers; the policy sends it. */
export type JsonAnswer<B> =
  | { body: B; status?: number; headers?: Record<string, string> }
  | { redirect: string; status?: 301 | 302 | 307 | 308 };

export type JsonHandler<B, I = undefined> = (
  req: Request,
  viewer: Viewer | null,
  input: I,
) => Promise<JsonAnswer<B>> | JsonAnswer<B>;

/** Opens a streamed answer: writes the audit entry, then hands over the response. */
export type OpenStream = (
  subject: AuditSubject,
  headers: Record<string, string>,
) => Promise<Response>;
export type StreamHandler<I = undefined> = (
  req: Request,
  viewer: Viewer,
  open: OpenStream,
  res: Pick<Response, 'on' | 'once' | 'writableEnded'>,
  input: I,
) => Promise<void>;

const policyMark = Symbol('panorama.route-policy');

type PolicyMiddleware = RequestHandler & { [policyMark]: RoutePolicy };

/** Declares a route's policy; only useful through {@link policedRouter}. */
export function policy<B, I = undefined>(spec: JsonPolicy<B, I>): JsonPolicy<B, I>;
export function policy<I = undefined>(spec: StreamPolicy<I>): StreamPolicy<I>;
export function policy<B, I>(spec: RoutePolicy<B, I>): RoutePolicy<B, I> {
  if (spec.answer !== 'stream' && spec.personal && spec.view === undefined) {
    throw new Error(
      'a policy for a personal answer needs a view (or view: null when every allowed role sees it whole)',
    );
  }
  if (spec.roles !== 'public' && spec.roles.length === 0)
    throw new Error('a policy must name at least one role');
  return spec;
}

export interface PolicedRouter {
  readonly router: Router;
  get<B, I = undefined>(
    path: string,
    spec: JsonPolicy<B, I>,
    handler: NoInfer<JsonHandler<B, I>>,
  ): void;
  get<I = undefined>(path: string, spec: StreamPolicy<I>, handler: NoInfer<StreamHandler<I>>): void;
  post<B, I = undefined>(
    path: string,
    spec: JsonPolicy<B, I>,
    handler: NoInfer<JsonHandler<B, I>>,
  ): void;
  post<I = undefined>(
    path: string,
    spec: StreamPolicy<I>,
    handler: NoInfer<StreamHandler<I>>,
  ): void;
  put<B, I = undefined>(
    path: string,
    spec: JsonPolicy<B, I>,
    handler: NoInfer<JsonHandler<B, I>>,
  ): void;
  delete<B, I = undefined>(
    path: string,
    spec: JsonPolicy<B, I>,
    handler: NoInfer<JsonHandler<B, I>>,
  ): void;
}

/** Case-sensitive, strict routing: one spelling per route. */
export function strictRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}

export function policedRouter(ctx: ServerContext): PolicedRouter {
  const router = strictRouter();
  const add =
    (method: 'get' | 'post' | 'put' | 'delete') =>
    (
      path: string,
      spec: RoutePolicy,
      handler: JsonHandler<unknown, unknown> | StreamHandler<unknown>,
    ): void => {
      const gate = gateFor(ctx, spec, `${method.toUpperCase()} ${path}`);
      const run: RequestHandler = (req, res, next) => {
        const viewer = (res.locals.viewer as Viewer | undefined) ?? null;
        const done =
          spec.answer === 'stream'
            ? runStream(ctx, spec, handler as StreamHandler<unknown>, req, res, viewer)
            : runJson(ctx, spec, handler as JsonHandler<unknown, unknown>, req, res, viewer, path);
        done.catch(next);
      };
      router[method](path, gate, run);
    };
  return {
    router,
    get: add('get'),
    post: add('post'),
    put: add('put'),
    delete: add('delete'),
  } as PolicedRouter;
}

/** Ticket credentials are redeemed by this hook (auth/stream-tickets.ts registers it). */
export type TicketRedeemer = (ctx: ServerContext, ticket: string) => Promise<Principal | null>;
let redeemTicket: TicketRedeemer | null = null;
export function useTicketRedeemer(redeemer: TicketRedeemer): void {
  redeemTicket = redeemer;
}

function gateFor(ctx: ServerContext, spec: RoutePolicy, label: string): PolicyMiddleware {
  const gate = (async (req: Request, res: Response, next: (error?: unknown) => void) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      if (spec.roles === 'public') {
        res.locals.input = spec.input?.(req);
        next();
        return;
      }
      if (req.credentialError) throw req.credentialError;
      let principal = req.principal;
      if (
        !principal &&
        spec.credentials === 'bearer-or-ticket' &&
        typeof req.query.ticket === 'string' &&
        redeemTicket
      ) {
        principal = (await redeemTicket(ctx, req.query.ticket)) ?? undefined;
        if (!principal)
          throw new AppError(
            401,
            'unauthorized',
            'The stream ticket is unknown, used or expired: ask for a new one (POST /api/v1/auth/stream-ticket).',
          );
        req.principal = principal;
      }
      if (!principal)
        throw new AppError(
          401,
          'unauthorized',
          'Send Authorization: Bearer <token> — an API key or a token from POST /api/v1/auth/login.',
        );
      const allowed = spec.roles.includes(principal.role);
      if (!allowed)
        throw new AppError(
          403,
          'forbidden',
          `Your role (${principal.role}) may not use this route; it needs one of: ${spec.roles.join(', ')}.`,
        );
      const viewer: Viewer = {
        principal,
        role: principal.role,
        list: listExposure(principal.role),
        record: recordExposure(principal.role),
      };
      const input = spec.input?.(req);
      spec.guard?.(req, viewer, input);
      res.locals.input = input;
      if (spec.concurrentPerPrincipal) {
        const lease = await acquireLease(
          ctx.redis,
          ctx.queues,
          `${label} ${principal.id}`,
          spec.concurrentPerPrincipal,
        ).catch((error: unknown) => {
          throw new AppError(
            503,
            'queue_unavailable',
            'Redis, which counts running exports and streams, is not reachable: try again shortly.',
            undefined,
            { cause: error },
          );
        });
        if ('running' in lease) {
          throw new AppError(
            429,
            'too_many_requests',
            `You have ${lease.running} of these running already (at most ${spec.concurrentPerPrincipal} at once): wait for one to finish or close it.`,
          );
        }
        res.once('close', lease.release);
        res.once('finish', lease.release);
      }
      res.locals.viewer = viewer;
      next();
    } catch (error) {
      next(error);
    }
  }) as PolicyMiddleware;
  gate[policyMark] = spec;
  return gate;
}

async function runJson(
  ctx: ServerContext,
  spec: JsonPolicy<unknown, unknown>,
  handler: JsonHandler<unknown, unknown>,
  req: Request,
  res: Response,
  viewer: Viewer | null,
  path: string,
): Promise<void> {
  const input: unknown = res.locals.input;
  const answer = await handler(req, viewer, input);
  if (res.headersSent)
    throw new Error(
      `route ${path} wrote its own answer; a JSON route returns its body to the policy`,
    );
  if ('redirect' in answer) {
    res.redirect(answer.status ?? 302, answer.redirect);
    return;
  }
  const status = answer.status ?? 200;
  if (spec.audit && viewer && status >= 200 && status < 300) {
    const subject = spec.audit.subject?.(req, answer.body) ?? {};
    await writeAudit(
      ctx,
      spec.audit.write,
      auditEntryFor(req, spec.audit.action, status, req.route?.path ?? path, subject),
    );
  }
  const body = spec.view && viewer ? spec.view(answer.body, viewer, input) : answer.body;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.status(status).json(body);
}

async function runStream(
  ctx: ServerContext,
  spec: StreamPolicy<unknown>,
  handler: StreamHandler<unknown>,
  req: Request,
  res: Response,
  viewer: Viewer | null,
): Promise<void> {
  if (!viewer) throw new AppError(401, 'unauthorized', 'Log in first.');
  let opened = false;
  const open: OpenStream = async (subject, headers) => {
    if (opened) throw new Error('a stream is opened once');
    opened = true;
    if (spec.audit)
      await writeAudit(
        ctx,
        spec.audit.write,
        auditEntryFor(req, spec.audit.action, 200, req.route?.path ?? req.path, subject),
      );
    res.status(200);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'no-store');
    return res;
  };
  await handler(req, viewer, open, res, res.locals.input);
  if (!opened && !res.headersSent) throw new Error('a streaming route ended without an answer');
}

async function writeAudit(
  ctx: ServerContext,
  write: 'stream' | 'direct' | undefined,
  entry: AuditEntry,
): Promise<void> {
  try {
    if (write === 'direct') await ctx.audit.recordNow(entry);
    else await ctx.audit.record(entry);
  } catch (error) {
    throw new AppError(
      503,
      'audit_unavailable',
      'The audit log cannot be written right now, so nothing is shown: try again in a moment.',
      undefined,
      { cause: error },
    );
  }
}

export function auditEntryFor(
  req: Request,
  action: AuditAction,
  status: number,
  route: string,
  facts: AuditSubject = {},
): AuditEntry {
  const principal = req.principal;
  return {
    at: new Date().toISOString(),
    action,
    actor: principal?.name ?? 'anonymous',
    actorId: principal?.id ?? 'anonymous',
    role: principal?.role ?? 'none',
    actorKind: principal?.kind ?? 'user',
    customerIds: facts.customerIds ?? [],
    route: route.replace(/:(\w+)/g, '{$1}'),
    method: req.method,
    status,
    ip: req.ip ?? null,
    userAgent: auditUserAgent(req.get('user-agent')),
    ...(facts.resultCount !== undefined ? { resultCount: facts.resultCount } : {}),
    ...(facts.details ? { details: facts.details } : {}),
  };
}

/** One route of the API as the router holds it. */
export interface PolicedRoute {
  method: string;
  path: string;
  policy: RoutePolicy | null;
}

interface LayerLike {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle?: { stack?: LayerLike[] };
}

/** Every route under a router, with the policy its first handler declares (null: none). */
export function routesOf(router: Router): PolicedRoute[] {
  const out: PolicedRoute[] = [];
  const walk = (stack: LayerLike[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const first = layer.route.stack[0]?.handle as Partial<PolicyMiddleware> | undefined;
        const declared = first?.[policyMark] ?? null;
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          out.push({ method: method.toUpperCase(), path: layer.route.path, policy: declared });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: LayerLike[] }).stack);
  return out;
}

/** Refuses to start an API with a route that declares no policy. */
export function assertEveryRoutePoliced(router: Router): void {
  const bare = routesOf(router).filter((r) => !r.policy);
  if (bare.length > 0) {
    throw new Error(
      `These routes declare no policy and would be unprotected: ${bare.map((r) => `${r.method} ${r.path}`).join(', ')}. Register them through policedRouter().`,
    );
  }
}

/** What one role gets from one route, as the README's table says it. */
export function shownTo(spec: RoutePolicy, role: Role): string {
  if (spec.roles === 'public') return 'public';
  if (!spec.roles.includes(role)) return '403';
  const shown = spec.shows?.[role] ?? 'full';
  return spec.guard && (shown === 'masked' || shown === 'minimal') ? `${shown} †` : shown;
}

/** The README's route × role table, made from the policies themselves. */
export function routeTable(routes: PolicedRoute[]): string {
  const lines = [
    `| route | ${allRoles.join(' | ')} | audited |`,
    `| --- | ${allRoles.map(() => '---').join(' | ')} | --- |`,
  ];
  for (const route of routes) {
    if (!route.policy) continue;
    const spec = route.policy;
    const audited = spec.audit
      ? `${spec.audit.action}${spec.audit.write === 'direct' ? ' (direct)' : ''}`
      : '';
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    lines.push(
      `| \`${route.method} /api/v1${path}\` | ${allRoles.map((r) => shownTo(spec, r)).join(' | ')} | ${audited} |`,
    );
  }
  return lines.join('\n');
}
