import type { Router } from 'express';
import { z } from 'zod';
import { columnNames, defaultColumns } from '../../../domain/src/analytics/fields';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import type { ServerContext } from '../context';
import { parseRequest } from '../errors';
import { marketingChannels } from '../../../domain/src/marketing-consent';
import { maskAnalyticsRow } from '../privacy/masking';
import { guardFilter } from '../privacy/oracles';
import { policedRouter, policy } from '../privacy/route-policy';
import { marketingConsentFilter } from '../../../domain/src/analytics/segment-audience';
import { countMatching, streamCustomerCsv } from './customer-export';

export const customerExportSchema = z
  .object({
    filter: boundedFilterSchema.optional(),
    q: z.string().max(200).optional(),
    columns: z
      .array(z.enum(columnNames))
      .min(1)
      .max(60)
      .default(['id', ...defaultColumns]),
    /** An export for marketing on this channel leaves out everyone without marketing consent for it; the count is in `X-Excluded-Without-Consent`. */
    marketingChannel: z.enum(marketingChannels).optional(),
  })
  .strict();

export function exportRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.post(
    '/exports/customers',
    policy({
      answer: 'stream',
      roles: ['analyst', 'admin'],
      personal: true,
      shows: { admin: 'full', analyst: 'masked' },
      input: (req) => parseRequest(customerExportSchema, req.body),
      guard: (_req, viewer, request) => guardFilter(viewer.role, request.filter, request.q),
      concurrentPerPrincipal: 2,
      // Before the first row: an export nobody can trace is never sent.
      audit: { action: 'export', write: 'direct' },
    }),
    async (_req, viewer, open, res, request) => {
      const channel = request.marketingChannel;
      const consent = channel ? marketingConsentFilter(channel) : null;
      const filter = consent
        ? request.filter
          ? { kind: 'and' as const, filters: [request.filter, consent] }
          : consent
        : request.filter;
      const total = await countMatching(ctx, filter, request.q);
      const headers: Record<string, string> = {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="customers-${new Date().toISOString().slice(0, 10)}.csv"`,
        'X-Total-Count': String(total),
      };
      if (consent)
        headers['X-Excluded-Without-Consent'] = String(
          (await countMatching(ctx, request.filter, request.q)) - total,
        );
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      const out = await open(
        { resultCount: total, details: { kind: 'csv', columns: request.columns.length } },
        headers,
      );
      try {
        await streamCustomerCsv(
          ctx,
          out,
          { ...request, filter },
          () => closed,
          (row) => maskAnalyticsRow(row, viewer.list),
        );
      } catch (error) {
        // Headers are gone: the only honest signal left is a broken stream, which the client reports.
        out.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      out.end();
    },
  );
  return routes.router;
}
