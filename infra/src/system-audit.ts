/**
 * Audit entries written by background processes (indexers) and operator
 * commands: merges of customers, retention deletions and rebuilds of every
 * profile (`npm run profiles:rebuild`), in the same append-only index and shape
 * as the API's entries (server/src/privacy/audit-trail.ts). Ids and counts
 * only, never personal data. A failure is reported, never thrown: auditing
 * must not stop ingestion.
 */
import type { Client } from '@elastic/elasticsearch';

export async function recordSystemEvent(
  es: Client,
  index: string,
  event: {
    action: 'merge' | 'retention' | 'rebuild';
    actor: string;
    customerIds: string[];
    details?: Record<string, unknown>;
  },
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  try {
    await es.index({
      index,
      op_type: 'create',
      // Never auto-create a concrete index where mappings/apply.ts expects an alias.
      require_alias: true,
      document: {
        at: new Date().toISOString(),
        action: event.action,
        actor: event.actor,
        role: 'system',
        actorKind: 'system',
        customerIds: event.customerIds,
        route: 'indexer',
        method: 'JOB',
        status: 200,
        ip: null,
        userAgent: null,
        resultCount: typeof event.details?.count === 'number' ? event.details.count : undefined,
        details: event.details,
      },
    });
  } catch (error) {
    onError(error);
  }
}
