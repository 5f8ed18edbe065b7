/**
 * Use case: erase a customer (the data subject's right to erasure).
 *
 * 1. Find every id of the person (merged ids included) and everything stored
 *    under them: profile, touchpoints, identity links and redirects, further
 *    indices that name the customer.
 * 2. Remove work in flight: the customer's entries in the dirty set, and every
 *    touchpoint in a queued (waiting, delayed, prioritized, paused, failed)
 *    ingest job that carries one of its identifiers — the job is trimmed, or
 *    removed when nothing else is in it. Active jobs are waited for.
 * 3. Delete the touchpoints, links and redirects, then the profile with an
 *    external version from Redis' clock, so that a rebuild which started
 *    before cannot bring the profile back.
 *    The days of the deleted touchpoints are marked for the rollup loop, so
 *    the dashboard's counts (no personal data) lose the person too.
 * 4. Optionally put the hashed identifiers on the suppression list.
 * Steps 1–3 run twice: the second pass catches what a worker wrote while the
 * first one ran.
 */
import type { Job } from 'bullmq';
import { touchpointKey, type Touchpoint } from '../../../domain/src/contract';
import { identityKeys } from '../../../domain/src/identity-keys';
import { markRollupHours } from '../../../infra/src/rollup-hours';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import { suppressKeys } from '../../../infra/src/suppression';
import type { ServerContext } from '../context';
import { snapshotIndexPattern } from '../../../infra/src/live-names';
import { findStoredData, survivorId } from './customer-data';

export interface ErasureResult {
  customerIds: string[];
  profiles: number;
  touchpoints: number;
  links: number;
  otherDocuments: number;
  queuedTouchpointsRemoved: number;
  suppressedIdentifiers: number;
}

export async function eraseCustomer(
  ctx: ServerContext,
  id: string,
  options: { suppress: boolean },
): Promise<ErasureResult | null> {
  const survivor = await survivorId(ctx, id);
  const result: ErasureResult = {
    customerIds: [],
    profiles: 0,
    touchpoints: 0,
    links: 0,
    otherDocuments: 0,
    queuedTouchpointsRemoved: 0,
    suppressedIdentifiers: 0,
  };
  const allKeys = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    const stored = await findStoredData(ctx, survivor);
    if (pass === 0 && stored.profiles.length === 0 && stored.touchpoints.length === 0) return null;
    for (const key of stored.identityKeys) allKeys.add(key);
    result.customerIds = [...new Set([...result.customerIds, ...stored.ids])];
    if (result.customerIds.length > 0) await ctx.redis.zrem(ctx.queues.dirty, ...result.customerIds);
    result.queuedTouchpointsRemoved += await removeQueuedWork(ctx, allKeys, new Set(stored.touchpoints.map((t) => t.id)));

    const operations: object[] = [];
    for (const hit of [...stored.touchpoints, ...stored.links, ...stored.other]) {
      operations.push({ delete: { _index: hit.index, _id: hit.id } });
    }
    if (operations.length > 0) await bulkDelete(ctx, operations);
    // The dashboard's touchpoint rollups (counts only) of those days are recomputed without the person, and
    // until then those days are read from the touchpoints, which no longer hold them (issue 5).
    await markRollupHours(ctx.redis, ctx.queues, stored.touchpoints.map((t) => t.source.occurredAt));
    const snapshotIndices = [...new Set(stored.other.map((o) => o.index).filter((i) => i.startsWith(snapshotIndexPattern(ctx.names).slice(0, -1))))];
    if (snapshotIndices.length > 0) await ctx.es.indices.refresh({ index: snapshotIndices });
    result.touchpoints += stored.touchpoints.length;
    result.links += stored.links.length;
    result.otherDocuments += stored.other.length;

    // Profiles last, versioned above any rebuild that claimed the customer before now.
    const [seconds, micros] = await ctx.redis.time();
    const version = Number(seconds) * 1_000_000 + Number(micros) + 1_000_000;
    const profileOps = result.customerIds.map((cid) => ({ delete: { _index: ctx.names.customers, _id: cid, version, version_type: 'external' } }));
    const answer = await ctx.es.bulk({ operations: profileOps, refresh: 'wait_for' });
    result.profiles += answer.items.filter((i) => i.delete?.result === 'deleted').length;
    await ctx.redis.zrem(ctx.queues.dirty, ...result.customerIds);
    if (pass === 0) {
      await waitForActiveJobs(ctx, allKeys);
      // Past the indices' 1 s refresh interval, the second pass sees whatever was written meanwhile.
      await new Promise((r) => setTimeout(r, 1_200));
    }
  }
  if (options.suppress) result.suppressedIdentifiers = await suppressKeys(ctx.es, ctx.names.suppressions, [...allKeys]);
  return result;
}

async function bulkDelete(ctx: ServerContext, operations: object[]): Promise<void> {
  for (let i = 0; i < operations.length; i += 1_000) {
    // No refresh=wait_for: snapshot indices have refresh off and would make it wait forever.
    const answer = await ctx.es.bulk({ operations: operations.slice(i, i + 1_000) });
    const failed = answer.items.find((item) => item.delete?.error && item.delete.status !== 404);
    // Types only: a document id may be an identifier (an identity link's id is the email).
    if (failed) throw new SafeError('erasure_failed', `erasure could not delete a document: ${elasticsearchErrorType(failed.delete?.error)}`);
  }
}

interface QueuedBatch {
  touchpoints: Touchpoint[];
}

/** A queued item may be anything (the job payload is not ours to trust): unreadable customers count as no keys. */
function keysOf(tp: Touchpoint): string[] {
  try {
    return identityKeys(tp);
  } catch {
    return [];
  }
}

function carriesPerson(tp: QueuedBatch['touchpoints'][number], keys: Set<string>, touchpointKeys: Set<string>): boolean {
  if (touchpointKeys.has(touchpointKey(tp))) return true;
  return keysOf(tp).some((k) => keys.has(k));
}

/** Trims or removes every queued ingest job that carries the person; returns how many touchpoints were taken out. */
async function removeQueuedWork(ctx: ServerContext, keys: Set<string>, touchpointKeys: Set<string>): Promise<number> {
  let removed = 0;
  const jobs = (await ctx.ingestQueue.getJobs(['waiting', 'delayed', 'prioritized', 'failed', 'waiting-children'])) as Job<QueuedBatch>[];
  for (const job of jobs) {
    const items = job?.data?.touchpoints;
    if (!Array.isArray(items)) continue;
    const keep = items.filter((tp) => !carriesPerson(tp, keys, touchpointKeys));
    if (keep.length === items.length) continue;
    removed += items.length - keep.length;
    if (keep.length === 0) await job.remove().catch(async () => job.updateData({ ...job.data, touchpoints: [] }));
    else await job.updateData({ ...job.data, touchpoints: keep });
  }
  return removed;
}

/** Waits (at most 10 s) until no active ingest job carries the person, so the second pass sees what it wrote. */
async function waitForActiveJobs(ctx: ServerContext, keys: Set<string>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const active = (await ctx.ingestQueue.getJobs(['active'])) as Job<QueuedBatch>[];
    const busy = active.some((job) => (job?.data?.touchpoints ?? []).some((tp) => keysOf(tp).some((k) => keys.has(k))));
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
