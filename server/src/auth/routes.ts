import { Router } from 'express';
import { z } from 'zod';
import type { LoginAnswer, MeAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { verifyPassword } from './passwords';
import { signToken } from './tokens';

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** `POST /api/v1/auth/login` (public) */
export function loginRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
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
    res.json(answer);
  });
  return router;
}

/** `GET /api/v1/me` */
export function meRoutes(): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    const principal = req.principal;
    if (!principal) throw new AppError(401, 'unauthorized', 'Log in first.');
    const answer: MeAnswer = { name: principal.name, role: principal.role };
    res.json(answer);
  });
  return router;
}
