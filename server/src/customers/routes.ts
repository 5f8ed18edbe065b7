import { Router } from 'express';
import { z } from 'zod';
import { touchpointTypes } from '../../../domain/src/contract';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { getProfile, getTimeline, getTouchpoint, searchCustomers } from './customer-repository';
import { parseAsOf, profileAsOf } from '../snapshots/snapshot-repository';
import { facetFields, type FacetName } from './search-query';
import { openTimelineCursor, openTouchpointId, recordExposure } from '../privacy/masking';
import { guardSearch, guardTimelineQuery } from '../privacy/oracles';

export const searchQuerySchema = z.object({
  q: z.string().max(200, 'must be at most 200 characters').default(''),
  size: z.coerce.number().int().min(1).max(100).default(20),
  // from + size must stay within Elasticsearch's 10,000-hit window (size ≤ 100).
  from: z.coerce.number().int().min(0).max(9_900).default(0),
  /** `facets=false` skips the facet counts: the search box needs none, and they cost most of a typeahead's time. */
  facets: z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).default('true').transform((v) => v === 'true' || v === '1'),
});

export const timelineQuerySchema = z.object({
  types: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(touchpointTypes, { message: `each type must be one of ${touchpointTypes.join(', ')}` }))),
  before: z.string().max(500).nullish(),
  size: z.coerce.number().int().min(1).max(200).default(30),
  /** Words to find in the customer's touchpoints (issue 4). */
  q: z.string().max(200, 'must be at most 200 characters').default(''),
});

const customerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a customer id');

export function customerRoutes(ctx: ServerContext): Router {
  const router = Router();
  const readers = allow('agent', 'manager', 'analyst');

  router.get('/customers/search', readers, async (req, res) => {
    const parsed = searchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const filters = parseFilters(req.query);
    guardSearch(req.principal?.role ?? 'ingest', { q: parsed.data.q, filters: filters as Record<string, string[]> });
    res.json(await searchCustomers(ctx, { ...parsed.data, filters }));
  });

  router.get('/customers/:id', readers, async (req, res) => {
    const id = parseId(req.params.id);
    const found = await getProfile(ctx, id);
    if (found.kind === 'merged') {
      res.redirect(308, `/api/v1/customers/${encodeURIComponent(found.into)}`);
      return;
    }
    if (found.kind === 'missing') throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
    if (req.query.asOf !== undefined) {
      // The customer view over time (issue 5): the fold of the touchpoints up to that moment.
      const asOf = parseAsOf(req.query.asOf);
      const past = await profileAsOf(ctx, id, asOf);
      if (!past) throw AppError.notFound(`Customer ${id} had no touchpoints yet on ${asOf.toISOString()}.`);
      res.json({ ...past, asOf: asOf.toISOString() });
      return;
    }
    res.json(found.profile);
  });

  router.get('/customers/:id/timeline', readers, async (req, res) => {
    const id = parseId(req.params.id);
    const parsed = timelineQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    guardTimelineQuery(req.principal?.role ?? 'ingest', parsed.data.q);
    const before = openTimelineCursor(parsed.data.before ?? null, recordExposure(req.principal?.role ?? 'ingest'));
    const found = await getProfile(ctx, id);
    if (found.kind === 'merged') {
      const query = new URLSearchParams(req.query as Record<string, string>).toString();
      res.redirect(308, `/api/v1/customers/${encodeURIComponent(found.into)}/timeline${query ? `?${query}` : ''}`);
      return;
    }
    if (found.kind === 'missing') throw AppError.notFound(`No customer ${id}: it never existed or was erased.`);
    res.json(await getTimeline(ctx, { customerId: id, types: parsed.data.types, before, size: parsed.data.size, q: parsed.data.q }));
  });

  router.get('/touchpoints/:source/:id', allow('agent', 'analyst'), async (req, res) => {
    const source = String(req.params.source);
    const id = openTouchpointId(source, String(req.params.id), recordExposure(req.principal?.role ?? 'ingest'));
    const touchpoint = id === null ? null : await getTouchpoint(ctx, source, id);
    if (!touchpoint) throw AppError.notFound(`No touchpoint ${source}:${String(req.params.id).slice(0, 200)}.`);
    const { customerId, ...rest } = touchpoint;
    res.json({ touchpoint: rest, customerId });
  });

  return router;
}

function parseId(raw: unknown): string {
  const parsed = customerIdSchema.safeParse(raw);
  if (!parsed.success) throw AppError.notFound(`No customer ${String(raw).slice(0, 64)}.`);
  return parsed.data;
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
      problems.push({ path: key, message: `unknown filter; use one of ${Object.keys(facetFields).map((f) => `f.${f}`).join(', ')}` });
      continue;
    }
    const values = (Array.isArray(raw) ? raw : [raw]).map(String).filter((v) => v.length > 0 && v.length <= 200);
    filters[facet as FacetName] = values;
  }
  if (problems.length > 0) throw new AppError(400, 'invalid_request', 'The request has unknown filters: see details.', problems);
  return filters;
}
