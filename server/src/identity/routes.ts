/**
 * Identity review and repair (admin), data quality (manager, analyst):
 *
 * - GET  /identity/duplicates            the steward's queue: total, pages, filters, sort
 * - POST /identity/duplicates/decisions  accept or reject many pairs, each on its own
 * - GET  /identity/duplicates/labels     decided pairs as labels (CSV or JSON), no names or contacts
 * - POST /identity/merge      {a, b}     merge two customers
 * - POST /identity/not-same   {a, b}     remember "not the same person"
 * - POST /identity/split      {customerId, touchpoints[]}   split records out
 * - POST /identity/detach     {customerId, identifier}      detach one identifier
 * - GET  /identity/actions               recent actions
 * - POST /identity/actions/{id}/undo     undo one
 * - GET  /data-quality                   figures for the data-quality page
 */
import type { Request, Router } from 'express';
import type { DuplicateDecisionResult, DuplicatesPage, Role } from '../../../domain/src/api';
import { z } from 'zod';
import {
  detachByAdmin,
  IdentityActionError,
  listActions,
  markNotSame,
  mergeByAdmin,
  splitByAdmin,
  undoAction,
} from '../../../store/src/identity/admin-actions';
import { areNotSame } from '../../../store/src/identity/not-same-marks';
import { policedRouter, policy, type Viewer } from '../privacy/route-policy';
import { storeContext, type ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import {
  getPairs,
  markDecided,
  pairIdOf,
  reopenPairsOfAction,
  closePairsOf,
} from '../../../store/src/matching/match-pairs';
import { decideDuplicates } from './decide-duplicates';
import { labelCsvHeader, labelCsvRow } from './duplicate-labels';
import {
  actionsOn,
  countDecidedPairs,
  dataQuality,
  decidedPairs,
  suspectedDuplicates,
} from './identity-repository';

const customerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');
export const pairSchema = z.object({ a: customerId, b: customerId }).strict();
export const splitSchema = z
  .object({ customerId, touchpoints: z.array(z.string().min(3).max(241)).min(1).max(5_000) })
  .strict();
export const detachSchema = z
  .object({
    customerId,
    identifier: z
      .string()
      .regex(/^(email|phone|cnum|ext):.{1,300}$/, 'must be kind:value, e.g. email:anna@example.de'),
  })
  .strict();
const score = z.coerce.number().min(0, 'must be 0..1').max(1, 'must be 0..1');
export const duplicatesQuery = z
  .object({
    size: z.coerce.number().int().min(1).max(500).default(50),
    after: z.string().min(1).max(500).optional(),
    status: z.enum(['open', 'merged', 'rejected', 'closed']).default('open'),
    minScore: score.optional(),
    maxScore: score.optional(),
    source: z.string().min(1).max(100).optional(),
    city: z.string().min(1).max(100).optional(),
    sort: z.enum(['score', '-score', 'newest']).default('score'),
  })
  .strict()
  .refine((q) => q.minScore === undefined || q.maxScore === undefined || q.minScore <= q.maxScore, {
    message: 'minScore must not be above maxScore',
    path: ['minScore'],
  });
const pairId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}\|[A-Za-z0-9_-]{1,64}$/, 'is not a pair id (a|b)')
  // The store's id is sorted; either order names the same pair.
  .transform((id) => pairIdOf(...(id.split('|') as [string, string])));
export const decisionsSchema = z
  .object({
    decisions: z
      .array(z.object({ pairId, decision: z.enum(['accept', 'reject']) }).strict())
      .min(1)
      .max(200),
  })
  .strict()
  .refine((b) => new Set(b.decisions.map((d) => d.pairId)).size === b.decisions.length, {
    message: 'each pair may be decided once per request',
    path: ['decisions'],
  });
export const labelsQuery = z.object({ format: z.enum(['csv', 'json']).default('csv') }).strict();
export const actionsQuery = z
  .object({
    /** Only the actions on this customer (and the ids merged into it). */
    customerId: customerId.optional(),
    size: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const actionId = z.string().regex(/^a[a-z0-9]{6,40}$/, 'is not an action id');

async function act<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IdentityActionError)
      throw new AppError(error.code === 'not_found' ? 404 : 409, error.code, error.message);
    throw error;
  }
}

const admins = ['admin'] as const satisfies readonly Role[];

export function identityRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  const ictx = storeContext(ctx);
  // Who repaired which customers: ids only; the identifier of a detach is personal data and stays out.
  const repair = (kind: string) => ({
    action: 'merge' as const,
    subject: (req: Request) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const customerIds = [body.a, body.b, body.customerId].filter(
        (v): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
      );
      return { customerIds, details: { kind } };
    },
  });
  // Admins repair identities and see them whole.
  const full = { roles: admins, personal: true, view: null } as const;
  /** A merge or mark made outside the queue decides the queue's open pair of the two too. */
  const decidedOutsideQueue = async (
    a: string,
    b: string,
    status: 'merged' | 'rejected',
    who: string,
    action: string,
  ) => {
    const id = pairIdOf(a, b);
    if ((await getPairs(ictx, [id])).get(id)?.status === 'open')
      await markDecided(ictx, [id], status, who, action);
  };

  routes.get(
    '/identity/duplicates',
    policy<DuplicatesPage, ReturnType<typeof parseDuplicatesQuery>>({
      ...full,
      input: parseDuplicatesQuery,
      // A list of people with their contacts: audited like a search with results.
      audit: {
        action: 'search',
        subject: (_req, answer) => ({
          customerIds: answer.items.flatMap((d) => [d.a.id, d.b.id]),
          resultCount: answer.items.length,
          details: { kind: 'duplicates', total: answer.total },
        }),
      },
    }),
    async (_req, _viewer, query) => ({ body: await suspectedDuplicates(ctx, query) }),
  );
  routes.post(
    '/identity/duplicates/decisions',
    policy<{ results: DuplicateDecisionResult[] }>({
      ...full,
      audit: {
        action: 'merge',
        subject: (req, answer) => {
          const asked = new Map(
            (
              (req.body as { decisions?: { pairId: string; decision: string }[] }).decisions ?? []
            ).map((d) => [pairIdOf(...(d.pairId.split('|') as [string, string])), d.decision]),
          );
          const done = answer.results.filter((r) => r.ok);
          return {
            customerIds: [...new Set(done.flatMap((r) => r.pairId.split('|')))],
            resultCount: done.length,
            details: {
              kind: 'decisions',
              accepted: done.filter((r) => asked.get(r.pairId) === 'accept').length,
              rejected: done.filter((r) => asked.get(r.pairId) === 'reject').length,
              failed: answer.results.length - done.length,
            },
          };
        },
      },
    }),
    async (req, viewer) => {
      const { decisions } = parseRequest(decisionsSchema, req.body);
      return { body: { results: await decideDuplicates(ctx, decisions, by(viewer)) } };
    },
  );
  routes.get(
    '/identity/duplicates/labels',
    policy({
      answer: 'stream',
      roles: admins,
      // Customer ids, decisions and levels: no names or contacts, but ids of people all the same.
      personal: true,
      input: (req) => parseRequest(labelsQuery, req.query),
      concurrentPerPrincipal: 2,
      audit: { action: 'export', write: 'direct' },
    }),
    async (_req, _viewer, open, res, { format }) => {
      const total = await countDecidedPairs(ctx);
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      const day = new Date().toISOString().slice(0, 10);
      const out = await open(
        { resultCount: total, details: { kind: 'labels', format } },
        {
          'Content-Type':
            format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename="duplicate-labels-${day}.${format}"`,
          'X-Total-Count': String(total),
        },
      );
      try {
        let written = 0;
        out.write(format === 'csv' ? `${labelCsvHeader}\n` : '{"items":[');
        for await (const labels of decidedPairs(ctx)) {
          if (closed) return;
          const rows = labels.map((l) => (format === 'csv' ? labelCsvRow(l) : JSON.stringify(l)));
          if (rows.length === 0) continue;
          const text =
            format === 'csv'
              ? `${rows.join('\n')}\n`
              : `${written > 0 ? ',' : ''}${rows.join(',')}`;
          written += rows.length;
          if (!out.write(text)) await new Promise((r) => out.once('drain', r));
        }
        out.end(format === 'csv' ? '' : ']}');
      } catch (error) {
        // Headers are gone: the only honest signal left is a broken stream.
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
  );
  routes.post(
    '/identity/merge',
    policy({ ...full, audit: repair('merge') }),
    async (req, viewer) => {
      const { a, b } = parseRequest(pairSchema, req.body);
      const action = await act(() => mergeByAdmin(ictx, a, b, by(viewer)));
      await decidedOutsideQueue(a, b, 'merged', by(viewer), action.id);
      await closePairsOf(ictx, [action.otherId]);
      return { body: action };
    },
  );
  routes.post(
    '/identity/not-same',
    policy({ ...full, audit: repair('not-same') }),
    async (req, viewer) => {
      const { a, b } = parseRequest(pairSchema, req.body);
      const action = await act(() => markNotSame(ictx, a, b, by(viewer)));
      await decidedOutsideQueue(a, b, 'rejected', by(viewer), action.id);
      return { body: action };
    },
  );
  routes.post(
    '/identity/split',
    policy({ ...full, audit: repair('split') }),
    async (req, viewer) => {
      const body = parseRequest(splitSchema, req.body);
      return {
        body: await act(() => splitByAdmin(ictx, body.customerId, body.touchpoints, by(viewer))),
      };
    },
  );
  routes.post(
    '/identity/detach',
    policy({ ...full, audit: repair('detach') }),
    async (req, viewer) => {
      const body = parseRequest(detachSchema, req.body);
      return {
        body: await act(() => detachByAdmin(ictx, body.customerId, body.identifier, by(viewer))),
      };
    },
  );
  routes.get('/identity/actions', policy({ ...full }), async (req) => {
    const { customerId: id, size } = parseRequest(actionsQuery, req.query);
    return { body: { items: id ? await actionsOn(ctx, id, size) : await listActions(ictx, size) } };
  });
  routes.post(
    '/identity/actions/:id/undo',
    policy({ ...full, audit: repair('actions') }),
    async (req, viewer) => {
      const id = parseRequest(actionId, req.params.id);
      const action = await act(() => undoAction(ictx, id, by(viewer)));
      // The two are apart again: the pair the action decided is back in the queue,
      // unless the undo itself says they are different people (an automatic merge undone is marked so).
      const reopened = await reopenPairsOfAction(ictx, id);
      if (
        reopened.length > 0 &&
        action.action === 'merge' &&
        (await areNotSame(ictx, action.customerId, action.otherId))
      )
        await markDecided(ictx, reopened, 'rejected', by(viewer), null);
      return { body: action };
    },
  );
  routes.get(
    '/data-quality',
    // Counts of duplicates, invalid values and sources: no customer rows.
    policy({
      roles: ['manager', 'analyst', 'admin'],
      personal: false,
      shows: { manager: 'counts', analyst: 'counts', admin: 'counts' },
    }),
    async () => ({ body: await dataQuality(ctx) }),
  );
  return routes.router;
}

function parseDuplicatesQuery(req: Request) {
  return parseRequest(duplicatesQuery, req.query);
}

function by(viewer: Viewer | null): string {
  return viewer?.principal.name ?? 'unknown';
}
