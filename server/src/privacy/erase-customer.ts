/**
 * Use case: erase a customer (the data subject's right to erasure).
 *
 * 1. Find every id of the person (merged ids included) and everything stored
 *    under them: profile, touchpoints, identity links and redirects, the
 *    weak identifiers it holds beside other people, identity actions,
 *    further indices that name the customer.
 * 2. Put the hashed identifiers on the suppression list — first, before
 *    anything is deleted: from then on every ingest job drops a record that
 *    carries one of them, so a record in flight or sent during the erasure
 *    cannot recreate the person. A weak identifier (a phone) that other
 *    people hold too is not suppressed (their records would be dropped);
 *    only the person is removed from its holders.
 * 3. Remove work in flight: the customer's entries in the dirty set, and every
 *    touchpoint in a queued (waiting, delayed, prioritized, paused, failed)
 *    ingest job that carries one of its own identifiers — the job is trimmed,
 *    or removed when nothing else is in it. Active jobs are waited for.
 * 4. Delete the touchpoints, links, marks and redirects; rewrite the shared
 *    weak identifiers without the person (names and birth date go with the
 *    holder) and the identity actions on either side to ids and counts;
 *    then delete the profile with an external version from Redis' clock, so
 *    that a rebuild which started before cannot bring the profile back.
 *    The days of the deleted touchpoints are marked for the rollup loop, so
 *    the dashboard's counts (no personal data) lose the person too.
 * Steps 1–4 run twice: the second pass catches what a worker wrote while the
 * first one ran.
 */
import type { Job } from 'bullmq';
import { touchpointKey, type Touchpoint } from '../../../domain/src/contract';
import { identityKeys } from '../../../domain/src/identity-keys';
import { markRollupHours } from '../../../infra/src/rollup-hours';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import { suppressKeys, type Suppression } from '../../../infra/src/suppression';
import type { ServerContext } from '../context';
import { forgetPairsOf } from '../../../store/src/matching/match-pairs';
import { snapshotIndexPattern } from '../../../infra/src/live-names';
import {
  findStoredData,
  heldLinks,
  recordsCarrying,
  survivorId,
  type ActionDoc,
  type Hit,
  type LinkDoc,
} from './customer-data';

export interface ErasureResult {
  customerIds: string[];
  profiles: number;
  touchpoints: number;
  links: number;
  otherDocuments: number;
  queuedTouchpointsRemoved: number;
  suppressedIdentifiers: number;
  /** Weak identifiers other people hold too: kept for them, without the person. */
  sharedIdentifiersKept: number;
  /** Identity actions on the person, rewritten to ids and counts. */
  identityActionsRewritten: number;
}

/** The suppression the privacy options ask for; refuses (at start) suppression without a pepper. */
export function suppressionOf(options: {
  suppressErased: boolean;
  suppressionPepper?: string | null;
}): Suppression | null {
  if (!options.suppressErased) return null;
  if (!options.suppressionPepper) {
    throw new Error(
      'suppression of erased identifiers is on but no pepper was given (PANORAMA_SUPPRESSION_PEPPER or DATA_DIR/suppression-pepper); PANORAMA_SUPPRESS_ERASED=0 turns it off',
    );
  }
  return { pepper: options.suppressionPepper };
}

export async function eraseCustomer(
  ctx: ServerContext,
  id: string,
  options: { suppression: Suppression | null },
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
    sharedIdentifiersKept: 0,
    identityActionsRewritten: 0,
  };
  /** Identifiers of the person alone: suppressed, and what queued work is trimmed by. */
  const ownKeys = new Set<string>();
  /** Identifiers still held by someone else: neither suppressed nor trimmed by. */
  const keptKeys = new Set<string>();
  const suppressed = new Set<string>();
  const rewrittenActions = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    const stored = await findStoredData(ctx, survivor);
    if (pass === 0 && stored.profiles.length === 0 && stored.touchpoints.length === 0) return null;
    result.customerIds = [...new Set([...result.customerIds, ...stored.ids])];
    const ids = new Set(result.customerIds);
    const { remove, shared } = planLinks(stored.links, ids);
    // Suppressed are exactly the identifiers that link to the person alone: not placeholders (`noreply@…`), which
    // link nobody, nor identifiers other people hold too — suppressing those would drop everyone else's records.
    for (const link of shared) keptKeys.add(link.id);
    for (const link of remove) if (isIdentifier(link.source.kind)) ownKeys.add(link.id);
    for (const key of keptKeys) ownKeys.delete(key);

    // Suppression first: nothing is deleted before a record carrying the person is dropped.
    if (options.suppression) {
      const fresh = [...ownKeys].filter((k) => !suppressed.has(k));
      result.suppressedIdentifiers += await suppressKeys(
        ctx.es,
        ctx.names.suppressions,
        fresh,
        options.suppression,
      );
      for (const k of fresh) suppressed.add(k);
    }

    await ctx.redis.zrem(ctx.queues.dirty, ...result.customerIds);
    result.queuedTouchpointsRemoved += await removeQueuedWork(
      ctx,
      ownKeys,
      new Set(stored.touchpoints.map((t) => t.id)),
    );

    const carrying = await recordsCarrying(
      ctx,
      [...ownKeys],
      stored.touchpoints.map((t) => t.id),
    );
    const other = [
      ...new Map([...stored.other, ...carrying].map((o) => [`${o.index}/${o.id}`, o])).values(),
    ];
    const operations: object[] = [];
    for (const hit of [...stored.touchpoints, ...remove, ...other]) {
      operations.push({ delete: { _index: hit.index, _id: hit.id } });
    }
    if (operations.length > 0) await bulkDelete(ctx, operations);
    result.sharedIdentifiersKept = keptKeys.size;
    await removeHolders(ctx, shared, ids);
    result.identityActionsRewritten += await rewriteActions(
      ctx,
      stored.actions.filter((a) => !rewrittenActions.has(a.id)),
      rewrittenActions,
    );
    // The dashboard's touchpoint rollups (counts only) of those days are recomputed without the person, and
    // until then those days are read from the touchpoints, which no longer hold them.
    await markRollupHours(
      ctx.redis,
      ctx.queues,
      stored.touchpoints.map((t) => t.source.occurredAt),
    );
    const snapshotIndices = [
      ...new Set(
        other
          .map((o) => o.index)
          .filter((i) => i.startsWith(snapshotIndexPattern(ctx.names).slice(0, -1))),
      ),
    ];
    if (snapshotIndices.length > 0) await ctx.es.indices.refresh({ index: snapshotIndices });
    result.touchpoints += stored.touchpoints.length;
    result.links += remove.length;
    result.otherDocuments += other.length;
    // Match pairs name both sides by `a`/`b` and hold both people's compared values: they go whole.
    result.otherDocuments += await forgetPairsOf(ctx, result.customerIds);

    // Profiles last, versioned above any rebuild that claimed the customer before now.
    const [seconds, micros] = await ctx.redis.time();
    const version = Number(seconds) * 1_000_000 + Number(micros) + 1_000_000;
    const profileOps = result.customerIds.map((cid) => ({
      delete: { _index: ctx.names.customers, _id: cid, version, version_type: 'external' },
    }));
    const answer = await ctx.es.bulk({ operations: profileOps, refresh: 'wait_for' });
    result.profiles += answer.items.filter((i) => i.delete?.result === 'deleted').length;
    await ctx.redis.zrem(ctx.queues.dirty, ...result.customerIds);
    if (pass === 0) {
      await waitForActiveJobs(ctx, new Set([...ownKeys, ...keptKeys]));
      // Past the indices' 1 s refresh interval, the second pass sees whatever was written meanwhile.
      await new Promise((r) => setTimeout(r, 1_200));
    }
  }
  return result;
}

function isIdentifier(kind: string): boolean {
  return kind !== 'merged' && kind !== 'notsame' && kind !== 'action';
}

/**
 * Which links go and which stay: a weak identifier that other people hold
 * too stays for them; everything else naming the person (its own
 * identifiers, redirects, marks) goes.
 */
function planLinks(
  links: Hit<LinkDoc>[],
  ids: Set<string>,
): { remove: Hit<LinkDoc>[]; shared: Hit<LinkDoc>[] } {
  const remove: Hit<LinkDoc>[] = [];
  const shared: Hit<LinkDoc>[] = [];
  for (const link of links) {
    const others = (link.source.holders ?? []).filter((h) => !ids.has(h.customerId));
    if (link.source.holders && others.length > 0) shared.push(link);
    else if (
      ids.has(link.source.customerId) ||
      (link.source.holders ?? []).some((h) => ids.has(h.customerId)) ||
      link.id.startsWith('merged:') ||
      link.id.startsWith('notsame:')
    )
      remove.push(link);
  }
  return { remove, shared };
}

/**
 * Takes the person out of the holders of shared weak identifiers (their
 * names and birth date go with them); the first remaining holder becomes the
 * link's customer. Conditional on the version read, re-read on a conflict,
 * so a holder an indexer adds meanwhile is kept.
 */
async function removeHolders(
  ctx: ServerContext,
  shared: Hit<LinkDoc>[],
  ids: Set<string>,
): Promise<void> {
  let pending = shared;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 10)
      throw new SafeError(
        'erasure_failed',
        'erasure could not update a shared identifier: it kept changing',
      );
    const operations: object[] = [];
    const removals: object[] = [];
    for (const link of pending) {
      const holders = (link.source.holders ?? []).filter((h) => !ids.has(h.customerId));
      if (holders.length === 0) {
        removals.push({
          delete: {
            _index: link.index,
            _id: link.id,
            if_seq_no: link.seqNo,
            if_primary_term: link.primaryTerm,
          },
        });
        continue;
      }
      const customerId = ids.has(link.source.customerId)
        ? holders[0].customerId
        : link.source.customerId;
      operations.push(
        {
          index: {
            _index: link.index,
            _id: link.id,
            if_seq_no: link.seqNo,
            if_primary_term: link.primaryTerm,
          },
        },
        { ...link.source, customerId, holders },
      );
    }
    const answer = await ctx.es.bulk({ operations: [...operations, ...removals] });
    const conflicts: string[] = [];
    answer.items.forEach((item, i) => {
      const op = item.index ?? item.delete;
      if (!op?.error) return;
      if (op.status === 409)
        conflicts.push(
          i < operations.length / 2
            ? (operations[i * 2] as { index: { _id: string } }).index._id
            : (removals[i - operations.length / 2] as { delete: { _id: string } }).delete._id,
        );
      else if (op.status !== 404)
        throw new SafeError(
          'erasure_failed',
          `erasure could not update a shared identifier: ${elasticsearchErrorType(op.error)}`,
        );
    });
    pending = conflicts.length > 0 ? await heldLinks(ctx, conflicts, ids) : [];
  }
}

/**
 * Identity actions naming the person keep their ids and how many records
 * they moved, never which records or which identifier; they can no longer
 * be undone (admin-actions.ts refuses).
 */
async function rewriteActions(
  ctx: ServerContext,
  actions: Hit<ActionDoc>[],
  done: Set<string>,
): Promise<number> {
  if (actions.length === 0) return 0;
  const erasedAt = new Date().toISOString();
  const operations = actions.flatMap((a) => [
    { index: { _index: a.index, _id: a.id } },
    {
      ...a.source,
      touchpoints: [],
      touchpointCount: a.source.touchpoints?.length ?? 0,
      identifier: null,
      ...(a.source.explanation
        ? {
            explanation: {
              ...a.source.explanation,
              fields: a.source.explanation.fields.map((f) => ({ ...f, a: null, b: null })),
            },
          }
        : {}),
      erasedAt: a.source.erasedAt ?? erasedAt,
    },
  ]);
  const answer = await ctx.es.bulk({ operations, refresh: 'wait_for' });
  const failed = answer.items.find((item) => item.index?.error);
  if (failed)
    throw new SafeError(
      'erasure_failed',
      `erasure could not rewrite an identity action: ${elasticsearchErrorType(failed.index?.error)}`,
    );
  for (const a of actions) done.add(a.id);
  return actions.length;
}

async function bulkDelete(ctx: ServerContext, operations: object[]): Promise<void> {
  for (let i = 0; i < operations.length; i += 1_000) {
    // No refresh=wait_for: snapshot indices have refresh off and would make it wait forever.
    const answer = await ctx.es.bulk({ operations: operations.slice(i, i + 1_000) });
    const failed = answer.items.find((item) => item.delete?.error && item.delete.status !== 404);
    // Types only: a document id may be an identifier (an identity link's id is the email).
    if (failed)
      throw new SafeError(
        'erasure_failed',
        `erasure could not delete a document: ${elasticsearchErrorType(failed.delete?.error)}`,
      );
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

function carriesPerson(
  tp: QueuedBatch['touchpoints'][number],
  keys: Set<string>,
  touchpointKeys: Set<string>,
): boolean {
  if (touchpointKeys.has(touchpointKey(tp))) return true;
  return keysOf(tp).some((k) => keys.has(k));
}

/** Trims or removes every queued ingest job that carries the person; returns how many touchpoints were taken out. */
async function removeQueuedWork(
  ctx: ServerContext,
  keys: Set<string>,
  touchpointKeys: Set<string>,
): Promise<number> {
  let removed = 0;
  const jobs = (await ctx.ingestQueue.getJobs([
    'waiting',
    'delayed',
    'prioritized',
    'failed',
    'waiting-children',
  ])) as Job<QueuedBatch>[];
  for (const job of jobs) {
    const items = job?.data?.touchpoints;
    if (!Array.isArray(items)) continue;
    const keep = items.filter((tp) => !carriesPerson(tp, keys, touchpointKeys));
    if (keep.length === items.length) continue;
    removed += items.length - keep.length;
    if (keep.length === 0)
      await job.remove().catch(async () => job.updateData({ ...job.data, touchpoints: [] }));
    else await job.updateData({ ...job.data, touchpoints: keep });
  }
  return removed;
}

/** Waits (at most 10 s) until no active ingest job carries the person, so the second pass sees what it wrote. */
async function waitForActiveJobs(ctx: ServerContext, keys: Set<string>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const active = (await ctx.ingestQueue.getJobs(['active'])) as Job<QueuedBatch>[];
    const busy = active.some((job) =>
      (job?.data?.touchpoints ?? []).some((tp) => keysOf(tp).some((k) => keys.has(k))),
    );
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
