import type { Router } from 'express';
import type { Role } from '../../../domain/src/api';
import { z } from 'zod';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import { segmentPurposes } from '../../../domain/src/analytics/segment-audience';
import { marketingChannels } from '../../../domain/src/marketing-consent';
import { guardFilter } from '../privacy/oracles';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  segmentEvents,
  withExclusions,
} from './segment-repository';

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
     * `marketing`: members need marketing consent on every channel in
     * `consentChannels`; customers matching the filter without it are left out
     * and counted (`excludedWithoutConsent`). As with the marketing export,
     * there is no switch to include them; save without a purpose for an
     * audience that is not contacted for marketing.
     */
    purpose: z.enum(segmentPurposes).optional(),
    /** The channels the marketing will use, e.g. `["email"]`; required with `purpose: "marketing"`, refused without it. */
    consentChannels: z
      .array(z.enum(marketingChannels))
      .min(1, 'name at least one channel')
      .max(marketingChannels.length)
      .optional(),
  })
  .strict()
  .superRefine((segment, ctx) => {
    if (segment.purpose === 'marketing' && !segment.consentChannels) {
      ctx.addIssue({
        code: 'custom',
        path: ['consentChannels'],
        message: `a marketing segment needs the channels it will use, some of ${marketingChannels.join(', ')}`,
      });
    }
    if (!segment.purpose && segment.consentChannels) {
      ctx.addIssue({
        code: 'custom',
        path: ['purpose'],
        message: 'consentChannels need purpose "marketing"',
      });
    }
    if (
      segment.consentChannels &&
      new Set(segment.consentChannels).size !== segment.consentChannels.length
    ) {
      ctx.addIssue({ code: 'custom', path: ['consentChannels'], message: 'names a channel twice' });
    }
  });

export const segmentEventsQuerySchema = z.object({
  size: z.coerce.number().int().min(1).max(500).default(50),
});

const segmentIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

const segmentReaders = ['analyst', 'manager', 'admin'] as const satisfies readonly Role[];
const segmentWriters = ['analyst', 'admin'] as const satisfies readonly Role[];

export function segmentRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  // Segments are definitions and counts; their events name customers by id only.
  const counts = { analyst: 'counts', manager: 'counts', admin: 'counts' } as const;

  routes.get(
    '/segments',
    policy({ roles: segmentReaders, personal: false, shows: counts }),
    async () => ({ body: { items: await listSegments(ctx) } }),
  );

  routes.post(
    '/segments',
    policy({
      roles: segmentWriters,
      personal: false,
      shows: { analyst: 'counts', admin: 'counts' },
      input: (req) => parseRequest(createSegmentSchema, req.body),
      guard: (_req, viewer, segment) => guardFilter(viewer.role, segment.filter),
    }),
    async (_req, viewer, segment) => {
      const created = await createSegment(ctx, {
        ...segment,
        createdBy: viewer?.principal.name ?? 'unknown',
      });
      if (!created)
        throw new AppError(
          409,
          'conflict',
          `A segment named like "${segment.name}" exists already: pick another name or delete it first.`,
        );
      return {
        status: 201,
        body: { segment: created.segment, queuedForEvaluation: created.queued },
      };
    },
  );

  routes.get(
    '/segments/:id',
    policy({ roles: segmentReaders, personal: false, shows: counts }),
    async (req) => {
      const segment = await findSegment(ctx, req.params.id);
      return { body: { segment: await withExclusions(ctx, segment) } };
    },
  );

  routes.get(
    '/segments/:id/events',
    policy({ roles: segmentReaders, personal: false, shows: counts }),
    async (req) => {
      const segment = await findSegment(ctx, req.params.id);
      const { size } = parseRequest(segmentEventsQuerySchema, req.query);
      return { body: { items: await segmentEvents(ctx, segment.name, size) } };
    },
  );

  routes.delete(
    '/segments/:id',
    policy({ roles: segmentWriters, personal: false, shows: { analyst: 'own', admin: 'own' } }),
    async (req) => {
      const id = segmentIdSchema.safeParse(req.params.id);
      const deleted = id.success ? await deleteSegment(ctx, id.data) : null;
      if (!deleted) throw AppError.notFound(`No segment ${String(req.params.id).slice(0, 64)}.`);
      return { body: { deleted: true } };
    },
  );

  return routes.router;
}

async function findSegment(ctx: ServerContext, raw: unknown) {
  const id = segmentIdSchema.safeParse(raw);
  const segment = id.success ? await getSegment(ctx, id.data) : null;
  if (!segment) throw AppError.notFound(`No segment ${String(raw).slice(0, 64)}.`);
  return segment;
}
