/**
 * `GET /api/v1/identity/duplicates/labels?format=csv|json`: every decided
 * pair as a label (match / non-match) with its score and the level per field,
 * to measure the model. Fetched with the session's token (a plain link would
 * carry none) and handed to the browser as a download.
 */
import { getSession } from '../../../lib/auth-session';
import { ApiError } from '../../../lib/api-client';

export type LabelFormat = 'csv' | 'json';

export async function downloadLabels(format: LabelFormat): Promise<string> {
  const session = getSession();
  const response = await fetch(`/api/v1/identity/duplicates/labels?format=${format}`, {
    headers: session ? { Authorization: `Bearer ${session.token}` } : {},
  });
  if (!response.ok) {
    let message = `The labels could not be exported (HTTP ${response.status}).`;
    try {
      message =
        ((await response.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, 'labels_failed', message);
  }
  const fileName =
    /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
    `duplicate-labels.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return fileName;
}
