import { Router } from 'express';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { getDashboard } from './dashboard-repository';

export function analyticsRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get('/dashboard', allow('manager', 'analyst'), async (_req, res) => {
    res.json(await getDashboard(ctx));
  });
  return router;
}
