/**
 * Admin routes (issue 6): users and API keys, and the rebuild of every
 * profile. Every change is audited (actions `user-admin` and `rebuild`, no
 * passwords, keys or personal data in the entry).
 *
 * - `GET /api/v1/admin/users`, `POST /api/v1/admin/users`, `PUT /api/v1/admin/users/{username}`, `DELETE /api/v1/admin/users/{username}`
 * - `GET /api/v1/admin/api-keys`, `POST /api/v1/admin/api-keys`, `DELETE /api/v1/admin/api-keys/{name}`
 * - `POST /api/v1/admin/profiles/rebuild` (202 `{marked, pending}`), `GET /api/v1/admin/profiles/rebuild` (`{pending}`)
 */
import { Router, type Request } from 'express';
import { allow } from '../auth/authenticate';
import { createApiKeySchema, createUserSchema, UserAdmin, updateUserSchema, usernameSchema } from '../auth/user-admin';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { auditEntryFor } from '../privacy/privacy-gate';
import { profileRebuildSchema, profileRebuildStatus, rebuildEveryProfile } from './profile-rebuild';

function bearer(req: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

export function adminRoutes(ctx: ServerContext): Router {
  const router = Router();
  const admin = new UserAdmin(ctx);
  router.use('/admin', allow());
  const audit = (req: Request, status: number, route: string, details: Record<string, unknown>) =>
    ctx.audit.record(auditEntryFor(req, 'user-admin', status, route, { details }));

  router.get('/admin/users', async (_req, res) => {
    res.json({ items: await admin.listUsers() });
  });
  router.post('/admin/users', async (req, res) => {
    const parsed = createUserSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const created = await admin.createUser(parsed.data);
    audit(req, 201, '/admin/users', { change: 'create user', username: created.username, role: created.role });
    res.status(201).json(created);
  });
  router.put('/admin/users/:username', async (req, res) => {
    const username = usernameSchema.safeParse(req.params.username);
    if (!username.success) throw AppError.notFound(`No user ${String(req.params.username).slice(0, 50)}.`);
    const parsed = updateUserSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const updated = await admin.updateUser(username.data, parsed.data, req.principal?.name ?? '');
    audit(req, 200, '/admin/users/{username}', { change: 'update user', username: updated.username, role: updated.role, passwordChanged: Boolean(parsed.data.password) });
    res.json(updated);
  });
  router.delete('/admin/users/:username', async (req, res) => {
    const username = usernameSchema.safeParse(req.params.username);
    if (!username.success) throw AppError.notFound(`No user ${String(req.params.username).slice(0, 50)}.`);
    await admin.deleteUser(username.data, req.principal?.name ?? '');
    audit(req, 200, '/admin/users/{username}', { change: 'delete user', username: username.data });
    res.json({ deleted: true });
  });

  router.get('/admin/api-keys', async (_req, res) => {
    res.json({ items: await admin.listApiKeys() });
  });
  router.post('/admin/api-keys', async (req, res) => {
    const parsed = createApiKeySchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const created = await admin.createApiKey(parsed.data);
    audit(req, 201, '/admin/api-keys', { change: 'create API key', name: created.name, role: created.role });
    res.status(201).json(created);
  });
  router.delete('/admin/api-keys/:name', async (req, res) => {
    const name = String(req.params.name).slice(0, 60);
    await admin.deleteApiKey(name, bearer(req));
    audit(req, 200, '/admin/api-keys/{name}', { change: 'delete API key', name });
    res.json({ deleted: true });
  });

  router.post('/admin/profiles/rebuild', async (req, res) => {
    const parsed = profileRebuildSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw AppError.invalid(parsed.error, 'This request takes no options: send an empty JSON object or no body.');
    const answer = await rebuildEveryProfile(ctx);
    ctx.audit.record(auditEntryFor(req, 'rebuild', 202, '/admin/profiles/rebuild', { resultCount: answer.marked, details: { marked: answer.marked } }));
    res.status(202).json(answer);
  });
  router.get('/admin/profiles/rebuild', async (_req, res) => {
    res.json(await profileRebuildStatus(ctx));
  });
  return router;
}
