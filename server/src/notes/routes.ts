import { Router } from 'express';
import { z } from 'zod';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { getProfile } from '../customers/customer-repository';
import { AppError } from '../errors';
import { addNote, addNoteSchema } from './add-note';

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

/** `POST /customers/{id}/notes` `{text, pinned?}` → 202 `{key, customerId, occurredAt}`; visible in the timeline once indexed. */
export function noteRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/customers/:id/notes', allow('agent', 'manager'), async (req, res) => {
    const id = customerIdSchema.safeParse(req.params.id);
    if (!id.success) throw AppError.notFound(`No customer ${String(req.params.id).slice(0, 64)}.`);
    const input = addNoteSchema.safeParse(req.body ?? {});
    if (!input.success) throw AppError.invalid(input.error);
    const found = await getProfile(ctx, id.data);
    if (found.kind === 'merged') {
      res.redirect(308, `/api/v1/customers/${encodeURIComponent(found.into)}/notes`);
      return;
    }
    if (found.kind === 'missing') throw AppError.notFound(`No customer ${id.data}: it never existed or was erased.`);
    const author = req.principal?.name ?? 'unknown';
    res.status(202).json(await addNote(ctx, found.profile, input.data, author));
  });
  return router;
}
