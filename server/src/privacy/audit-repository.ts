/** Queries of the audit log: the admin's search and "who looked at this customer recently". */
import type { estypes } from '@elastic/elasticsearch';
import type { ServerContext } from '../context';
import type { AuditEntry } from './audit-trail';

export interface AuditQuery {
  customerId?: string;
  actor?: string;
  action?: string[];
  from?: string;
  to?: string;
  size: number;
  offset: number;
}

export interface AuditPage {
  total: number;
  items: (AuditEntry & { id: string })[];
}

export async function searchAudit(ctx: ServerContext, query: AuditQuery): Promise<AuditPage> {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (query.customerId) filter.push({ term: { customerIds: query.customerId } });
  if (query.actor) filter.push({ term: { actor: query.actor } });
  if (query.action && query.action.length > 0) filter.push({ terms: { action: query.action } });
  if (query.from || query.to) filter.push({ range: { at: { gte: query.from, lte: query.to } } });
  const answer = await ctx.es.search<AuditEntry>({
    index: ctx.names.audit,
    query: { bool: { filter } },
    sort: [{ at: 'desc' }],
    size: query.size,
    from: query.offset,
    track_total_hits: true,
  });
  const total =
    typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
  return {
    total,
    items: answer.hits.hits.map((h) => ({ ...(h._source as AuditEntry), id: h._id ?? '' })),
  };
}

export interface RecentViewer {
  actor: string;
  role: string;
  action: string;
  at: string;
}

/** The last looks at one customer (profile, timeline, export), newest first, one row per actor and action. */
export async function recentViewers(
  ctx: ServerContext,
  customerId: string,
  size: number,
): Promise<RecentViewer[]> {
  const page = await searchAudit(ctx, {
    customerId,
    action: ['view', 'timeline', 'touchpoint', 'export'],
    size: Math.min(size * 5, 200),
    offset: 0,
  });
  const seen = new Set<string>();
  const rows: RecentViewer[] = [];
  for (const e of page.items) {
    const key = `${e.actor}|${e.action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ actor: e.actor, role: e.role, action: e.action, at: e.at });
    if (rows.length >= size) break;
  }
  return rows;
}
