/**
 * The data subject's rights and the audit trail as routes:
 * - `GET /api/v1/customers/{id}/export` (admin): everything stored about the customer;
 * - `DELETE /api/v1/customers/{id}` (admin): erasure, audited without personal data;
 * - `GET /api/v1/customers/{id}/viewers` (agent, manager, analyst): who looked at this customer recently;
 * - `GET /api/v1/audit` (admin): search the audit log.
 */
import { Router } from 'express';
import { z } from 'zod';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { auditActions } from './audit-trail';
import { recentViewers, searchAudit } from './audit-repository';
import { eraseCustomer, suppressionOf } from './erase-customer';
import { exportCustomer } from './export-customer';
import { auditEntryFor } from './privacy-gate';

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

export const auditQuerySchema = z
  .object({
    customerId: customerIdSchema.optional(),
    actor: z.string().min(1).max(200).optional(),
    action: z
      .string()
      .max(200)
      .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
      .pipe(z.array(z.enum(auditActions, { message: `each action must be one of ${auditActions.join(', ')}` })))
      .optional(),
    from: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' }).optional(),
    size: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(9_800).default(0),
  })
  .strict();

export const viewersQuerySchema = z.object({ size: z.coerce.number().int().min(1).max(50).default(10) }).strict();

export interface PrivacyOptions {
  /** Put hashed identifiers of erased customers on the suppression list (PANORAMA_SUPPRESS_ERASED). */
  suppressErased: boolean;
  /** The suppression list's pepper, the indexers' too; required with suppressErased (the routes refuse to start without). */
  suppressionPepper?: string | null;
}

function parseId(raw: unknown): string {
  const parsed = customerIdSchema.safeParse(raw);
  if (!parsed.success) throw AppError.notFound(`No customer ${String(raw).slice(0, 64)}.`);
  return parsed.data;
}

export function privacyRoutes(ctx: ServerContext, options: PrivacyOptions): Router {
  const router = Router();
  const adminOnly = allow();
  const suppression = suppressionOf(options);

  router.get('/customers/:id/export', adminOnly, async (req, res) => {
    const id = parseId(req.params.id);
    const data = await exportCustomer(ctx, id);
    if (!data) throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
    ctx.audit.record(
      auditEntryFor(req, 'export', 200, '/customers/{id}/export', {
        customerIds: data.customerIds,
        resultCount: data.touchpoints.length,
      }),
    );
    res.setHeader('Content-Disposition', `attachment; filename="customer-${data.customerId}.json"`);
    res.json(data);
  });

  router.delete('/customers/:id', adminOnly, async (req, res) => {
    const id = parseId(req.params.id);
    const result = await eraseCustomer(ctx, id, { suppression });
    if (!result) throw AppError.notFound(`No customer ${id}: it never existed or was erased already.`);
    // Ids and counts only: the audit log must not keep what was erased.
    ctx.audit.record(
      auditEntryFor(req, 'erase', 200, '/customers/{id}', {
        customerIds: result.customerIds,
        resultCount: result.touchpoints,
        details: {
          profiles: result.profiles,
          touchpoints: result.touchpoints,
          links: result.links,
          otherDocuments: result.otherDocuments,
          queuedTouchpointsRemoved: result.queuedTouchpointsRemoved,
          suppressedIdentifiers: result.suppressedIdentifiers,
        },
      }),
    );
    await ctx.audit.flush();
    res.json({ erased: true, ...result });
  });

  router.get('/customers/:id/viewers', allow('agent', 'manager', 'analyst'), async (req, res) => {
    const id = parseId(req.params.id);
    const parsed = viewersQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    res.json({ items: await recentViewers(ctx, id, parsed.data.size) });
  });

  router.get('/audit', adminOnly, async (req, res) => {
    const parsed = auditQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    res.json(await searchAudit(ctx, parsed.data));
  });

  return router;
}
