/**
 * Saved segments: stored in `<prefix>-segments`; membership is
 * evaluated by the indexer on every profile rebuild
 * (store/src/segment-membership.ts). Saving or deleting a segment
 * marks the affected customers dirty, so existing profiles are evaluated at
 * once by the same path rather than by a second implementation here.
 *
 * A marketing segment leaves out customers without the needed
 * consent (domain/src/analytics/segment-audience.ts); how many it leaves out
 * is counted on the profiles as they are now, with the analytics query
 * (the count the marketing export reports too).
 */
import type { estypes } from '@elastic/elasticsearch';
import { analyticsQuery, filterToQuery } from '../../../domain/src/analytics/es-query';
import type { Filter } from '../../../domain/src/analytics/query-schema';
import {
  excludedWithoutConsentFilter,
  membershipFilter,
  type SegmentDefinition,
  type SegmentPurpose,
  type SegmentView,
} from '../../../domain/src/analytics/segment-audience';
import type { MarketingChannel } from '../../../domain/src/marketing-consent';
import { isConflict, isNotFound } from '../../../infra/src/elasticsearch';
import { scan } from '../../../infra/src/scan';
import type { ServerContext } from '../context';

export type Segment = SegmentDefinition;
export type { SegmentView };

export interface SegmentEvent {
  customerId: string;
  segment: string;
  kind: 'entered' | 'exited';
  at: string;
}

/** A stable id from the name: "No email consent!" → "no-email-consent". */
export function segmentIdOf(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'segment'
  );
}

export async function listSegments(ctx: ServerContext): Promise<SegmentView[]> {
  const [segments, counts] = await Promise.all([
    ctx.es.search<Segment>({
      index: ctx.names.segments,
      size: 500,
      sort: [{ name: 'asc' }],
      query: { match_all: {} },
    }),
    ctx.es.search({
      index: ctx.names.customers,
      size: 0,
      aggs: { s: { terms: { field: 'segments', size: 500 } } },
    }),
  ]);
  const members = new Map(
    (
      ((counts.aggregations?.s as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
        estypes.AggregationsStringTermsBucket[] | undefined) ?? []
    ).map((b) => [String(b.key), b.doc_count]),
  );
  return Promise.all(
    segments.hits.hits.map(async (h) => {
      const s = h._source as Segment;
      return { ...(await withExclusions(ctx, s)), members: members.get(s.name) ?? 0 };
    }),
  );
}

/** The segment plus, for a marketing segment, how many customers matching its filter lack the needed consent right now. */
export async function withExclusions(ctx: ServerContext, segment: Segment): Promise<SegmentView> {
  const excluded = excludedWithoutConsentFilter(segment);
  if (!excluded) return segment;
  const answer = await ctx.es.count({
    index: ctx.names.customers,
    query: analyticsQuery(excluded),
  });
  return { ...segment, excludedWithoutConsent: answer.count };
}

export async function getSegment(ctx: ServerContext, id: string): Promise<Segment | null> {
  try {
    const doc = await ctx.es.get<Segment>({ index: ctx.names.segments, id });
    return doc._source ?? null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Creates the segment; null when one of that name exists. */
export async function createSegment(
  ctx: ServerContext,
  input: {
    name: string;
    filter: Filter;
    createdBy: string;
    purpose?: SegmentPurpose;
    consentChannels?: MarketingChannel[];
  },
): Promise<{ segment: SegmentView; queued: number } | null> {
  const segment: Segment = {
    id: segmentIdOf(input.name),
    name: input.name,
    filter: input.filter,
    createdAt: new Date().toISOString(),
    createdBy: input.createdBy,
    ...(input.purpose ? { purpose: input.purpose, consentChannels: input.consentChannels } : {}),
  };
  try {
    await ctx.es.create({
      index: ctx.names.segments,
      id: segment.id,
      document: segment,
      refresh: 'wait_for',
    });
  } catch (error) {
    if (isConflict(error)) return null;
    throw error;
  }
  // Only future members need an evaluation now: customers left out for lacking consent never held it.
  const queued = await markMatchingDirty(ctx, filterToQuery(membershipFilter(segment)));
  return { segment: await withExclusions(ctx, segment), queued };
}

export async function deleteSegment(ctx: ServerContext, id: string): Promise<Segment | null> {
  const segment = await getSegment(ctx, id);
  if (!segment) return null;
  await ctx.es.delete({ index: ctx.names.segments, id, refresh: 'wait_for' });
  await markMatchingDirty(ctx, { term: { segments: segment.name } });
  return segment;
}

export async function segmentEvents(
  ctx: ServerContext,
  segment: string,
  size: number,
): Promise<SegmentEvent[]> {
  const answer = await ctx.es.search<SegmentEvent>({
    index: ctx.names.segmentEvents,
    size,
    query: { term: { segment } },
    sort: [{ at: 'desc' }, { customerId: 'asc' }],
  });
  return answer.hits.hits.map((h) => h._source as SegmentEvent);
}

/** Puts every matching customer in the dirty set (same rules as store/src/dirty-set.ts: `ZADD LT now`). */
async function markMatchingDirty(
  ctx: ServerContext,
  query: estypes.QueryDslQueryContainer,
): Promise<number> {
  let queued = 0;
  for await (const hits of scan(ctx.es, {
    index: ctx.names.customers,
    query,
    _source: false,
    size: 5_000,
  })) {
    const now = Date.now();
    const args: (string | number)[] = [];
    for (const h of hits) if (h._id) args.push(now, h._id);
    if (args.length > 0) await ctx.redis.zadd(ctx.queues.dirty, 'LT', ...args);
    queued += hits.length;
  }
  return queued;
}
