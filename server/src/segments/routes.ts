import { Router } from 'express';
import { z } from 'zod';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import { segmentPurposes } from '../../../domain/src/analytics/segment-audience';
import { marketingChannels } from '../../../domain/src/marketing-consent';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { guardFilter } from '../privacy/oracles';
import { createSegment, deleteSegment, getSegment, listSegments, segmentEvents, withExclusions } from './segment-repository';

export const createSegmentSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(80, 'must be at most 80 characters')
      .regex(/[A-Za-z0-9]/, 'needs at least one letter or digit'),
    filter: boundedFilterSchema,
    /**
     * `marketing` (issue 6): members need marketing consent on every channel in
     * `consentChannels`; customers matching the filter without it are left out
     * and counted (`excludedWithoutConsent`). As with the marketing export,
     * there is no switch to include them; save without a purpose for an
     * audience that is not contacted for marketing.
     */
    purpose: z.enum(segmentPurposes).optional(),
    /** The channels the marketing will use, e.g. `["email"]`; required with `purpose: "marketing"`, refused without it. */
    consentChannels: z.array(z.enum(marketingChannels)).min(1, 'name at least one channel').max(marketingChannels.length).optional(),
  })
  .strict()
  .superRefine((segment, ctx) => {
    if (segment.purpose === 'marketing' && !segment.consentChannels) {
      ctx.addIssue({ code: 'custom', path: ['consentChannels'], message: `a marketing segment needs the channels it will use, some of ${marketingChannels.join(', ')}` });
    }
    if (!segment.purpose && segment.consentChannels) {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'consentChannels need purpose "marketing"' });
    }
    if (segment.consentChannels && new Set(segment.consentChannels).size !== segment.consentChannels.length) {
      ctx.addIssue({ code: 'custom', path: ['consentChannels'], message: 'names a channel twice' });
    }
  });

export const segmentEventsQuerySchema = z.object({ size: z.coerce.number().int().min(1).max(500).default(50) });

const segmentIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

export function segmentRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get('/segments', allow('analyst', 'manager'), async (_req, res) => {
    res.json({ items: await listSegments(ctx) });
  });

  router.post('/segments', allow('analyst'), async (req, res) => {
    const parsed = createSegmentSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    guardFilter(req.principal?.role ?? 'ingest', parsed.data.filter);
    const created = await createSegment(ctx, { ...parsed.data, createdBy: req.principal?.name ?? 'unknown' });
    if (!created) throw new AppError(409, 'conflict', `A segment named like "${parsed.data.name}" exists already: pick another name or delete it first.`);
    res.status(201).json({ segment: created.segment, queuedForEvaluation: created.queued });
  });

  router.get('/segments/:id', allow('analyst', 'manager'), async (req, res) => {
    const segment = await findSegment(ctx, req.params.id);
    res.json({ segment: await withExclusions(ctx, segment) });
  });

  router.get('/segments/:id/events', allow('analyst', 'manager'), async (req, res) => {
    const segment = await findSegment(ctx, req.params.id);
    const parsed = segmentEventsQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    res.json({ items: await segmentEvents(ctx, segment.name, parsed.data.size) });
  });

  router.delete('/segments/:id', allow('analyst'), async (req, res) => {
    const id = segmentIdSchema.safeParse(req.params.id);
    const deleted = id.success ? await deleteSegment(ctx, id.data) : null;
    if (!deleted) throw AppError.notFound(`No segment ${String(req.params.id).slice(0, 64)}.`);
    res.json({ deleted: true });
  });

  return router;
}

async function findSegment(ctx: ServerContext, raw: unknown) {
  const id = segmentIdSchema.safeParse(raw);
  const segment = id.success ? await getSegment(ctx, id.data) : null;
  if (!segment) throw AppError.notFound(`No segment ${String(raw).slice(0, 64)}.`);
  return segment;
}
