/**
 * One gate in front of the customer routes that (1) masks every answer by the
 * caller's role (masking.ts) and (2) records who looked at which customer in
 * the audit trail — after the answer is built, without waiting for the write.
 *
 * It wraps `res.json` of the routes it knows, so the routes themselves stay
 * thin and a new field in an answer is masked by the same rule as its
 * neighbours. Routes that are not listed here pass through unchanged; routes
 * that answer personal data must be added to `gatedRoutes`.
 */
import type { Request, RequestHandler } from 'express';
import type { Role } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import type { Profile, SearchAnswer } from '../../../domain/src/profile';
import type { ServerContext } from '../context';
import type { AuditAction, AuditEntry } from './audit-trail';
import { analyticsQuerySchema } from '../../../domain/src/analytics/query-schema';
import type { AnalyticsAnswer } from '../../../domain/src/analytics/query-schema';
import { listExposure, maskAnalyticsAnswer, maskMigrationCustomers, maskProfile, maskSearchAnswer, maskTimelineAnswer, maskTouchpoint, recordExposure } from './masking';

interface GatedRoute {
  method: string;
  pattern: RegExp;
  /** The route as written in the API docs, for the audit entry. */
  route: string;
  action: AuditAction;
  mask(role: Role, body: unknown, req?: Request): unknown;
  /** Customer ids the answer is about and facts for the audit entry. */
  subject(req: Request, body: unknown): { customerIds: string[]; resultCount?: number; details?: Record<string, unknown> };
}

const idPart = '([A-Za-z0-9_-]{1,64})';

export const gatedRoutes: GatedRoute[] = [
  {
    method: 'GET',
    pattern: /^\/customers\/search\/?$/,
    route: '/customers/search',
    action: 'search',
    mask: (role, body) => maskSearchAnswer(body as SearchAnswer, listExposure(role)),
    subject: (req, body) => {
      const answer = body as SearchAnswer;
      const filters = Object.keys(req.query).filter((k) => k.startsWith('f.'));
      // The query text itself may be a phone number or a name: only its shape is kept.
      const q = typeof req.query.q === 'string' ? req.query.q : '';
      return {
        customerIds: (answer.items ?? []).map((i) => i.id),
        resultCount: answer.total,
        details: { filters, queryLength: q.length, queryEmpty: q.trim() === '' },
      };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/customers/${idPart}/timeline/?$`),
    route: '/customers/{id}/timeline',
    action: 'timeline',
    mask: (role, body) => maskTimelineAnswer(body as { items: StoredTouchpoint[]; next: string | null }, recordExposure(role)),
    subject: (req, body) => ({ customerIds: [String(req.params.id ?? pathId(req))], resultCount: (body as { items?: unknown[] }).items?.length }),
  },
  {
    method: 'GET',
    pattern: /^\/touchpoints\/[^/]+\/[^/]+\/?$/,
    route: '/touchpoints/{source}/{id}',
    action: 'touchpoint',
    mask: (role, body) => {
      const answer = body as { touchpoint: StoredTouchpoint; customerId: string };
      return { ...answer, touchpoint: maskTouchpoint(answer.touchpoint, recordExposure(role)) };
    },
    subject: (_req, body) => ({ customerIds: [(body as { customerId: string }).customerId].filter(Boolean) }),
  },
  {
    method: 'POST',
    pattern: /^\/analytics\/query\/?$/,
    route: '/analytics/query',
    action: 'search',
    mask: (role, body, req) => maskAnalyticsAnswer(body as AnalyticsAnswer, listExposure(role), req ? analyticsQuerySchema.safeParse(req.body).data : undefined),
    subject: (_req, body) => {
      const answer = body as { total?: number; items?: { id: string }[] };
      return { customerIds: (answer.items ?? []).map((r) => r.id), resultCount: answer.total, details: { kind: 'analytics' } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/analytics\/migration\/customers\/?$/,
    route: '/analytics/migration/customers',
    action: 'search',
    mask: (role, body) => maskMigrationCustomers(body as { items: { id: string; name: string; segment: string | null }[] }, listExposure(role)),
    subject: (_req, body) => ({ customerIds: ((body as { items?: { id: string }[] }).items ?? []).map((r) => r.id), details: { kind: 'segment-migration' } }),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/customers/${idPart}/?$`),
    route: '/customers/{id}',
    action: 'view',
    mask: (role, body) => maskProfile(body as Profile, recordExposure(role)),
    subject: (_req, body) => ({ customerIds: [(body as Profile).id].filter(Boolean) }),
  },
];

function pathId(req: Request): string {
  return req.path.split('/')[2] ?? '';
}

export function auditEntryFor(req: Request, action: AuditAction, status: number, route: string, facts: Partial<AuditEntry> = {}): AuditEntry {
  const principal = req.principal;
  return {
    at: new Date().toISOString(),
    action,
    actor: principal?.name ?? 'anonymous',
    role: principal?.role ?? 'none',
    actorKind: principal?.kind ?? 'user',
    customerIds: [],
    route,
    method: req.method,
    status,
    ip: req.ip ?? null,
    userAgent: (req.get('user-agent') ?? '').slice(0, 256) || null,
    ...facts,
  };
}

export function privacyGate(ctx: ServerContext): RequestHandler {
  return (req, res, next) => {
    const identityAction = req.method === 'POST' ? /^\/identity\/(merge|not-same|split|detach|actions\/[^/]+\/undo)\/?$/.exec(req.path) : null;
    if (identityAction) {
      // Manual merges and splits by an admin (issue 3): who merged which customers. The identifier
      // of a detach is personal data and stays out; only the customer ids are kept.
      res.on('finish', () => {
        if (res.statusCode < 200 || res.statusCode >= 300) return;
        const body = (req.body ?? {}) as Record<string, unknown>;
        const customerIds = [body.a, body.b, body.customerId].filter((v): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v));
        ctx.audit.record(auditEntryFor(req, 'merge', res.statusCode, `/identity/${identityAction[1].startsWith('actions/') ? 'actions/{id}/undo' : identityAction[1]}`, { customerIds, details: { kind: identityAction[1].split('/')[0] } }));
      });
    }
    if (req.method === 'POST' && /^\/exports\/customers\/?$/.test(req.path)) {
      // A streamed CSV: masked row by row in exports/customer-export.ts; audited here once it is sent.
      res.on('finish', () => {
        if (res.statusCode !== 200) return;
        const total = Number(res.getHeader('X-Total-Count') ?? 0);
        ctx.audit.record(auditEntryFor(req, 'export', 200, '/exports/customers', { resultCount: total, details: { kind: 'csv' } }));
      });
    }
    const gated = gatedRoutes.find((r) => r.method === req.method && r.pattern.test(req.path));
    if (!gated) {
      next();
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const role = req.principal?.role;
      if (!role || res.statusCode < 200 || res.statusCode >= 300 || body === null || typeof body !== 'object') return json(body);
      const masked = gated.mask(role, body, req);
      try {
        const subject = gated.subject(req, body);
        ctx.audit.record(auditEntryFor(req, gated.action, res.statusCode, gated.route, subject));
      } catch {
        // Auditing must never break a lookup; a malformed answer is the route's problem, not ours.
      }
      return json(masked);
    };
    next();
  };
}
