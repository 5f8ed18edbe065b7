/** OpenAPI entries of the probabilistic matching routes (matching-routes.ts). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { matchRunSchema } from './matching-routes';

type Response = { description: string; content?: Record<string, { schema: z.ZodType }> };

export function registerMatchingPaths(
  registry: OpenAPIRegistry,
  security: Record<string, string[]>[],
  errors: Record<number, Response>,
): void {
  const json = (description: string): Response => ({
    description,
    content: { 'application/json': { schema: z.object({}).loose() } },
  });
  const common = { 401: errors[401], 403: errors[403] };
  registry.registerPath({
    method: 'get',
    path: '/api/v1/identity/matching',
    summary: 'The matching model, its thresholds and the last full pass with its progress (admin)',
    security,
    responses: { 200: json('{model, thresholds, run}'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/identity/matching/runs',
    summary:
      'Start a full matching pass over every customer (admin; resumes across indexer restarts)',
    security,
    request: { body: { content: { 'application/json': { schema: matchRunSchema } } } },
    responses: {
      202: json('{run}'),
      400: errors[400],
      409: json('a full pass is running already'),
      ...common,
    },
  });
}
