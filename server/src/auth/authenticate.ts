import type { RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Role } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { verifyToken } from './tokens';

export interface Principal {
  name: string;
  role: Role;
  kind: 'user' | 'api-key';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Accepts an API key or a login token in `Authorization: Bearer …`. */
export function authenticate(ctx: ServerContext): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      next(new AppError(401, 'unauthorized', 'Send Authorization: Bearer <token> — an API key or a token from POST /api/v1/auth/login.'));
      return;
    }
    const token = match[1];
    const key = ctx.auth.apiKeys.find((k) => safeEqual(k.key, token));
    if (key) {
      req.principal = { name: `api-key:${key.role}`, role: key.role, kind: 'api-key' };
      next();
      return;
    }
    const claims = verifyToken(token, ctx.auth.secret);
    if (!claims) {
      next(new AppError(401, 'unauthorized', 'The token is unknown or expired: log in again.'));
      return;
    }
    // A user an admin removed or changed loses the old token's rights at once (issue 6).
    const account = ctx.auth.users.find((u) => u.username === claims.sub);
    if (!account) {
      next(new AppError(401, 'unauthorized', 'This account no longer exists: ask an admin.'));
      return;
    }
    if (account.tokensValidAfter && claims.exp - ctx.auth.tokenTtlMs < account.tokensValidAfter) {
      next(new AppError(401, 'unauthorized', 'The password was changed since this token was issued: log in again.'));
      return;
    }
    req.principal = { name: claims.sub, role: account.role, kind: 'user' };
    next();
  };
}

/** Admin may use every route; otherwise the role must be listed. */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (role === 'admin' || (role && roles.includes(role))) {
      next();
      return;
    }
    next(new AppError(403, 'forbidden', `Your role (${role ?? 'none'}) may not use this route; it needs one of: ${['admin', ...roles].join(', ')}.`));
  };
}
