/**
 * OpenAPI entries of the personal-data, audit and user-admin routes, from
 * the same zod schemas that validate them.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { createApiKeySchema, createUserSchema, updateUserSchema } from '../auth/user-admin';
import { profileRebuildSchema } from '../admin/profile-rebuild';
import { auditQuerySchema, viewersQuerySchema } from './routes';

type Response = { description: string; content?: Record<string, { schema: z.ZodType }> };

export function registerPrivacyPaths(
  registry: OpenAPIRegistry,
  security: Record<string, string[]>[],
  errors: Record<number, Response>,
): void {
  const json = (description: string): Response => ({
    description,
    content: { 'application/json': { schema: z.object({}).loose() } },
  });
  const common = { 400: errors[400], 401: errors[401], 403: errors[403] };
  const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
  const id = z.object({ id: z.string() });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/customers/{id}/export',
    security,
    request: { params: id },
    summary:
      'Everything stored about a customer as one JSON document (admin): profile, touchpoints, identity links, snapshots, audit entries',
    responses: {
      200: json(
        'exportedAt, customerId, customerIds, profile, touchpoints, identityLinks, otherRecords, auditEntries',
      ),
      404: json('unknown or erased'),
      ...common,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/customers/{id}',
    security,
    request: { params: id },
    summary:
      'Erase a customer (admin): profile, touchpoints, identity links and redirects, snapshots, queued work and dirty entries; audited without personal data. First puts the hashed identifiers on the suppression list (on by default; PANORAMA_SUPPRESS_ERASED=0 turns it off), so records sent during or after the erasure are dropped; a phone shared with others is kept for them, without the erased holder',
    responses: {
      200: json('erased: true, customerIds and counts'),
      404: json('unknown or erased already'),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/customers/{id}/viewers',
    security,
    request: { params: id, query: viewersQuerySchema },
    summary: 'Who looked at this customer recently (agent, manager, analyst)',
    responses: { 200: json('items: actor, role, action, at'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/audit',
    security,
    request: { query: auditQuerySchema },
    summary: 'Search the append-only audit log (admin), newest first',
    responses: { 200: json('total, items'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/profiles/rebuild',
    security,
    request: body(profileRebuildSchema),
    summary:
      'Rebuild every profile in place with the current fold (admin): marks every live customer dirty for the running indexers; audited',
    responses: { 202: json('marked, pending'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/profiles/rebuild',
    security,
    summary:
      'Profiles still to rebuild (admin): the dirty set, live ingest included; 0 when every marked profile is rebuilt and searchable',
    responses: { 200: json('pending'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/users',
    security,
    summary: 'Users and their roles (admin)',
    responses: { 200: json('items'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/users',
    security,
    request: body(createUserSchema),
    summary: 'Create a user (admin); without a password one is generated and answered once',
    responses: { 201: json('username, role, password'), 409: json('exists'), ...common },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/v1/admin/users/{username}',
    security,
    request: { params: z.object({ username: z.string() }), ...body(updateUserSchema) },
    summary:
      'Change the role and/or password of a user (admin); effective on tokens already issued',
    responses: { 200: json('username, role'), 409: json('last admin or yourself'), ...common },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/admin/users/{username}',
    security,
    request: { params: z.object({ username: z.string() }) },
    summary: 'Delete a user (admin); its tokens stop working at once',
    responses: { 200: json('deleted'), 409: json('last admin or yourself'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/api-keys',
    security,
    summary: 'API keys by name, role and last 4 characters (admin)',
    responses: { 200: json('items'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/admin/api-keys',
    security,
    request: body(createApiKeySchema),
    summary: 'Create an API key (admin), answered once',
    responses: { 201: json('name, role, hint, key'), 409: json('exists'), ...common },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/admin/api-keys/{name}',
    security,
    request: { params: z.object({ name: z.string() }) },
    summary: 'Revoke an API key (admin)',
    responses: { 200: json('deleted'), ...common },
  });
}
