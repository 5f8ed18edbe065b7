/** The analytics endpoint and the dashboard panels (issue 5). */
import { Router } from 'express';
import { z } from 'zod';
import { dashboardRanges } from '../../../domain/src/analytics/dashboard-types';
import { analyticsFields } from '../../../domain/src/analytics/fields';
import { analyticsQuerySchema } from '../../../domain/src/analytics/query-schema';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { runAnalyticsQuery } from './analytics-query';
import { getDashboardPanels } from './dashboard-panels';
import { guardAnalyticsQuery } from '../privacy/oracles';

export const panelsQuerySchema = z.object({ range: z.enum(dashboardRanges).default('7d') });

export function analyticsQueryRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/analytics/query', allow('analyst', 'manager'), async (req, res) => {
    const parsed = analyticsQuerySchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error, 'The analytics request is invalid: see details for each problem.');
    guardAnalyticsQuery(req.principal?.role ?? 'ingest', parsed.data);
    res.json(await runAnalyticsQuery(ctx, parsed.data));
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
