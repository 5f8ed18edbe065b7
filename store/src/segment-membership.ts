/**
 * Saved-segment membership, evaluated on every profile rebuild.
 *
 * The embedded Elasticsearch has no percolator, so the saved filters run as
 * ordinary queries restricted to the ids of the batch just written: one
 * `_msearch` with one search per segment. A change of membership is written
 * to the profile (`segments[]`) and recorded as an entry or exit event.
 */
import type { estypes } from '@elastic/elasticsearch';
import { filterToQuery } from '../../domain/src/analytics/es-query';
import {
  membershipFilter,
  type SegmentDefinition,
} from '../../domain/src/analytics/segment-audience';
import { isNotFound } from '../../infra/src/elasticsearch';
import type { IndexContext } from './context';
import { elasticsearchErrorType, SafeError } from '../../infra/src/safe-error';

/** A saved segment; a marketing one admits only customers with the needed consent (membershipFilter). */
export type SavedSegment = SegmentDefinition;

/** At most this many saved segments are evaluated per batch (one search each). */
export const maxSegments = 500;

export async function loadSegments(ctx: IndexContext): Promise<SavedSegment[]> {
  try {
    const answer = await ctx.es.search<SavedSegment>({
      index: ctx.names.segments,
      size: maxSegments,
      query: { match_all: {} },
      sort: [{ name: 'asc' }],
    });
    return answer.hits.hits.map((h) => h._source as SavedSegment);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** The segments each customer held before this rebuild (carried over so a rebuild never blanks them). */
export async function currentSegmentsOf(
  ctx: IndexContext,
  ids: string[],
): Promise<Map<string, string[]>> {
  const held = new Map<string, string[]>();
  if (ids.length === 0) return held;
  try {
    const answer = await ctx.es.mget<{ segments?: string[] }>({
      index: ctx.names.customers,
      ids,
      _source_includes: ['segments'],
    });
    for (const doc of answer.docs) {
      if ('found' in doc && doc.found) held.set(doc._id, doc._source?.segments ?? []);
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return held;
}

export interface MembershipChanges {
  entered: number;
  exited: number;
}

/** Runs every saved segment against the written ids and records what changed. The profiles must be searchable (refresh). */
export async function applySegmentMembership(
  ctx: IndexContext,
  index: string,
  ids: string[],
  previous: Map<string, string[]>,
): Promise<MembershipChanges> {
  if (ids.length === 0) return { entered: 0, exited: 0 };
  const segments = await loadSegments(ctx);
  const anyHeld = ids.some((id) => (previous.get(id) ?? []).length > 0);
  if (segments.length === 0 && !anyHeld) return { entered: 0, exited: 0 };

  const now = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  if (segments.length > 0) {
    const searches: estypes.MsearchRequestItem[] = segments.flatMap((s) => [
      { index },
      {
        size: ids.length,
        _source: false,
        track_total_hits: false,
        query: { bool: { filter: [{ ids: { values: ids } }, filterToQuery(membershipFilter(s))] } },
      },
    ]);
    const answer = await ctx.es.msearch({ searches });
    answer.responses.forEach((response, i) => {
      if ('error' in response)
        throw new SafeError(
          'segment_failed',
          `segment ${segments[i].id} could not be evaluated: ${elasticsearchErrorType(response.error)}`,
        );
      for (const hit of response.hits.hits) if (hit._id) now.get(hit._id)?.add(segments[i].name);
    });
  }

  const at = new Date().toISOString();
  const operations: object[] = [];
  let entered = 0;
  let exited = 0;
  for (const id of ids) {
    const before = new Set(previous.get(id) ?? []);
    const after = now.get(id) ?? new Set<string>();
    const ins = [...after].filter((s) => !before.has(s));
    const outs = [...before].filter((s) => !after.has(s));
    if (ins.length === 0 && outs.length === 0) continue;
    operations.push(
      { update: { _index: index, _id: id } },
      { doc: { segments: [...after].sort() } },
    );
    for (const [kind, list] of [
      ['entered', ins],
      ['exited', outs],
    ] as const) {
      for (const segment of list) {
        operations.push(
          { index: { _index: ctx.names.segmentEvents, _id: `${id}:${segment}:${at}` } },
          { customerId: id, segment, kind, at },
        );
      }
    }
    entered += ins.length;
    exited += outs.length;
  }
  if (operations.length > 0) {
    const result = await ctx.es.bulk({ operations, refresh: 'wait_for' });
    for (const item of result.items) {
      const op = item.update ?? item.index;
      // 404: the profile was removed meanwhile (erasure, merge): nothing to mark.
      if (op?.error && op.status !== 404)
        throw new SafeError(
          'segment_write_failed',
          `recording segment membership of ${op._id} failed: ${elasticsearchErrorType(op.error)}`,
        );
    }
  }
  return { entered, exited };
}
