/**
 * Rebuilds the profiles of a batch of customers: profile = fold(touchpoints).
 *
 * Profiles are written with an external version taken from Redis' clock at
 * claim time, so when two rebuilds of one customer overlap, the one that
 * started later (and so read later touchpoints) wins, whatever order the
 * writes land in.
 *
 * Two steps, so the rebuild loop can keep the second off the visibility path:
 * {@link writeProfiles} reads, folds and writes (a real-time `GET` of the
 * profile sees it at once); {@link settleProfiles} evaluates the saved
 * segments once the profiles are searchable. {@link rebuildCustomers} does
 * both, for callers that want the whole rebuild in one call.
 */
import { fold } from '../../../domain/src/fold';
import type { IndexContext, StoreContext } from '../context';
import { mergedInto, pointLinksTo, resolveRedirects } from '../identity/identity-links';
import { moveTouchpoints, readTouchpointsOf } from '../touchpoint-store';
import { markDirty } from '../dirty-set';
import { applySegmentMembership, currentSegmentsOf } from '../segment-membership';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';
import { untimed, type StepTimer } from '../../../infra/src/step-timer';

export interface RebuildResult {
  written: number;
  deleted: number;
  redirected: number;
}

/** A batch whose profiles are written (visible to a real-time get) but not yet searched by the segments. */
export interface WrittenProfiles extends RebuildResult {
  index: string;
  writtenIds: string[];
  heldSegments: Map<string, string[]>;
}

export interface WriteProfilesOptions {
  /** Default: the customers alias. A new index version during a mapping migration. */
  intoIndex?: string;
  /** `wait_for` (default): the write returns once the profiles are searchable. `false`: at once; the caller makes them searchable. */
  refresh?: 'wait_for' | false;
  /**
   * Makes every touchpoint and identity link written before this batch was
   * claimed searchable. Default: an explicit refresh of both indices; the
   * rebuild loop passes one refresh shared by all its loops (shared-refresh.ts).
   */
  refreshTouchpoints?: () => Promise<void>;
  /**
   * Times the steps, for `bench:freshness` (default: untimed): `redirectsMs`;
   * `refreshTouchpointsMs`, making the touchpoints written before the claim
   * searchable; `readMs`, touchpoints, merged ids and held segments read side
   * by side; `foldMs`; `writeMs`.
   */
  steps?: StepTimer;
}

/**
 * `ctx`: the rebuild loop's {@link StoreContext}; a mapping migration's
 * {@link IndexContext} has no Redis, and what a merge moves is then refreshed
 * at once instead of marking the survivor dirty (see below).
 */
export async function writeProfiles(
  ctx: StoreContext | IndexContext,
  customerIds: string[],
  version: number,
  options: WriteProfilesOptions = {},
): Promise<WrittenProfiles> {
  const index = options.intoIndex ?? ctx.names.customers;
  const steps = options.steps ?? untimed;
  const dirtySet = 'redis' in ctx ? ctx : null;
  const survivors = await resolveRedirects(ctx, customerIds);
  const merged = customerIds.filter((id) => survivors.get(id) !== id);
  const live = customerIds.filter((id) => survivors.get(id) === id);
  steps.lap('redirectsMs');

  await (options.refreshTouchpoints
    ? options.refreshTouchpoints()
    : ctx.es.indices.refresh({ index: [ctx.names.touchpoints, ctx.names.identities] }));
  for (const id of merged) {
    // A merge during ingest leaves the loser's links and touchpoints to this rebuild (merge-customers.ts, deferred);
    // after any merge, a touchpoint may have been resolved to the loser just before it. The refresh above shows
    // them all; the survivor is marked again, and its next rebuild refreshes before reading what moved.
    // (No Redis during a mapping migration: refreshed at once, the survivor is rebuilt in the same walk.)
    const survivor = survivors.get(id) ?? id;
    await pointLinksTo(ctx, id, survivor, { refreshBefore: false, refreshAfter: !dirtySet });
    const moved = await moveTouchpoints(ctx, id, survivor, {
      refreshBefore: false,
      refreshAfter: !dirtySet,
    });
    if (moved > 0 && dirtySet) await markDirty(dirtySet.redis, dirtySet.queues.dirty, [survivor]);
  }
  steps.lap('refreshTouchpointsMs');
  // Saved segments: the held ones are carried over, then re-evaluated after the write (real-time mget, no refresh needed).
  const [touchpoints, mergedFrom, heldSegments] = await Promise.all([
    readTouchpointsOf(ctx, live),
    mergedInto(ctx, live),
    currentSegmentsOf(ctx, live),
  ]);
  steps.lap('readMs');
  const asOf = new Date();
  const writtenIds: string[] = [];
  const operations: object[] = [];
  let written = 0;
  let deleted = 0;
  for (const id of live) {
    const doc = fold(id, touchpoints.get(id) ?? [], {
      asOf,
      mergedFrom: mergedFrom.get(id) ?? [],
      sourcePriority: ctx.identityRules?.config.sourcePriority,
    });
    if (doc) {
      doc.segments = heldSegments.get(id) ?? [];
      writtenIds.push(id);
      operations.push(
        { index: { _index: index, _id: id, version, version_type: 'external' } },
        doc,
      );
      written++;
    } else {
      operations.push({ delete: { _index: index, _id: id, version, version_type: 'external' } });
      deleted++;
    }
  }
  for (const id of merged) {
    operations.push({ delete: { _index: index, _id: id, version, version_type: 'external' } });
  }
  steps.lap('foldMs');
  if (operations.length > 0) {
    const result = await ctx.es.bulk({ operations, refresh: options.refresh ?? 'wait_for' });
    for (const item of result.items) {
      const op = item.index ?? item.delete;
      // 409: a later rebuild already wrote a newer profile. 404: nothing to delete.
      if (op?.error && op.status !== 409 && op.status !== 404) {
        throw new SafeError(
          'profile_write_failed',
          `writing profile ${op._id} failed: ${elasticsearchErrorType(op.error)}`,
        );
      }
    }
  }
  steps.lap('writeMs');
  return {
    written,
    deleted,
    redirected: merged.length,
    index,
    writtenIds,
    heldSegments,
  };
}

/** Evaluates the saved segments for a written batch. The profiles must be searchable by now. */
export async function settleProfiles(ctx: IndexContext, batch: WrittenProfiles): Promise<void> {
  await applySegmentMembership(ctx, batch.index, batch.writtenIds, batch.heldSegments);
}

/**
 * The whole rebuild in one call. `refresh: false` (a mapping migration)
 * writes without waiting and evaluates no segments: the new index is
 * refreshed at the end and segments are carried over as they were.
 */
export async function rebuildCustomers(
  ctx: StoreContext | IndexContext,
  customerIds: string[],
  version: number,
  options: { intoIndex?: string; refresh?: boolean } = {},
): Promise<RebuildResult> {
  const batch = await writeProfiles(ctx, customerIds, version, {
    intoIndex: options.intoIndex,
    refresh: options.refresh === false ? false : 'wait_for',
  });
  if (options.refresh !== false) await settleProfiles(ctx, batch);
  return { written: batch.written, deleted: batch.deleted, redirected: batch.redirected };
}
