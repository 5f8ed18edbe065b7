import type { Router } from 'express';
import { z } from 'zod';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { getProfile } from '../customers/customer-repository';
import { AppError, parsePathParam, parseRequest } from '../errors';
import { addNote, addNoteSchema } from './add-note';

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

/** `POST /customers/{id}/notes` `{text, pinned?}` → 202 `{key, customerId, occurredAt}`; visible in the timeline once indexed. */
export function noteRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.post(
    '/customers/:id/notes',
    // The answer is the note's key and time; what was written stays in the request.
    policy({
      roles: ['agent', 'manager', 'admin'],
      personal: false,
      shows: { agent: 'own', manager: 'own', admin: 'own' },
    }),
    async (req, viewer) => {
      const id = parsePathParam(
        customerIdSchema,
        req.params.id,
        `No customer ${String(req.params.id).slice(0, 64)}.`,
      );
      const note = parseRequest(addNoteSchema, req.body ?? {});
      const found = await getProfile(ctx, id);
      if (found.kind === 'merged')
        return {
          redirect: `/api/v1/customers/${encodeURIComponent(found.into)}/notes`,
          status: 308,
        };
      if (found.kind === 'missing')
        throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
      return {
        status: 202,
        body: await addNote(ctx, found.profile, note, viewer?.principal.name ?? 'unknown'),
      };
    },
  );
  return routes.router;
}
