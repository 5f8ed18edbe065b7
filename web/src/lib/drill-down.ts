/**
 * Links into the filter builder with a filter (dashboard drill-downs, saved
 * segments): `/explore/builder?filter=<base64url of the filter's JSON>`.
 */
import type { Filter } from '../../../domain/src/analytics/query-schema';

export function encodeFilter(filter: Filter | null): string {
  if (!filter) return '';
  const bytes = new TextEncoder().encode(JSON.stringify(filter));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeFilter(text: string | null): Filter | null {
  if (!text) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Filter;
  } catch {
    return null;
  }
}

export function drillDownPath(filter: Filter | undefined): string {
  return filter ? `/explore/builder?filter=${encodeFilter(filter)}` : '/explore/builder';
}
