import type { Request, Router } from 'express';
import { z } from 'zod';
import { touchpointTypes } from '../../../domain/src/contract';
import type { Role, TimelineAnswer } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import type { Profile, SearchAnswer } from '../../../domain/src/profile';
import { guardSearch, guardTimelineQuery } from '../privacy/oracles';
import {
  maskProfile,
  maskSearchAnswer,
  maskTimelineAnswer,
  maskTouchpoint,
  openTimelineCursor,
  openTouchpointId,
} from '../privacy/masking';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { AppError, parsePathParam, parseRequest } from '../errors';
import { getProfile, getTimeline, getTouchpoint, searchCustomers } from './customer-repository';
import { parseAsOf, profileAsOf } from '../snapshots/snapshot-repository';
import { facetFields, type FacetName } from './search-query';

export const searchQuerySchema = z.object({
  q: z.string().max(200, 'must be at most 200 characters').default(''),
  size: z.coerce.number().int().min(1).max(100).default(20),
  // from + size must stay within Elasticsearch's 10,000-hit window (size ≤ 100).
  from: z.coerce.number().int().min(0).max(9_900).default(0),
  /** `facets=false` skips the facet counts: the search box needs none, and they cost most of a typeahead's time. */
  facets: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});

export const timelineQuerySchema = z.object({
  types: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.enum(touchpointTypes, {
          message: `each type must be one of ${touchpointTypes.join(', ')}`,
        }),
      ),
    ),
  before: z.string().max(500).nullish(),
  size: z.coerce.number().int().min(1).max(200).default(30),
  /** Words to find in the customer's touchpoints (the timeline's search box). */
  q: z.string().max(200, 'must be at most 200 characters').default(''),
});

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

/** Every role that opens customers; ingest keys never do. */
export const customerReaders = [
  'agent',
  'manager',
  'analyst',
  'admin',
] as const satisfies readonly Role[];

const searchInput = (req: Request) => ({
  ...parseRequest(searchQuerySchema, req.query),
  filters: parseFilters(req.query),
});
const timelineInput = (req: Request) => parseRequest(timelineQuerySchema, req.query);

export function customerRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);

  routes.get(
    '/customers/search',
    policy<SearchAnswer, ReturnType<typeof searchInput>>({
      roles: customerReaders,
      personal: true,
      shows: { admin: 'full', agent: 'minimal', manager: 'masked', analyst: 'masked' },
      input: searchInput,
      guard: (_req, viewer, search) => guardSearch(viewer.role, search),
      view: (answer, viewer) => maskSearchAnswer(answer, viewer.list),
      audit: {
        action: 'search',
        subject: (req, answer) => {
          // The query text itself may be a phone number or a name: only its shape is kept.
          const q = typeof req.query.q === 'string' ? req.query.q : '';
          return {
            customerIds: answer.items.map((i) => i.id),
            resultCount: answer.total,
            details: {
              filters: Object.keys(req.query).filter((k) => k.startsWith('f.')),
              queryLength: q.length,
              queryEmpty: q.trim() === '',
            },
          };
        },
      },
    }),
    async (_req, _viewer, search) => ({ body: await searchCustomers(ctx, search) }),
  );

  routes.get(
    '/customers/:id',
    policy<Profile>({
      roles: customerReaders,
      personal: true,
      shows: { admin: 'full', agent: 'full', manager: 'masked', analyst: 'masked' },
      view: (profile, viewer) => maskProfile(profile, viewer.record),
      audit: {
        action: 'view',
        subject: (req, profile) => ({
          customerIds: [profile.id],
          ...(req.query.asOf !== undefined ? { details: { asOf: true } } : {}),
        }),
      },
    }),
    async (req) => {
      const id = parseId(req.params.id);
      const found = await getProfile(ctx, id);
      if (found.kind === 'merged')
        return { redirect: `/api/v1/customers/${encodeURIComponent(found.into)}`, status: 308 };
      if (found.kind === 'missing')
        throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
      if (req.query.asOf !== undefined) {
        // The customer view over time: the fold of the touchpoints up to that moment.
        const asOf = parseAsOf(req.query.asOf);
        const past = await profileAsOf(ctx, id, asOf);
        if (!past)
          throw AppError.notFound(
            `Customer ${id} had no touchpoints yet on ${asOf.toISOString()}.`,
          );
        return { body: { ...past, asOf: asOf.toISOString() } };
      }
      return { body: found.profile };
    },
  );

  routes.get(
    '/customers/:id/timeline',
    policy<TimelineAnswer, ReturnType<typeof timelineInput>>({
      roles: customerReaders,
      personal: true,
      shows: { admin: 'full', agent: 'full', manager: 'masked', analyst: 'masked' },
      input: timelineInput,
      guard: (_req, viewer, timeline) => guardTimelineQuery(viewer.role, timeline.q),
      view: (answer, viewer) => maskTimelineAnswer(answer, viewer.record),
      audit: {
        action: 'timeline',
        subject: (req, answer) => ({
          customerIds: [String(req.params.id)],
          resultCount: answer.items.length,
        }),
      },
    }),
    async (req, viewer, timeline) => {
      const id = parseId(req.params.id);
      const found = await getProfile(ctx, id);
      if (found.kind === 'merged') {
        const query = new URLSearchParams(req.query as Record<string, string>).toString();
        return {
          redirect: `/api/v1/customers/${encodeURIComponent(found.into)}/timeline${query ? `?${query}` : ''}`,
          status: 308,
        };
      }
      if (found.kind === 'missing')
        throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
      // Masked roles get sealed cursors (the plain one names the last touchpoint's key).
      const before = openTimelineCursor(timeline.before ?? null, viewer?.record ?? 'pseudonymized');
      return {
        body: await getTimeline(ctx, {
          customerId: id,
          types: timeline.types,
          before,
          size: timeline.size,
          q: timeline.q,
        }),
      };
    },
  );

  routes.get(
    '/touchpoints/:source/:id',
    policy<{ touchpoint: StoredTouchpoint; customerId: string }>({
      roles: ['agent', 'analyst', 'admin'],
      personal: true,
      shows: { admin: 'full', agent: 'full', analyst: 'masked' },
      view: (answer, viewer) => ({
        ...answer,
        touchpoint: maskTouchpoint(answer.touchpoint, viewer.record),
      }),
      audit: {
        action: 'touchpoint',
        subject: (_req, answer) => ({ customerIds: [answer.customerId].filter(Boolean) }),
      },
    }),
    async (req, viewer) => {
      const source = String(req.params.source);
      // Masked roles open touchpoints by the pseudonym their timeline shows, never by a source's own number.
      const id = openTouchpointId(source, String(req.params.id), viewer?.record ?? 'pseudonymized');
      const touchpoint = id === null ? null : await getTouchpoint(ctx, source, id);
      if (!touchpoint)
        throw AppError.notFound(
          `No touchpoint ${source.slice(0, 40)}:${String(req.params.id).slice(0, 200)}.`,
        );
      const { customerId, ...rest } = touchpoint;
      return { body: { touchpoint: rest as StoredTouchpoint, customerId } };
    },
  );

  return routes.router;
}

function parseId(raw: unknown): string {
  return parsePathParam(customerIdSchema, raw, `No customer ${String(raw).slice(0, 64)}.`);
}

/** `f.<facet>=<value>` (repeatable) → filters; an unknown facet is an error that lists the known ones. */
function parseFilters(query: Record<string, unknown>): Partial<Record<FacetName, string[]>> {
  const filters: Partial<Record<FacetName, string[]>> = {};
  const problems: { path: string; message: string }[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (!key.startsWith('f.')) continue;
    const facet = key.slice(2);
    // Own keys only: `f.constructor` or `f.__proto__` must not reach the prototype (found by the fuzz test).
    if (!Object.hasOwn(facetFields, facet)) {
      problems.push({
        path: key,
        message: `unknown filter; use one of ${Object.keys(facetFields)
          .map((f) => `f.${f}`)
          .join(', ')}`,
      });
      continue;
    }
    const values = (Array.isArray(raw) ? raw : [raw])
      .map(String)
      .filter((v) => v.length > 0 && v.length <= 200);
    filters[facet as FacetName] = values;
  }
  if (problems.length > 0)
    throw new AppError(
      400,
      'invalid_request',
      'The request has unknown filters: see details.',
      problems,
    );
  return filters;
}
