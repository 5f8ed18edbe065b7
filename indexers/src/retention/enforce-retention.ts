/**
 * Deletes every touchpoint older than its type's retention period, marks the
 * customers dirty so their profiles are rebuilt without them (a customer left
 * with no touchpoints loses the profile), and writes one audit entry with ids
 * and counts. Without delete-by-query on the embedded core: point in time +
 * search_after + _bulk.
 */
import type { estypes } from '@elastic/elasticsearch';
import { markRollupHours } from '../../../infra/src/rollup-hours';
import { scan } from '../../../infra/src/scan';
import { recordSystemEvent } from '../../../infra/src/system-audit';
import type { IndexerContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { markDirty } from '../../../store/src/dirty-set';
import type { RetentionPeriods } from './retention-policy';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

export interface RetentionResult {
  deleted: Record<string, number>;
  customers: number;
}

const DAY = 86_400_000;

export async function enforceRetention(
  ctx: IndexerContext,
  periods: RetentionPeriods,
  now = Date.now(),
): Promise<RetentionResult> {
  const deleted: Record<string, number> = {};
  const customers = new Set<string>();
  for (const [type, days] of Object.entries(periods)) {
    if (!days) continue;
    const before = new Date(now - days * DAY).toISOString();
    const query: estypes.QueryDslQueryContainer = {
      bool: { filter: [{ term: { type } }, { range: { occurredAt: { lt: before } } }] },
    };
    let count = 0;
    for await (const hits of scan<{ customerId: string; occurredAt: string }>(ctx.es, {
      index: ctx.names.touchpoints,
      query,
      _source: ['customerId', 'occurredAt'],
      size: 1_000,
      keepAlive: '2m',
    })) {
      const result = await ctx.es.bulk({
        operations: hits.map((h) => ({ delete: { _index: h._index, _id: h._id } })),
      });
      const failed = result.items.find((i) => i.delete?.error && i.delete.status !== 404);
      if (failed)
        throw new SafeError(
          'retention_delete_failed',
          `retention could not delete a touchpoint: ${elasticsearchErrorType(failed.delete?.error)}`,
        );
      const ids = hits.map((h) => h._source?.customerId).filter((id): id is string => Boolean(id));
      for (const id of ids) customers.add(id);
      await markDirty(ctx.redis, ctx.queues.dirty, ids);
      // The dashboard's rollups of those days are recomputed without them.
      await markRollupHours(
        ctx.redis,
        ctx.queues,
        hits.map((h) => h._source?.occurredAt),
      );
      count += hits.length;
    }
    deleted[type] = count;
  }
  const total = Object.values(deleted).reduce((a, b) => a + b, 0);
  const unlinked = total > 0 ? await unlinkEmptyCustomers(ctx, [...customers]) : 0;
  if (total > 0) {
    await recordSystemEvent(
      ctx.es,
      ctx.names.audit,
      {
        action: 'retention',
        actor: 'system:retention',
        customerIds: [...customers].slice(0, 10_000),
        details: { count: total, deleted, periods, identityLinksRemoved: unlinked },
      },
      (error) => ctx.log('audit entry of a retention run failed', failureFields(error), 'warn'),
    );
  }
  return { deleted, customers: customers.size };
}

/**
 * A customer whose every touchpoint expired keeps no profile (the rebuild
 * folds nothing); its identity links (normalized emails, phones, numbers)
 * must not outlive it either. Returns how many links were removed.
 */
async function unlinkEmptyCustomers(ctx: IndexerContext, customerIds: string[]): Promise<number> {
  // Once per run: the deletions above must be visible to the counts below.
  await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  let removed = 0;
  for (let i = 0; i < customerIds.length; i += 500) {
    const ids = customerIds.slice(i, i + 500);
    const answer = await ctx.es.search({
      index: ctx.names.touchpoints,
      size: 0,
      query: { terms: { customerId: ids } },
      aggs: { live: { terms: { field: 'customerId', size: ids.length } } },
    });
    const live = new Set(
      (
        (answer.aggregations?.live as { buckets?: { key: string }[] } | undefined)?.buckets ?? []
      ).map((b) => String(b.key)),
    );
    const empty = ids.filter((id) => !live.has(id));
    if (empty.length === 0) continue;
    const links = await ctx.es.search({
      index: ctx.names.identities,
      size: 10_000,
      _source: false,
      query: { terms: { customerId: empty } },
    });
    const operations = links.hits.hits.map((h) => ({ delete: { _index: h._index, _id: h._id } }));
    if (operations.length > 0) await ctx.es.bulk({ operations, refresh: 'wait_for' });
    removed += operations.length;
  }
  return removed;
}
