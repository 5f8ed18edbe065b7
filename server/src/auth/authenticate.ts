import type { RequestHandler } from 'express';
import type { Role } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { apiKeyHash } from './account-store';
import { verifyToken } from './tokens';

/** Who a request acts for, as the audit, the rate limits and the routes see it. */
export interface Principal {
  /**
   * Stable and not secret. A user: the account's immutable id (a user deleted
   * and created again under the same name is another principal). An API key:
   * `key:<first 12 hex of the key's SHA-256>`.
   */
  id: string;
  /**
   * Who it is, for people reading the audit: the username; the name an admin
   * gave an API key; for a key from PANORAMA_API_KEYS (which has none)
   * `env-key:<role>:<8 hex of the key's SHA-256>` — never the key itself.
   */
  name: string;
  role: Role;
  kind: 'user' | 'api-key';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Credentials were sent and are wrong: every route but the login answers this (route-policy.ts). */
    credentialError?: AppError;
  }
}

/** How a key from PANORAMA_API_KEYS is named in the audit: its role and a prefix of its hash. */
export function environmentKeyName(role: Role, keyHash: string): string {
  return `env-key:${role}:${keyHash.slice(0, 8)}`;
}

/*
 * Accounts come from the shared store (account-store.ts): a user removed, a
 * role or a password changed on any API process holds here within its cache
 * time (1 s); something this process does not know yet is looked up at once.
 */

/**
 * Names the caller before anything counts its requests (the rate limit keys
 * on `req.principal.id`, so `bearer`, extra spaces or a suffix on the same
 * token are one caller). Sets `req.principal` when an Authorization header
 * names a caller; when the header names none, keeps the 401 in
 * `req.credentialError` so the limit still counts the attempt (by address)
 * and the route's policy answers it; an anonymous request is left alone for
 * the policy to refuse (every route but the login needs a caller).
 */
export function identify(ctx: ServerContext): RequestHandler {
  return async (req, _res, next) => {
    try {
      const header = req.headers.authorization;
      if (header !== undefined) req.principal = await principalOf(ctx, header);
    } catch (error) {
      // Refused by the route's policy (401), after the API limit has counted the attempt by address.
      if (!(error instanceof AppError)) throw error;
      req.credentialError = error;
    }
    next();
  };
}

/** The principal an Authorization header names; 401 (AppError) when it names none. */
export async function principalOf(ctx: ServerContext, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw new AppError(
      401,
      'unauthorized',
      'Send Authorization: Bearer <token> — an API key or a token from POST /api/v1/auth/login.',
    );
  const token = match[1];
  const accounts = ctx.auth.accounts;
  const claims = verifyToken(token, ctx.auth.secret);
  if (!claims) {
    // Not a login token: an API key, perhaps one made a moment ago on another process.
    const key = (await accounts.apiKey(token)) ?? (await accounts.apiKey(token, { fresh: true }));
    if (key)
      return {
        id: `key:${key.keyId}`,
        name: key.name ?? environmentKeyName(key.role, apiKeyHash(token)),
        role: key.role,
        kind: 'api-key',
      };
    throw new AppError(401, 'unauthorized', 'The token is unknown or expired: log in again.');
  }
  let account = await accounts.user(claims.sub);
  // Unknown here, another account of that name, or of an older generation than the token: the cache may be behind another process.
  if (!account || account.id !== claims.uid || account.tokenGeneration < claims.gen)
    account = await accounts.user(claims.sub, { fresh: true });
  // A user an admin removed or changed loses the old token's rights; a user of the same name created since is someone else.
  if (!account || account.id !== claims.uid)
    throw new AppError(401, 'unauthorized', 'This account no longer exists: ask an admin.');
  if (claims.gen < account.tokenGeneration)
    throw new AppError(
      401,
      'unauthorized',
      'The password was changed since this token was issued: log in again.',
    );
  return { id: account.id, name: account.username, role: account.role, kind: 'user' };
}
