import { Router } from 'express';
import { z } from 'zod';
import { columnNames, defaultColumns } from '../../../domain/src/analytics/fields';
import { boundedFilterSchema } from '../../../domain/src/analytics/query-schema';
import { allow } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { listExposure, maskAnalyticsRow } from '../privacy/masking';
import { countMatching, streamCustomerCsv } from './customer-export';

export const customerExportSchema = z
  .object({
    filter: boundedFilterSchema.optional(),
    q: z.string().max(200).optional(),
    columns: z.array(z.enum(columnNames)).min(1).max(60).default(['id', ...defaultColumns]),
  })
  .strict();

export function exportRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.post('/exports/customers', allow('analyst'), async (req, res) => {
    const parsed = customerExportSchema.safeParse(req.body);
    if (!parsed.success) throw AppError.invalid(parsed.error);
    const total = await countMatching(ctx, parsed.data.filter, parsed.data.q);
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
      await streamCustomerCsv(ctx, res, parsed.data, () => closed, (row) => maskAnalyticsRow(row, exposure));
    } catch (error) {
      // Headers are gone: the only honest signal left is a broken stream, which the client reports.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    res.end();
  });
  return router;
}
