/**
 * The CSV export: `POST /api/v1/exports/customers` read as a stream, so the
 * page can show how many of the announced rows (`X-Total-Count`) arrived.
 */
import { getSession } from '../../../lib/auth-session';
import { ApiError } from '../../../lib/api-client';
import type { ColumnName } from '../../../../../domain/src/analytics/fields';
import type { Filter } from '../../../../../domain/src/analytics/query-schema';

export interface ExportProgress {
  rows: number;
  total: number;
}

export async function exportCustomersCsv(
  request: { filter?: Filter; columns: ColumnName[] },
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ blob: Blob; rows: number; fileName: string }> {
  const session = getSession();
  const response = await fetch('/api/v1/exports/customers', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
    },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok || !response.body) {
    let message = `The export failed (HTTP ${response.status}).`;
    try {
      message =
        ((await response.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, 'export_failed', message);
  }
  const total = Number(response.headers.get('X-Total-Count') ?? 0);
  const fileName =
    /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
    'customers.csv';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let lines = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    for (const byte of value) if (byte === 10) lines++;
    onProgress({ rows: Math.max(0, lines - 1), total });
  }
  const rows = Math.max(0, lines - 1);
  if (rows < total)
    throw new ApiError(
      0,
      'export_incomplete',
      `The export stopped after ${rows} of ${total} rows; try again.`,
    );
  onProgress({ rows, total });
  return {
    blob: new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }),
    rows,
    fileName,
  };
}
