import type { Router } from 'express';
import type { ServerContext } from '../context';
import { policedRouter, policy } from '../privacy/route-policy';
import { getDashboard } from './dashboard-repository';

export function analyticsRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  // Counts per segment, city and channel: no customer rows.
  routes.get(
    '/dashboard',
    policy({
      roles: ['manager', 'analyst', 'admin'],
      personal: false,
      shows: { manager: 'counts', analyst: 'counts', admin: 'counts' },
    }),
    async () => ({
      body: await getDashboard(ctx),
    }),
  );
  return routes.router;
}
