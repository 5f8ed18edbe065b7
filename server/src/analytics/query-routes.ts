/** The analytics endpoint and the dashboard panels (issue 5). */
import { Router } from 'express';
import { z } from 'zod';
import { dashboardRanges } from '../../../domain/src/analytics/dashboard-types';
import { analyticsFields } from '../../../domain/src/analytics/fields';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { parseAnalyticsQuery, runAnalyticsQuery } from './analytics-query';
import { getDashboardPanels } from './dashboard-panels';

export const panelsQuerySchema = z.object({ range: z.enum(dashboardRanges).default('7d') });

export function analyticsQueryRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/analytics/query', allow('analyst', 'manager'), async (req, res) => {
    res.json(await runAnalyticsQuery(ctx, parseAnalyticsQuery(req.body)));
  });
  router.get('/analytics/fields', allow('analyst', 'manager'), (_req, res) => {
    res.json({ fields: Object.entries(analyticsFields).map(([name, f]) => ({ name, ...f })) });
  });
  router.get('/analytics/dashboard', allow('manager', 'analyst'), async (req, res) => {
    const parsed = panelsQuerySchema.safeParse(req.query);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    res.json(await getDashboardPanels(ctx, parsed.data.range));
  });
  return router;
}
