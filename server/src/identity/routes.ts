/**
 * Identity review and repair (admin), data quality (manager, analyst):
 *
 * - GET  /identity/duplicates            suspected duplicates for review
 * - POST /identity/merge      {a, b}     merge two customers
 * - POST /identity/not-same   {a, b}     remember "not the same person"
 * - POST /identity/split      {customerId, touchpoints[]}   split records out
 * - POST /identity/detach     {customerId, identifier}      detach one identifier
 * - GET  /identity/actions               recent actions
 * - POST /identity/actions/{id}/undo     undo one
 * - GET  /data-quality                   figures for the data-quality page
 */
import type { Request, Router } from 'express';
import type { Role, SuspectedDuplicate } from '../../../domain/src/api';
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
import { policedRouter, policy, type Viewer } from '../privacy/route-policy';
import { storeContext, type ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import { dataQuality, suspectedDuplicates } from './identity-repository';

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
const duplicatesQuery = z.object({ size: z.coerce.number().int().min(1).max(500).default(50) });
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

  routes.get(
    '/identity/duplicates',
    policy<{ items: SuspectedDuplicate[] }>({
      ...full,
      // A list of people with their contacts: audited like a search with results.
      audit: {
        action: 'search',
        subject: (_req, answer) => ({
          customerIds: answer.items.flatMap((d) => [d.a.id, d.b.id]),
          resultCount: answer.items.length,
          details: { kind: 'duplicates' },
        }),
      },
    }),
    async (req) => {
      const { size } = parseRequest(duplicatesQuery, req.query);
      return { body: { items: await suspectedDuplicates(ctx, size) } };
    },
  );
  routes.post(
    '/identity/merge',
    policy({ ...full, audit: repair('merge') }),
    async (req, viewer) => {
      const { a, b } = parseRequest(pairSchema, req.body);
      return { body: await act(() => mergeByAdmin(ictx, a, b, by(viewer))) };
    },
  );
  routes.post(
    '/identity/not-same',
    policy({ ...full, audit: repair('not-same') }),
    async (req, viewer) => {
      const { a, b } = parseRequest(pairSchema, req.body);
      return { body: await act(() => markNotSame(ictx, a, b, by(viewer))) };
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
  routes.get('/identity/actions', policy({ ...full }), async () => ({
    body: { items: await listActions(ictx) },
  }));
  routes.post(
    '/identity/actions/:id/undo',
    policy({ ...full, audit: repair('actions') }),
    async (req, viewer) => {
      const id = parseRequest(actionId, req.params.id);
      return { body: await act(() => undoAction(ictx, id, by(viewer))) };
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

function by(viewer: Viewer | null): string {
  return viewer?.principal.name ?? 'unknown';
}
