/** The analytics endpoint and the dashboard panels. */
import type { Router } from 'express';
import { z } from 'zod';
import { dashboardRanges } from '../../../domain/src/analytics/dashboard-types';
import { analyticsFields } from '../../../domain/src/analytics/fields';
import type { AnalyticsQuery } from '../../../domain/src/analytics/query-schema';
import { maskAnalyticsAnswer } from '../privacy/masking';
import { guardAnalyticsQuery } from '../privacy/oracles';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { parseRequest } from '../errors';
import { parseAnalyticsQuery, runAnalyticsQuery } from './analytics-query';
import { getDashboardPanels } from './dashboard-panels';

export const panelsQuerySchema = z.object({ range: z.enum(dashboardRanges).default('7d') });

export function analyticsQueryRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.post(
    '/analytics/query',
    policy<AnalyticsAnswer, AnalyticsQuery>({
      roles: ['analyst', 'manager', 'admin'],
      personal: true,
      shows: { admin: 'full', manager: 'masked', analyst: 'masked' },
      input: (req) => parseAnalyticsQuery(req.body),
      guard: (_req, viewer, request) => guardAnalyticsQuery(viewer.role, request),
      view: (answer, viewer, request) => maskAnalyticsAnswer(answer, viewer.list, request),
      audit: {
        action: 'search',
        subject: (_req, answer) => ({
          customerIds: (answer.items ?? []).map((r) => r.id),
          resultCount: answer.total,
          details: { kind: 'analytics' },
        }),
      },
    }),
    async (_req, _viewer, request) => ({ body: await runAnalyticsQuery(ctx, request) }),
  );
  routes.get(
    '/analytics/fields',
    policy({ roles: ['analyst', 'manager', 'admin'], personal: false }),
    () => ({
      body: { fields: Object.entries(analyticsFields).map(([name, f]) => ({ name, ...f })) },
    }),
  );
  routes.get(
    '/analytics/dashboard',
    // Counts and sums over touchpoints and profiles, no customer rows.
    policy({
      roles: ['manager', 'analyst', 'admin'],
      personal: false,
      shows: { manager: 'counts', analyst: 'counts', admin: 'counts' },
    }),
    async (req) => {
      const { range } = parseRequest(panelsQuerySchema, req.query);
      return { body: await getDashboardPanels(ctx, range) };
    },
  );
  return routes.router;
}

type AnalyticsAnswer = Awaited<ReturnType<typeof runAnalyticsQuery>>;
