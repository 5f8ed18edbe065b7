import type { Router } from 'express';
import { z } from 'zod';
import { columnNames, defaultColumns } from '../../../domain/src/analytics/fields';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
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
    /** An export for marketing on this channel leaves out everyone without marketing consent for it (issue 6); the count is in `X-Excluded-Without-Consent`. */
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
      guard: (req, viewer) => {
        const parsed = customerExportSchema.safeParse(req.body);
        if (parsed.success) guardFilter(viewer.role, parsed.data.filter, parsed.data.q);
      },
      concurrentPerPrincipal: 2,
      // Before the first row: an export nobody can trace is never sent.
      audit: { action: 'export', write: 'direct' },
    }),
    async (req, viewer, open, res) => {
      const parsed = customerExportSchema.safeParse(req.body);
      if (!parsed.success) throw AppError.invalid(parsed.error);
      const channel = parsed.data.marketingChannel;
      const consent = channel ? marketingConsentFilter(channel) : null;
      const filter = consent
        ? parsed.data.filter
          ? { kind: 'and' as const, filters: [parsed.data.filter, consent] }
          : consent
        : parsed.data.filter;
      const total = await countMatching(ctx, filter, parsed.data.q);
      const headers: Record<string, string> = {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="customers-${new Date().toISOString().slice(0, 10)}.csv"`,
        'X-Total-Count': String(total),
      };
      if (consent)
        headers['X-Excluded-Without-Consent'] = String(
          (await countMatching(ctx, parsed.data.filter, parsed.data.q)) - total,
        );
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      const out = await open(
        { resultCount: total, details: { kind: 'csv', columns: parsed.data.columns.length } },
        headers,
      );
      try {
        await streamCustomerCsv(
          ctx,
          out,
          { ...parsed.data, filter },
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
