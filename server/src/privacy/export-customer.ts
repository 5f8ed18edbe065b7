/**
 * Use case: everything stored about a customer, as one JSON document (the
 * data subject's right of access): profile, touchpoints, identity links and
 * redirects, documents of further indices (snapshots), and the audit entries
 * about them.
 */
import type { ServerContext } from '../context';
import type { AuditEntry } from './audit-trail';
import { findStoredData, searchAll, survivorId } from './customer-data';

export interface CustomerExport {
  exportedAt: string;
  customerId: string;
  customerIds: string[];
  profile: Record<string, unknown> | null;
  touchpoints: unknown[];
  identityLinks: unknown[];
  /** Identity actions an admin took on the customer (merge, split, detach, not-same marks). */
  identityActions: unknown[];
  otherRecords: { index: string; id: string; document: unknown }[];
  auditEntries: AuditEntry[];
}

export async function exportCustomer(
  ctx: ServerContext,
  id: string,
): Promise<CustomerExport | null> {
  const survivor = await survivorId(ctx, id);
  const stored = await findStoredData(ctx, survivor);
  if (stored.profiles.length === 0 && stored.touchpoints.length === 0) return null;
  const audit = await searchAll<AuditEntry>(ctx, ctx.names.audit, {
    terms: { customerIds: stored.ids },
  });
  const ids = new Set(stored.ids);
  const profile = stored.profiles.find((p) => p.id === survivor)?.source ?? null;
  // `search` holds the same data again, normalized for the index: not a separate piece of data.
  if (profile) delete profile.search;
  return {
    exportedAt: new Date().toISOString(),
    customerId: survivor,
    customerIds: stored.ids,
    profile,
    touchpoints: stored.touchpoints
      .map((t) => t.source)
      .sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt))),
    // A weak identifier shared with other people shows this customer's holding only: the others' names are theirs.
    identityLinks: stored.links.map((l) => {
      const { holders, ...link } = l.source;
      return holders
        ? {
            ...link,
            customerId: ids.has(link.customerId) ? link.customerId : undefined,
            holders: holders.filter((h) => ids.has(h.customerId)),
          }
        : link;
    }),
    identityActions: stored.actions.map((a) => a.source),
    otherRecords: stored.other.map((o) => ({ index: o.index, id: o.id, document: o.source })),
    auditEntries: audit.map((a) => a.source).sort((a, b) => a.at.localeCompare(b.at)),
  };
}
