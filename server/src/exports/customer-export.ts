/**
 * CSV export of all customers matching an analytics filter,
 * streamed: point-in-time + search_after pages of 5,000 written as they come,
 * so memory stays flat for hundreds of thousands of rows. The expected row
 * count is sent first (`X-Total-Count`) so the browser can show progress.
 */
import type { Response } from 'express';
import { analyticsQuery, sourceFieldsOf, toRow } from '../../../domain/src/analytics/es-query';
import type { ColumnName } from '../../../domain/src/analytics/fields';
import type { AnalyticsRow, Filter } from '../../../domain/src/analytics/query-schema';
import type { CustomerDocument } from '../../../domain/src/profile';
import { scan } from '../../../infra/src/scan';
import type { ServerContext } from '../context';

const pageSize = 5_000;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('; ') : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function countMatching(
  ctx: ServerContext,
  filter: Filter | undefined,
  q: string | undefined,
): Promise<number> {
  const answer = await ctx.es.count({
    index: ctx.names.customers,
    query: analyticsQuery(filter, q),
  });
  return answer.count;
}

export async function streamCustomerCsv(
  ctx: ServerContext,
  res: Response,
  request: { filter?: Filter; q?: string; columns: ColumnName[] },
  isClosed: () => boolean,
  /** The role's masking of a row (the same as the analytics answer's, see privacy/masking.ts). */
  mask: (row: AnalyticsRow) => AnalyticsRow = (row) => row,
): Promise<number> {
  const query = analyticsQuery(request.filter, request.q);
  res.write(`${request.columns.map(csvCell).join(',')}\r\n`);
  let rows = 0;
  if (isClosed()) return rows;
  for await (const hits of scan<CustomerDocument>(ctx.es, {
    index: ctx.names.customers,
    query,
    _source: sourceFieldsOf(request.columns),
    size: pageSize,
    keepAlive: '2m',
  })) {
    let chunk = '';
    for (const hit of hits) {
      const row = mask(toRow(hit._source ?? {}, request.columns));
      chunk += `${request.columns.map((c) => csvCell(c === 'id' ? row.id : row[c])).join(',')}\r\n`;
    }
    rows += hits.length;
    // Respect backpressure: wait until the client has taken the previous page.
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    if (isClosed()) break;
  }
  return rows;
}
