/** OpenAPI entries of the ingest routes beyond POST /touchpoints and GET /ingest/status (in openapi.ts). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { deadLetterQuerySchema } from './dead-letter-routes';

type Response = { description: string; content?: Record<string, { schema: z.ZodType }> };

export function registerIngestPaths(
  registry: OpenAPIRegistry,
  security: Record<string, string[]>[],
  errors: Record<number, Response>,
): void {
  const deadLetter = z.object({
    source: z.string(),
    id: z.string(),
    type: z.string(),
    reason: z.enum([
      'invalid_touchpoint',
      'id_too_long',
      'invalid_version',
      'rejected_by_elasticsearch',
    ]),
    detail: z
      .string()
      .describe(
        'machine detail: an Elasticsearch error type or the path of the failing field, never a value',
      ),
    occurredAt: z.string().nullable(),
    at: z.string().describe('when it was set aside'),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ingest/dead-letters',
    security,
    request: { query: deadLetterQuerySchema },
    summary:
      'Touchpoints that can never be stored (admin), newest first: set aside by the indexers so their batch is stored without them; no personal data',
    responses: {
      200: {
        description: 'total and items',
        content: {
          'application/json': {
            schema: z.object({ total: z.number().int(), items: z.array(deadLetter) }),
          },
        },
      },
      400: errors[400],
      401: errors[401],
      403: errors[403],
    },
  });
}
