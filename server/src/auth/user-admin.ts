/**
 * Users and API keys managed by an admin (issue 6). The accounts live in
 * `ctx.auth` (what login and authentication read) and, when the server was
 * started from a DATA_DIR, in `<DATA_DIR>/credentials.json` (mode 0600, the
 * file auth/credentials.ts creates on first start), rewritten atomically on
 * every change. Passwords are hashed with scrypt; a generated password or a
 * new API key is shown once, in the answer that created it.
 *
 * Limitation: each API process holds its own copy; with several processes
 * on one DATA_DIR a change reaches the others when they restart.
 */
import type { ApiKeyView, UserView } from '../../../domain/src/api';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { roles, type Role } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { credentialsPath, type CredentialsFile } from './credentials';
import { hashPassword, randomSecret } from './passwords';

export const usernameSchema = z.string().regex(/^[a-z0-9._-]{2,50}$/, 'must be 2–50 characters of a-z, 0-9, dot, dash or underscore');
const peopleRoles = roles.filter((r) => r !== 'ingest') as [Exclude<Role, 'ingest'>, ...Exclude<Role, 'ingest'>[]];

export const createUserSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(peopleRoles),
    /** Left out: a random one is generated and answered once. */
    password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  })
  .strict();

export const updateUserSchema = z
  .object({
    role: z.enum(peopleRoles).optional(),
    password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  })
  .strict()
  .refine((u) => u.role !== undefined || u.password !== undefined, { message: 'send a role, a password or both' });

export const createApiKeySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9 ._-]{2,60}$/, 'must be 2–60 characters of letters, digits, space, dot, dash or underscore'),
    role: z.enum(roles),
  })
  .strict();

export type { ApiKeyView, UserView };

function keyName(k: { key: string; name?: string }): string {
  return k.name ?? `key …${k.key.slice(-4)}`;
}

export class UserAdmin {
  constructor(private readonly ctx: ServerContext) {}

  listUsers(): UserView[] {
    return this.ctx.auth.users.map((u) => ({ username: u.username, role: u.role })).sort((a, b) => a.username.localeCompare(b.username));
  }

  async createUser(input: z.infer<typeof createUserSchema>): Promise<UserView & { password: string | null }> {
    if (this.ctx.auth.users.some((u) => u.username === input.username)) throw new AppError(409, 'conflict', `A user ${input.username} exists already.`);
    const password = input.password ?? randomSecret(16);
    this.ctx.auth.users.push({ username: input.username, role: input.role, passwordHash: await hashPassword(password) });
    await this.save();
    return { username: input.username, role: input.role, password: input.password ? null : password };
  }

  async updateUser(username: string, input: z.infer<typeof updateUserSchema>, actor: string): Promise<UserView> {
    const user = this.ctx.auth.users.find((u) => u.username === username);
    if (!user) throw AppError.notFound(`No user ${username}.`);
    if (input.role && input.role !== 'admin' && user.role === 'admin') this.keepAnAdmin(username, actor);
    if (input.role) user.role = input.role;
    if (input.password) {
      user.passwordHash = await hashPassword(input.password);
      // Tokens carry their expiry; issue time = exp − TTL. Whole milliseconds, so a token issued in the same ms stays valid.
      user.tokensValidAfter = Date.now();
    }
    await this.save();
    return { username: user.username, role: user.role };
  }

  async deleteUser(username: string, actor: string): Promise<void> {
    const index = this.ctx.auth.users.findIndex((u) => u.username === username);
    if (index < 0) throw AppError.notFound(`No user ${username}.`);
    if (this.ctx.auth.users[index].role === 'admin') this.keepAnAdmin(username, actor);
    this.ctx.auth.users.splice(index, 1);
    await this.save();
  }

  private keepAnAdmin(username: string, actor: string): void {
    if (username === actor) throw new AppError(409, 'conflict', 'You cannot remove your own admin rights; ask another admin.');
    if (this.ctx.auth.users.filter((u) => u.role === 'admin').length <= 1) throw new AppError(409, 'conflict', 'This is the last admin: make someone else admin first.');
  }

  listApiKeys(): ApiKeyView[] {
    return this.ctx.auth.apiKeys.map((k) => ({ name: keyName(k), role: k.role, hint: k.key.slice(-4) }));
  }

  async createApiKey(input: z.infer<typeof createApiKeySchema>): Promise<ApiKeyView & { key: string }> {
    if (this.ctx.auth.apiKeys.some((k) => keyName(k) === input.name)) throw new AppError(409, 'conflict', `An API key named ${input.name} exists already.`);
    const key = randomSecret(32);
    this.ctx.auth.apiKeys.push({ role: input.role, key, name: input.name });
    await this.save();
    return { name: input.name, role: input.role, hint: key.slice(-4), key };
  }

  async deleteApiKey(name: string, usedKey: string | null): Promise<void> {
    const index = this.ctx.auth.apiKeys.findIndex((k) => keyName(k) === name);
    if (index < 0) throw AppError.notFound(`No API key named ${name}.`);
    if (usedKey && this.ctx.auth.apiKeys[index].key === usedKey) throw new AppError(409, 'conflict', 'This request is authenticated with that key: use another one to delete it.');
    this.ctx.auth.apiKeys.splice(index, 1);
    await this.save();
  }

  /** Writes users and named keys back to credentials.json (keys from PANORAMA_API_KEYS stay in the environment). */
  private async save(): Promise<void> {
    const dataDir = this.ctx.auth.dataDir;
    if (!dataDir) return;
    const file = credentialsPath(dataDir);
    const current = JSON.parse(await readFile(file, 'utf8')) as CredentialsFile;
    const initial = new Map(current.users.map((u) => [u.username, u]));
    const next: CredentialsFile = {
      ...current,
      users: this.ctx.auth.users.map((u) => {
        const before = initial.get(u.username);
        // A generated initial password stays readable only while it is still the password.
        return { username: u.username, role: u.role, passwordHash: u.passwordHash, initialPassword: before && before.passwordHash === u.passwordHash ? before.initialPassword : null };
      }),
      apiKeys: this.ctx.auth.apiKeys.filter((k) => k.name !== undefined).map((k) => ({ role: k.role, key: k.key, name: k.name as string })),
    };
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(next, null, 2), { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, file);
  }
}
