import { Router } from 'express';
import { z } from 'zod';
import { columnNames, defaultColumns } from '../../../domain/src/analytics/fields';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { marketingChannels } from '../../../domain/src/marketing-consent';
import { listExposure, maskAnalyticsRow } from '../privacy/masking';
import { marketingConsentFilter } from '../../../domain/src/analytics/segment-audience';
import { countMatching, streamCustomerCsv } from './customer-export';
import { guardFilter } from '../privacy/oracles';

export const customerExportSchema = z
  .object({
    filter: boundedFilterSchema.optional(),
    q: z.string().max(200).optional(),
    columns: z.array(z.enum(columnNames)).min(1).max(60).default(['id', ...defaultColumns]),
    /** An export for marketing on this channel leaves out everyone without marketing consent for it (issue 6); the count is in `X-Excluded-Without-Consent`. */
    marketingChannel: z.enum(marketingChannels).optional(),
  })
  .strict();

export function exportRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/exports/customers', allow('analyst'), async (req, res) => {
    const parsed = customerExportSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    guardFilter(req.principal?.role ?? 'ingest', parsed.data.filter, parsed.data.q);
    const channel = parsed.data.marketingChannel;
    const consent = channel ? marketingConsentFilter(channel) : null;
    const filter = consent ? (parsed.data.filter ? { kind: 'and' as const, filters: [parsed.data.filter, consent] } : consent) : parsed.data.filter;
    const total = await countMatching(ctx, filter, parsed.data.q);
    if (consent) res.setHeader('X-Excluded-Without-Consent', String((await countMatching(ctx, parsed.data.filter, parsed.data.q)) - total));
    const date = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="customers-${date}.csv"`);
    res.setHeader('X-Total-Count', String(total));
    res.setHeader('Cache-Control', 'no-store');
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    try {
      const exposure = listExposure(req.principal?.role ?? 'analyst');
      await streamCustomerCsv(ctx, res, { ...parsed.data, filter }, () => closed, (row) => maskAnalyticsRow(row, exposure));
    } catch (error) {
      // Headers are gone: the only honest signal left is a broken stream, which the client reports.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    res.end();
  });
  return router;
}
