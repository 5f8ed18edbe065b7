/**
 * The data subject's rights and the audit trail as routes:
 * - `GET /api/v1/customers/{id}/export` (admin): everything stored about the customer;
 * - `DELETE /api/v1/customers/{id}` (admin): erasure, audited without personal data;
 * - `GET /api/v1/customers/{id}/viewers` (agent, manager, analyst): who looked at this customer recently;
 * - `GET /api/v1/audit` (admin): search the audit log.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { AppError, parsePathParam, parseRequest } from '../errors';
import { auditActions } from './audit-trail';
import { recentViewers, searchAudit } from './audit-repository';
import { eraseCustomer, suppressionOf } from './erase-customer';
import { exportCustomer } from './export-customer';
import { maskViewers } from './masking';
import { policedRouter, policy } from './route-policy';

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

export const auditQuerySchema = z
  .object({
    customerId: customerIdSchema.optional(),
    actor: z.string().min(1).max(200).optional(),
    action: z
      .string()
      .max(200)
      .transform((s) =>
        s
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.enum(auditActions, {
            message: `each action must be one of ${auditActions.join(', ')}`,
          }),
        ),
      )
      .optional(),
    from: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' })
      .optional(),
    to: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' })
      .optional(),
    size: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(9_800).default(0),
  })
  .strict();

export const viewersQuerySchema = z
  .object({ size: z.coerce.number().int().min(1).max(50).default(10) })
  .strict();

export interface PrivacyOptions {
  /** Put hashed identifiers of erased customers on the suppression list (PANORAMA_SUPPRESS_ERASED). */
  suppressErased: boolean;
  /** The suppression list's pepper, the indexers' too; required with suppressErased (the routes refuse to start without). */
  suppressionPepper?: string | null;
}

function parseId(raw: unknown): string {
  return parsePathParam(customerIdSchema, raw, `No customer ${String(raw).slice(0, 64)}.`);
}

export function privacyRoutes(ctx: ServerContext, options: PrivacyOptions): Router {
  const routes = policedRouter(ctx);
  const suppression = suppressionOf(options);

  routes.get(
    '/customers/:id/export',
    policy<CustomerData>({
      roles: ['admin'],
      personal: true,
      // The data subject's copy: only an admin gets it, whole.
      view: null,
      audit: {
        action: 'export',
        write: 'direct',
        subject: (_req, data) => ({
          customerIds: data.customerIds,
          resultCount: data.touchpoints.length,
        }),
      },
    }),
    async (req) => {
      const id = parseId(req.params.id);
      const data = await exportCustomer(ctx, id);
      if (!data) throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
      return {
        body: data,
        headers: {
          'Content-Disposition': `attachment; filename="customer-${data.customerId}.json"`,
        },
      };
    },
  );

  routes.delete(
    '/customers/:id',
    policy<{ erased: true } & Erasure>({
      roles: ['admin'],
      personal: false,
      shows: { admin: 'counts' },
      audit: {
        action: 'erase',
        write: 'direct',
        // Ids and counts only: the audit log must not keep what was erased.
        subject: (_req, result) => ({
          customerIds: result.customerIds,
          resultCount: result.touchpoints,
          details: {
            profiles: result.profiles,
            touchpoints: result.touchpoints,
            links: result.links,
            otherDocuments: result.otherDocuments,
            queuedTouchpointsRemoved: result.queuedTouchpointsRemoved,
            suppressedIdentifiers: result.suppressedIdentifiers,
            sharedIdentifiersKept: result.sharedIdentifiersKept,
            identityActionsRewritten: result.identityActionsRewritten,
          },
        }),
      },
    }),
    async (req) => {
      const id = parseId(req.params.id);
      const result = await eraseCustomer(ctx, id, { suppression });
      if (!result)
        throw AppError.notFound(`No customer ${id}: it never existed or was erased already.`);
      return { body: { erased: true as const, ...result } };
    },
  );

  routes.get(
    '/customers/:id/viewers',
    policy<{ items: Viewers }>({
      roles: ['agent', 'manager', 'analyst', 'admin'],
      // Colleagues and roles, no customer data; masked roles see roles and times only.
      personal: true,
      shows: { agent: 'full', manager: 'masked', analyst: 'masked', admin: 'full' },
      view: (answer, viewer) => ({ items: maskViewers(answer.items, viewer.record) }),
    }),
    async (req) => {
      const id = parseId(req.params.id);
      const { size } = parseRequest(viewersQuerySchema, req.query);
      return { body: { items: await recentViewers(ctx, id, size) } };
    },
  );

  routes.get(
    '/audit',
    policy<Awaited<ReturnType<typeof searchAudit>>>({
      roles: ['admin'],
      // Entries hold customer ids, actors and counts, never a customer's personal data.
      personal: false,
    }),
    async (req) => {
      return { body: await searchAudit(ctx, parseRequest(auditQuerySchema, req.query)) };
    },
  );

  return routes.router;
}

type Viewers = Awaited<ReturnType<typeof recentViewers>>;
type CustomerData = NonNullable<Awaited<ReturnType<typeof exportCustomer>>>;
type Erasure = NonNullable<Awaited<ReturnType<typeof eraseCustomer>>>;
