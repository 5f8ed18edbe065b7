/**
 * Admin routes: users and API keys, and the rebuild of every
 * profile. Every change is audited (actions `user-admin` and `rebuild`, no
 * passwords, keys or personal data in the entry).
 *
 * - `GET /api/v1/admin/users`, `POST /api/v1/admin/users`, `PUT /api/v1/admin/users/{username}`, `DELETE /api/v1/admin/users/{username}`
 * - `GET /api/v1/admin/api-keys`, `POST /api/v1/admin/api-keys`, `DELETE /api/v1/admin/api-keys/{name}`
 * - `POST /api/v1/admin/profiles/rebuild` (202 `{marked, pending}`), `GET /api/v1/admin/profiles/rebuild` (`{pending}`)
 */
import type { Request, Router } from 'express';
import type { Role } from '../../../domain/src/api';
import {
  createApiKeySchema,
  createUserSchema,
  UserAdmin,
  updateUserSchema,
  usernameSchema,
} from '../auth/user-admin';
import type { ServerContext } from '../context';
import { parsePathParam, parseRequest } from '../errors';
import { policedRouter, policy } from '../privacy/route-policy';
import { profileRebuildSchema, profileRebuildStatus, rebuildEveryProfile } from './profile-rebuild';

function bearer(req: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

const admins = ['admin'] as const satisfies readonly Role[];

export function adminRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  const admin = new UserAdmin(ctx);
  // Colleagues' accounts, never a customer's data; every change is audited without passwords or keys.
  const change = <B>(subject: (req: Request, body: B) => Record<string, unknown>) => ({
    action: 'user-admin' as const,
    subject: (req: Request, body: B) => ({ details: subject(req, body) }),
  });

  routes.get('/admin/users', policy({ roles: admins, personal: false }), async () => ({
    body: { items: await admin.listUsers() },
  }));
  routes.post(
    '/admin/users',
    policy<Awaited<ReturnType<UserAdmin['createUser']>>>({
      roles: admins,
      personal: false,
      audit: change((_req, created) => ({
        change: 'create user',
        username: created.username,
        role: created.role,
      })),
    }),
    async (req) => {
      const user = parseRequest(createUserSchema, req.body);
      return { status: 201, body: await admin.createUser(user) };
    },
  );
  routes.put(
    '/admin/users/:username',
    policy<Awaited<ReturnType<UserAdmin['updateUser']>>>({
      roles: admins,
      personal: false,
      audit: change((req, updated) => ({
        change: 'update user',
        username: updated.username,
        role: updated.role,
        passwordChanged: Boolean((req.body as { password?: unknown } | undefined)?.password),
      })),
    }),
    async (req, viewer) => {
      const username = parsePathParam(
        usernameSchema,
        req.params.username,
        `No user ${String(req.params.username).slice(0, 50)}.`,
      );
      const update = parseRequest(updateUserSchema, req.body);
      return {
        body: await admin.updateUser(username, update, viewer?.principal.name ?? ''),
      };
    },
  );
  routes.delete(
    '/admin/users/:username',
    policy<{ deleted: true; username: string }>({
      roles: admins,
      personal: false,
      audit: change((_req, body) => ({ change: 'delete user', username: body.username })),
    }),
    async (req, viewer) => {
      const username = parsePathParam(
        usernameSchema,
        req.params.username,
        `No user ${String(req.params.username).slice(0, 50)}.`,
      );
      await admin.deleteUser(username, viewer?.principal.name ?? '');
      return { body: { deleted: true as const, username } };
    },
  );

  routes.get('/admin/api-keys', policy({ roles: admins, personal: false }), async () => ({
    body: { items: await admin.listApiKeys() },
  }));
  routes.post(
    '/admin/api-keys',
    policy<Awaited<ReturnType<UserAdmin['createApiKey']>>>({
      roles: admins,
      personal: false,
      audit: change((_req, created) => ({
        change: 'create API key',
        name: created.name,
        role: created.role,
      })),
    }),
    async (req) => {
      const key = parseRequest(createApiKeySchema, req.body);
      return { status: 201, body: await admin.createApiKey(key) };
    },
  );
  routes.delete(
    '/admin/api-keys/:name',
    policy<{ deleted: true; name: string }>({
      roles: admins,
      personal: false,
      audit: change((_req, body) => ({ change: 'delete API key', name: body.name })),
    }),
    async (req) => {
      const name = String(req.params.name).slice(0, 60);
      await admin.deleteApiKey(name, bearer(req));
      return { body: { deleted: true as const, name } };
    },
  );

  routes.post(
    '/admin/profiles/rebuild',
    policy<Awaited<ReturnType<typeof rebuildEveryProfile>>>({
      roles: admins,
      personal: false,
      shows: { admin: 'counts' },
      audit: {
        action: 'rebuild',
        subject: (_req, answer) => ({
          resultCount: answer.marked,
          details: { marked: answer.marked },
        }),
      },
    }),
    async (req) => {
      parseRequest(
        profileRebuildSchema,
        req.body ?? {},
        'This request takes no options: send an empty JSON object or no body.',
      );
      return { status: 202, body: await rebuildEveryProfile(ctx) };
    },
  );
  routes.get(
    '/admin/profiles/rebuild',
    policy({ roles: admins, personal: false, shows: { admin: 'counts' } }),
    async () => ({ body: await profileRebuildStatus(ctx) }),
  );
  return routes.router;
}
