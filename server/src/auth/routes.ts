import type { Router } from 'express';
import { z } from 'zod';
import type { MeAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { allRoles, policedRouter, policy } from '../privacy/route-policy';
import { issueStreamTicket, streamTicketRequestSchema } from './stream-tickets';
import { AppError, parseRequest } from '../errors';
import { logIn } from './log-in';

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** `POST /api/v1/auth/login` (public) */
export function loginRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  // The only route without credentials: it hands out the caller's own token.
  routes.post(
    '/auth/login',
    policy({ roles: 'public', personal: false, shows: {} }),
    async (req) => {
      const { username, password } = parseRequest(loginRequestSchema, req.body);
      return { body: await logIn(ctx, username, password) };
    },
  );
  return routes.router;
}

/** `GET /api/v1/me`, `POST /api/v1/auth/stream-ticket` */
export function meRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.get(
    '/me',
    policy<MeAnswer>({ roles: allRoles, personal: false, shows: own }),
    (_req, viewer) => {
      if (!viewer) throw new AppError(401, 'unauthorized', 'Log in first.');
      return { body: { name: viewer.principal.name, role: viewer.role } };
    },
  );
  routes.post(
    '/auth/stream-ticket',
    policy({ roles: allRoles, personal: false, shows: own }),
    async (req) => {
      parseRequest(streamTicketRequestSchema, req.body ?? {});
      return { status: 201, body: await issueStreamTicket(ctx, req.headers.authorization ?? '') };
    },
  );
  return routes.router;
}

const own = { ingest: 'own', agent: 'own', manager: 'own', analyst: 'own', admin: 'own' } as const;
