/**
 * Segments whose filter depends on the clock ("contract ends within 60 days",
 * "no order in the last 90 days") change membership without any new
 * touchpoint, so no rebuild would notice. Once a day (before the snapshot)
 * every saved segment is checked for drift: profiles that match but do not
 * hold it, or hold it but no longer match. Only those are re-evaluated, with
 * the same function as after a rebuild, so entries and exits are recorded alike.
 */
import type { estypes } from '@elastic/elasticsearch';
import { filterToQuery } from '../../../domain/src/analytics/es-query';
import { membershipFilter } from '../../../domain/src/analytics/segment-audience';
import { scan } from '../../../infra/src/scan';
import type { IndexerContext } from '../context';
import {
  applySegmentMembership,
  currentSegmentsOf,
  loadSegments,
  type MembershipChanges,
} from '../../../store/src/segment-membership';

const batchSize = 500;

export async function reconcileSegments(
  ctx: IndexerContext,
): Promise<MembershipChanges & { checked: number }> {
  const segments = await loadSegments(ctx);
  const total: MembershipChanges & { checked: number } = { entered: 0, exited: 0, checked: 0 };
  for (const segment of segments) {
    const matches = filterToQuery(membershipFilter(segment));
    const holds: estypes.QueryDslQueryContainer = { term: { segments: segment.name } };
    const drifted: estypes.QueryDslQueryContainer = {
      bool: {
        should: [
          { bool: { filter: [matches], must_not: [holds] } },
          { bool: { filter: [holds], must_not: [matches] } },
        ],
        minimum_should_match: 1,
      },
    };
    for await (const hits of scan(ctx.es, {
      index: ctx.names.customers,
      size: batchSize,
      _source: false,
      query: drifted,
      sort: [{ id: 'asc' }],
    })) {
      const ids = hits.map((h) => h._id).filter((id): id is string => Boolean(id));
      const changes = await applySegmentMembership(
        ctx,
        ctx.names.customers,
        ids,
        await currentSegmentsOf(ctx, ids),
      );
      total.entered += changes.entered;
      total.exited += changes.exited;
      total.checked += ids.length;
    }
  }
  return total;
}
