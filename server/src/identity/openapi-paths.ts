/** OpenAPI entries of the identity review and repair and the data-quality routes, from the zod schemas that validate them. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  actionsQuery,
  decisionsSchema,
  detachSchema,
  duplicatesQuery,
  labelsQuery,
  pairSchema,
  splitSchema,
} from './routes';
import { matchRunSchema } from './matching-routes';

type Response = { description: string; content?: Record<string, { schema: z.ZodType }> };

export function registerIdentityPaths(
  registry: OpenAPIRegistry,
  security: Record<string, string[]>[],
  errors: Record<number, Response>,
): void {
  const json = (description: string): Response => ({
    description,
    content: { 'application/json': { schema: z.object({}).loose() } },
  });
  const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
  const common = { 400: errors[400], 401: errors[401], 403: errors[403] };
  const acting = {
    ...common,
    404: json('unknown customer, record or action'),
    409: json('the action does not apply (already one customer, already undone)'),
  };
  registry.registerPath({
    method: 'get',
    path: '/api/v1/identity/duplicates',
    summary:
      "The steward's queue (admin): pairs proposed by probabilistic matching, with the exact total, pages by `after` (the `next` of the page before), filters and sort",
    security,
    request: { query: duplicatesQuery },
    responses: {
      200: json(
        '{items: [{pairId, a, b, reasons, score, weight, status, fields, modelVersion, createdAt, decidedBy, decidedAt}], total, next}',
      ),
      ...common,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/duplicates/decisions',
    summary:
      'Accept (undoable merge, explanation kept on the action) or reject ("not the same") up to 200 pairs; each on its own',
    security,
    request: body(decisionsSchema),
    responses: {
      200: json(
        '{results: [{pairId, ok, actionId?, error?: {code: not_found | conflict | merged_away | failed, message}}]}',
      ),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/identity/duplicates/labels',
    summary:
      'Decided pairs as labels (admin): pairId, a, b, label (match / non-match), decidedBy, decidedAt, score, weight, modelVersion and the level per field; no names or contacts',
    security,
    request: { query: labelsQuery },
    responses: {
      200: {
        description: 'CSV (one row per pair, `level_<field>` columns) or JSON `{items: [...]}`',
        content: {
          'text/csv': { schema: z.string() },
          'application/json': { schema: z.object({}).loose() },
        },
      },
      ...common,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/merge',
    summary: 'Merge two customers into the older one (admin, undoable)',
    security,
    request: body(pairSchema),
    responses: { 200: json('the recorded action'), ...acting },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/not-same',
    summary: 'Remember that two customers are different people (admin, undoable)',
    security,
    request: body(pairSchema),
    responses: { 200: json('the recorded action'), ...acting },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/split',
    summary: 'Split records out of a wrongly merged customer (admin, undoable)',
    security,
    request: body(splitSchema),
    responses: { 200: json('the recorded action; otherId is the new customer'), ...acting },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/detach',
    summary: 'Detach one identifier: the records carrying it leave with it (admin, undoable)',
    security,
    request: body(detachSchema),
    responses: { 200: json('the recorded action'), ...acting },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/identity/actions',
    summary:
      'Recent identity actions (admin); with customerId, those on that customer and the ids merged into it',
    security,
    request: { query: actionsQuery },
    responses: { 200: json('{items: [...]}'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/actions/{id}/undo',
    summary: 'Undo one identity action (admin)',
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json('the action, with undoneAt'), ...acting },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/data-quality',
    summary: 'Data-quality figures (manager, analyst)',
    security,
    responses: {
      200: json(
        'valid shares, consent coverage, open duplicates (the exact count of the queue), their trend per day (duplicatesTrend), profiles per source, worst sources',
      ),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/identity/matching',
    summary: 'The matching model, its thresholds and the last full pass with its progress (admin)',
    security,
    responses: { 200: json('{model, thresholds, run}'), 401: errors[401], 403: errors[403] },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/matching/runs',
    summary:
      'Start a full matching pass over every customer (admin; resumes across indexer restarts)',
    security,
    request: body(matchRunSchema),
    responses: { 202: json('{run}'), 409: json('a full pass is running already'), ...common },
  });
}
