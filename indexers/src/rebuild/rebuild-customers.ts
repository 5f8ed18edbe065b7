/**
 * Rebuilds the profiles of a batch of customers: profile = fold(touchpoints).
 *
 * Profiles are written with an external version taken from Redis' clock at
 * claim time, so when two rebuilds of one customer overlap, the one that
 * started later (and so read later touchpoints) wins, whatever order the
 * writes land in.
 */
import { fold } from '../../../domain/src/fold/index';
import type { IndexerContext } from '../context';
import { mergedInto, resolveRedirects } from '../identity/identity-links';
import { moveTouchpoints, readTouchpointsOf } from '../store/touchpoint-store';
import { markDirty } from './dirty-set';
import { applySegmentMembership, currentSegmentsOf } from '../segments/segment-membership';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

export interface RebuildResult {
  written: number;
  deleted: number;
  redirected: number;
}

export async function rebuildCustomers(
  ctx: IndexerContext,
  customerIds: string[],
  version: number,
  options: { intoIndex?: string; refresh?: boolean } = {},
): Promise<RebuildResult> {
  const index = options.intoIndex ?? ctx.names.customers;
  const survivors = await resolveRedirects(ctx, customerIds);
  const merged = customerIds.filter((id) => survivors.get(id) !== id);
  for (const id of merged) {
    // A touchpoint may have been resolved to this id just before the merge.
    const moved = await moveTouchpoints(ctx, id, survivors.get(id) ?? id);
    // (No Redis during a mapping migration: the survivor is rebuilt in the same walk.)
    if (moved > 0 && ctx.redis) await markDirty(ctx.redis, ctx.queues.dirty, [survivors.get(id) ?? id]);
  }
  const live = customerIds.filter((id) => survivors.get(id) === id);

  await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  const [touchpoints, mergedFrom] = await Promise.all([readTouchpointsOf(ctx, live), mergedInto(ctx, live)]);
  const asOf = new Date();
  // Saved segments (issue 5): the held ones are carried over, then re-evaluated after the write.
  const heldSegments = await currentSegmentsOf(ctx, live);
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
      operations.push({ index: { _index: index, _id: id, version, version_type: 'external' } }, doc);
      written++;
    } else {
      operations.push({ delete: { _index: index, _id: id, version, version_type: 'external' } });
      deleted++;
    }
  }
  for (const id of merged) {
    operations.push({ delete: { _index: index, _id: id, version, version_type: 'external' } });
  }
  if (operations.length > 0) {
    const result = await ctx.es.bulk({ operations, refresh: options.refresh === false ? false : 'wait_for' });
    for (const item of result.items) {
      const op = item.index ?? item.delete;
      // 409: a later rebuild already wrote a newer profile. 404: nothing to delete.
      if (op?.error && op.status !== 409 && op.status !== 404) {
        throw new SafeError('profile_write_failed', `writing profile ${op._id} failed: ${elasticsearchErrorType(op.error)}`);
      }
    }
  }
  if (options.refresh !== false) {
    await applySegmentMembership(ctx, index, writtenIds, heldSegments);
  }
  return { written, deleted, redirected: merged.length };
}
