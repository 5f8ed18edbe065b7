import { Router } from 'express';
import { z } from 'zod';
import type { LoginAnswer, MeAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { logIn } from './log-in';

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
    const answer: LoginAnswer = await logIn(ctx, parsed.data.username, parsed.data.password);
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
