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
import { Router } from 'express';
import { z } from 'zod';
import {
  detachByAdmin,
  IdentityActionError,
  listActions,
  markNotSame,
  mergeByAdmin,
  splitByAdmin,
  undoAction,
} from '../../../indexers/src/identity/admin-actions';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { dataQuality, identityContext, suspectedDuplicates } from './identity-repository';

const customerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');
export const pairSchema = z.object({ a: customerId, b: customerId }).strict();
export const splitSchema = z.object({ customerId, touchpoints: z.array(z.string().min(3).max(241)).min(1).max(5_000) }).strict();
export const detachSchema = z
  .object({ customerId, identifier: z.string().regex(/^(email|phone|cnum|ext):.{1,300}$/, 'must be kind:value, e.g. email:anna@example.de') })
  .strict();
const duplicatesQuery = z.object({ size: z.coerce.number().int().min(1).max(500).default(50) });
const actionId = z.string().regex(/^a[a-z0-9]{6,40}$/, 'is not an action id');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.invalid(parsed.error);
  return parsed.data;
}

async function act<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IdentityActionError) throw new AppError(error.code === 'not_found' ? 404 : 409, error.code, error.message);
    throw error;
  }
}

export function identityRoutes(ctx: ServerContext): Router {
  const router = Router();
  const admin = allow();
  const ictx = identityContext(ctx);
  const by = (req: { principal?: { name: string } }) => req.principal?.name ?? 'unknown';

  router.get('/identity/duplicates', admin, async (req, res) => {
    const { size } = parse(duplicatesQuery, req.query);
    res.json({ items: await suspectedDuplicates(ctx, size) });
  });
  router.post('/identity/merge', admin, async (req, res) => {
    const { a, b } = parse(pairSchema, req.body);
    res.json(await act(() => mergeByAdmin(ictx, a, b, by(req))));
  });
  router.post('/identity/not-same', admin, async (req, res) => {
    const { a, b } = parse(pairSchema, req.body);
    res.json(await act(() => markNotSame(ictx, a, b, by(req))));
  });
  router.post('/identity/split', admin, async (req, res) => {
    const body = parse(splitSchema, req.body);
    res.json(await act(() => splitByAdmin(ictx, body.customerId, body.touchpoints, by(req))));
  });
  router.post('/identity/detach', admin, async (req, res) => {
    const body = parse(detachSchema, req.body);
    res.json(await act(() => detachByAdmin(ictx, body.customerId, body.identifier, by(req))));
  });
  router.get('/identity/actions', admin, async (_req, res) => {
    res.json({ items: await listActions(ictx) });
  });
  router.post('/identity/actions/:id/undo', admin, async (req, res) => {
    const id = parse(actionId, req.params.id);
    res.json(await act(() => undoAction(ictx, id, by(req))));
  });
  router.get('/data-quality', allow('manager', 'analyst'), async (_req, res) => {
    res.json(await dataQuality(ctx));
  });
  return router;
}
