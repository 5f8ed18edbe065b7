/**
 * Users and API keys managed by an admin. They live in the shared
 * accounts store (account-store.ts: Elasticsearch, with a per-process cache
 * that Redis keeps in step), so a change made through one API process holds
 * on every other. Passwords are hashed with scrypt; a generated password or a
 * new API key is shown once, in the answer that created it.
 */
import type { ApiKeyView, UserView } from '../../../domain/src/api';
import { z } from 'zod';
import { roles, type Role } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { AdminLockBusy, apiKeyHash } from './account-store';
import { hashPassword, randomSecret } from './passwords';

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9._-]{2,50}$/, 'must be 2–50 characters of a-z, 0-9, dot, dash or underscore');
const peopleRoles = roles.filter((r) => r !== 'ingest') as [
  Exclude<Role, 'ingest'>,
  ...Exclude<Role, 'ingest'>[],
];

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
  .refine((u) => u.role !== undefined || u.password !== undefined, {
    message: 'send a role, a password or both',
  });

export const createApiKeySchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9 ._-]{2,60}$/,
        'must be 2–60 characters of letters, digits, space, dot, dash or underscore',
      ),
    role: z.enum(roles),
  })
  .strict();

export type { ApiKeyView, UserView };

export class UserAdmin {
  constructor(private readonly ctx: ServerContext) {}

  private get accounts() {
    return this.ctx.auth.accounts;
  }

  listUsers(): Promise<UserView[]> {
    return this.accounts.listUsers();
  }

  async createUser(
    input: z.infer<typeof createUserSchema>,
  ): Promise<UserView & { password: string | null }> {
    const password = input.password ?? randomSecret(16);
    const created = await this.accounts.createUser({
      username: input.username,
      role: input.role,
      passwordHash: await hashPassword(password),
    });
    if (!created) throw new AppError(409, 'conflict', `A user ${input.username} exists already.`);
    return {
      username: input.username,
      role: input.role,
      password: input.password ? null : password,
    };
  }

  async updateUser(
    username: string,
    input: z.infer<typeof updateUserSchema>,
    actor: string,
  ): Promise<UserView> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const update = async () => {
      const admins = (await this.accounts.listUsers()).filter((u) => u.role === 'admin');
      return this.accounts.updateUser(username, (user) => {
        if (input.role && input.role !== 'admin' && user.role === 'admin')
          keepAnAdmin(username, actor, admins.length);
        // A new password raises the token generation: tokens issued before are refused by every API process.
        return { role: input.role, passwordHash };
      });
    };
    // Only a change that may take admin rights away counts the admins, under the lock every process shares.
    const updated =
      input.role && input.role !== 'admin'
        ? await adminChange(this.accounts, update)
        : await update();
    if (!updated) throw AppError.notFound(`No user ${username}.`);
    return { username: updated.username, role: updated.role };
  }

  async deleteUser(username: string, actor: string): Promise<void> {
    await adminChange(this.accounts, async () => {
      const users = await this.accounts.listUsers();
      const user = users.find((u) => u.username === username);
      if (!user) throw AppError.notFound(`No user ${username}.`);
      if (user.role === 'admin')
        keepAnAdmin(username, actor, users.filter((u) => u.role === 'admin').length);
      if (!(await this.accounts.deleteUser(username)))
        throw AppError.notFound(`No user ${username}.`);
    });
  }

  listApiKeys(): Promise<ApiKeyView[]> {
    return this.accounts.listApiKeys();
  }

  async createApiKey(
    input: z.infer<typeof createApiKeySchema>,
  ): Promise<ApiKeyView & { key: string }> {
    const key = randomSecret(32);
    if (!(await this.accounts.createApiKey({ name: input.name, role: input.role, key })))
      throw new AppError(409, 'conflict', `An API key named ${input.name} exists already.`);
    return { name: input.name, role: input.role, hint: key.slice(-4), key };
  }

  async deleteApiKey(name: string, usedKey: string | null): Promise<void> {
    const stored = await this.accounts.findApiKey(name);
    if (!stored && this.accounts.isEnvironmentKey(name))
      throw new AppError(
        409,
        'conflict',
        'This key comes from PANORAMA_API_KEYS: remove it there and restart the API processes.',
      );
    if (!stored) throw AppError.notFound(`No API key named ${name}.`);
    if (usedKey && apiKeyHash(usedKey) === stored.keyHash)
      throw new AppError(
        409,
        'conflict',
        'This request is authenticated with that key: use another one to delete it.',
      );
    if (!(await this.accounts.deleteApiKey(name)))
      throw AppError.notFound(`No API key named ${name}.`);
  }
}

/** Runs a change that counts the admins under the lock all API processes share (AccountStore.withAdminLock). */
async function adminChange<T>(
  accounts: ServerContext['auth']['accounts'],
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await accounts.withAdminLock(fn);
  } catch (error) {
    if (error instanceof AdminLockBusy)
      throw new AppError(
        409,
        'conflict',
        'Another admin is changing users right now: try again in a moment.',
      );
    throw error;
  }
}

/** An admin cannot demote or delete themself, nor the last admin (counted under the shared lock, so two removals at once on two processes cannot both pass). */
function keepAnAdmin(username: string, actor: string, admins: number): void {
  if (username === actor)
    throw new AppError(
      409,
      'conflict',
      'You cannot remove your own admin rights; ask another admin.',
    );
  if (admins <= 1)
    throw new AppError(409, 'conflict', 'This is the last admin: make someone else admin first.');
}
