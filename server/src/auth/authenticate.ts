import type { RequestHandler } from 'express';
import type { Role } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { createHash } from 'node:crypto';
import { verifyToken } from './tokens';

export interface Principal {
  /** Stable and not secret: the account's id, or a key's id; what audit and rate limits key on. */
  id: string;
  name: string;
  role: Role;
  kind: 'user' | 'api-key';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Accepts an API key or a login token in `Authorization: Bearer …`. Accounts
 * come from the shared store (account-store.ts): a user removed, a role or a
 * password changed on any API process holds here within its cache time
 * (1 s); something this process does not know yet is looked up at once.
 */
export function authenticate(ctx: ServerContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      req.principal = await principalOf(ctx, req.headers.authorization ?? '');
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Sets `req.principal` when credentials are sent (401 when they are wrong)
 * and leaves it unset when none are: each route's policy decides whether it
 * needs one (privacy/route-policy.ts).
 */
export function identify(ctx: ServerContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      if (req.headers.authorization !== undefined) req.principal = await principalOf(ctx, req.headers.authorization);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** How an API key appears in the audit: its role and a prefix of its hash, never the key. */
export function apiKeyActorName(role: Role, key: string): string {
  return `api-key:${role}:${keyId(key).slice(0, 8)}`;
}

/** A key's id for the audit: a prefix of its hash, never the key. */
function keyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export async function principalOf(ctx: ServerContext, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError(401, 'unauthorized', 'Send Authorization: Bearer <token> — an API key or a token from POST /api/v1/auth/login.');
  const token = match[1];
  const accounts = ctx.auth.accounts;
  const claims = verifyToken(token, ctx.auth.secret);
  if (!claims) {
    // Not a login token: an API key, perhaps one made a moment ago on another process.
    const key = (await accounts.apiKey(token)) ?? (await accounts.apiKey(token, { fresh: true }));
    if (key) return { id: `key:${keyId(token)}`, name: apiKeyActorName(key.role, token), role: key.role, kind: 'api-key' };
    throw new AppError(401, 'unauthorized', 'The token is unknown or expired: log in again.');
  }
  const generation = claims.gen ?? 0;
  let account = await accounts.user(claims.sub);
  // Unknown here or of an older generation than the token: the cache may be behind another process.
  if (!account || account.tokenGeneration < generation) account = await accounts.user(claims.sub, { fresh: true });
  // A user an admin removed or changed loses the old token's rights (issue 6).
  if (!account) throw new AppError(401, 'unauthorized', 'This account no longer exists: ask an admin.');
  if (generation < account.tokenGeneration) throw new AppError(401, 'unauthorized', 'The password was changed since this token was issued: log in again.');
  return { id: `user:${claims.sub}`, name: claims.sub, role: account.role, kind: 'user' };
}
