import type { Router } from 'express';
import { z } from 'zod';
import type { LoginAnswer, MeAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { allRoles, policedRouter, policy } from '../privacy/route-policy';
import { issueStreamTicket, streamTicketRequestSchema } from './stream-tickets';
import { AppError } from '../errors';
import { verifyPassword } from './passwords';
import { signToken } from './tokens';

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** `POST /api/v1/auth/login` (public) */
export function loginRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  // The only route without credentials: it hands out the caller's own token.
  routes.post('/auth/login', policy({ roles: 'public', personal: false, shows: {} }), async (req) => {
    const parsed = loginRequestSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    // Checked now, not from the cache: a user created or a password changed a moment ago on another process counts.
    const user = await ctx.auth.accounts.user(parsed.data.username, { fresh: true });
    // Verify against a dummy hash for unknown users too, so timing does not reveal which names exist.
    const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAA');
    if (!user || !ok) throw new AppError(401, 'unauthorized', 'Wrong username or password.');
    const exp = Date.now() + ctx.auth.tokenTtlMs;
    const answer: LoginAnswer = {
      token: signToken({ sub: user.username, role: user.role, exp, gen: user.tokenGeneration }, ctx.auth.secret),
      role: user.role,
      expiresAt: new Date(exp).toISOString(),
    };
    return { body: answer };
  });
  return routes.router;
}

/** `GET /api/v1/me`, `POST /api/v1/auth/stream-ticket` */
export function meRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.get('/me', policy<MeAnswer>({ roles: allRoles, personal: false, shows: own }), (_req, viewer) => {
    if (!viewer) throw new AppError(401, 'unauthorized', 'Log in first.');
    return { body: { name: viewer.principal.name, role: viewer.role } };
  });
  routes.post('/auth/stream-ticket', policy({ roles: allRoles, personal: false, shows: own }), async (req) => {
    const parsed = streamTicketRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw AppError.invalid(parsed.error);
    return { status: 201, body: await issueStreamTicket(ctx, req.headers.authorization ?? '') };
  });
  return routes.router;
}

const own = { ingest: 'own', agent: 'own', manager: 'own', analyst: 'own', admin: 'own' } as const;
