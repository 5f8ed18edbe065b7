/**
 * The OpenAPI document, generated from the same zod schemas that validate
 * the requests (served at /api/openapi.json, browsable at /api/docs).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { dataSchemas, touchpointSchema, touchpointTypes } from '../../domain/src/contract';
import { streamTicketRequestSchema } from './auth/stream-tickets';
import { loginRequestSchema } from './auth/routes';
import { searchQuerySchema } from './customers/routes';
import { registerAnalyticsPaths } from './analytics/openapi-paths';
import { registerPrivacyPaths } from './privacy/openapi-paths';
import { registerIdentityPaths } from './identity/openapi-paths';
import { registerIngestPaths } from './ingest/openapi-paths';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

function jsonResponse(description: string, schema: z.ZodType = z.object({}).loose()) {
  return { description, content: { 'application/json': { schema } } };
}

const errors = {
  400: jsonResponse('invalid_request: details lists each problem', errorSchema),
  401: jsonResponse('unauthorized: missing or unknown token', errorSchema),
  403: jsonResponse('forbidden: the role may not use this route', errorSchema),
};

export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
  });
  const security = [{ [bearer.name]: [] }];
  // Schemas are inlined (not registered as components): zod 4 schemas carry no `.openapi()` method
  // unless zod is extended before they are created, and the contract schemas are created in domain/.
  const touchpoint = touchpointSchema;
  const dataByType = z.object(Object.fromEntries(touchpointTypes.map((t) => [t, dataSchemas[t]])));
  const ingestAnswer = z.object({
    accepted: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        errors: z.array(z.object({ path: z.string(), message: z.string() })),
      }),
    ),
  });

  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Log in a person; answers a token for Authorization: Bearer',
    request: { body: { content: { 'application/json': { schema: loginRequestSchema } } } },
    responses: { 200: jsonResponse('token, role, expiresAt'), 400: errors[400], 401: errors[401] },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/stream-ticket',
    security,
    summary:
      'A single-use ticket, valid 30 s, that opens one server-sent-event stream as the caller (EventSource sends no headers; a token never goes into a URL)',
    request: { body: { content: { 'application/json': { schema: streamTicketRequestSchema } } } },
    responses: {
      201: jsonResponse('ticket, expiresInSeconds'),
      400: errors[400],
      401: errors[401],
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/touchpoints',
    summary: 'Ingest touchpoints (role ingest); each item validated alone; at most 5,000 and 10 MB',
    security,
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.union([z.array(touchpoint), z.object({ touchpoints: z.array(touchpoint) })]),
          },
          'application/x-ndjson': { schema: z.string().describe('one touchpoint per line') },
        },
      },
    },
    responses: {
      202: jsonResponse('at least one accepted', ingestAnswer),
      400: jsonResponse('none accepted', ingestAnswer),
      401: errors[401],
      403: errors[403],
      413: jsonResponse('payload_too_large', errorSchema),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ingest/status',
    summary: 'Work in flight; when waiting and active are 0, everything accepted is searchable',
    security,
    responses: { 200: jsonResponse('waiting, active, failed, lastIndexedAt, deadLetters') },
  });
  registerIngestPaths(registry, security, errors);
  registry.registerPath({
    method: 'get',
    path: '/api/v1/customers/search',
    summary:
      'Find customers by name, phone, email or any number; facets and f.<facet>=<value> filters',
    security,
    request: { query: searchQuerySchema },
    responses: {
      200: jsonResponse('total, tookMs, items, facets'),
      400: errors[400],
      401: errors[401],
      403: errors[403],
    },
  });
  const idParam = z.object({ id: z.string() });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/customers/{id}',
    summary: 'The unified profile; 308 to the surviving profile after a merge',
    security,
    request: { params: idParam },
    responses: {
      200: jsonResponse('the profile'),
      308: { description: 'merged: Location is the surviving profile' },
      404: jsonResponse('unknown or erased', errorSchema),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/customers/{id}/timeline',
    summary: 'Touchpoints newest first, paged by cursor',
    security,
    request: {
      params: idParam,
      query: z.object({
        types: z
          .string()
          .optional()
          .describe('comma-separated touchpoint types, e.g. order,ticket'),
        before: z
          .string()
          .optional()
          .describe('an ISO timestamp or the `next` cursor of the previous page'),
        size: z.number().int().min(1).max(200).optional(),
        q: z
          .string()
          .max(200)
          .optional()
          .describe(
            'words to find in the touchpoints (type, source, id, data), umlaut-insensitive',
          ),
      }),
    },
    responses: {
      200: jsonResponse('items, next'),
      404: jsonResponse('unknown customer', errorSchema),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/customers/{id}/notes',
    summary:
      'Add an agent note: queued as a `note` touchpoint of source panorama (roles agent, manager)',
    security,
    request: {
      params: idParam,
      body: {
        content: {
          'application/json': {
            schema: z.object({ text: z.string().min(1).max(5000), pinned: z.boolean().optional() }),
          },
        },
      },
    },
    responses: {
      202: jsonResponse('key, customerId, occurredAt'),
      400: jsonResponse('invalid note', errorSchema),
      404: jsonResponse('unknown customer', errorSchema),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/touchpoints/{source}/{id}',
    summary: 'One stored touchpoint and its customer',
    security,
    request: { params: z.object({ source: z.string(), id: z.string() }) },
    responses: {
      200: jsonResponse('touchpoint, customerId'),
      404: jsonResponse('unknown', errorSchema),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/dashboard',
    summary: 'Manager dashboard figures (roles manager, analyst)',
    security,
    responses: {
      200: jsonResponse(
        'totals, customersBySegment, touchpointsPerChannelPerDay, openTicketsByPriority',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/touchpoint-types',
    summary: 'Reference: the `data` schema of each touchpoint type (documentation only)',
    responses: { 200: jsonResponse('data schemas by type', dataByType) },
  });
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    registry.registerPath({
      method: 'get',
      path,
      summary: 'Operations (no token)',
      responses: { 200: { description: 'ok' } },
    });
  }

  registerAnalyticsPaths(registry, security, errors);
  registerPrivacyPaths(registry, security, errors);
  registerIdentityPaths(registry, security, errors);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Panorama API',
      version: '1',
      description: 'Search-first Customer 360. See CONTRACT.md.',
    },
  });
}
