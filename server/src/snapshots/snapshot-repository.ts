/**
 * Reads of the daily snapshots: which days exist, how customers
 * moved between segments from one day to another, trends of segment sizes,
 * ARPU and cancellations, and a profile as of a past moment (folded again
 * from its touchpoints).
 */
import type { MigrationAnswer, MigrationDimension, TrendsAnswer } from '../../../domain/src/api';
import type { estypes } from '@elastic/elasticsearch';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import { fold } from '../../../domain/src/fold/index';
import type { Profile } from '../../../domain/src/profile';
import { isNotFound } from '../../../infra/src/elasticsearch';
import { snapshotIndexName, snapshotIndexPattern } from '../../../infra/src/live-names';
import { scan } from '../../../infra/src/scan';
import type { ServerContext } from '../context';
import { AppError } from '../errors';

interface SnapshotDoc {
  customerId: string;
  date: string;
  segment: string | null;
  segments: string[];
}

export const noneLabel = '(none)';
export const absentLabel = '(not a customer)';

export async function listSnapshotDays(
  ctx: ServerContext,
): Promise<{ date: string; customers: number }[]> {
  const indices = await ctx.es.cat.indices({
    index: snapshotIndexPattern(ctx.names),
    format: 'json',
    h: ['index', 'docs.count'],
  });
  return (indices as { index?: string; 'docs.count'?: string }[])
    .map((i) => ({ date: String(i.index).slice(-10), customers: Number(i['docs.count'] ?? 0) }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

async function snapshotExists(ctx: ServerContext, date: string): Promise<boolean> {
  return ctx.es.indices.exists({ index: snapshotIndexName(ctx.names, date) });
}

function labelOf(doc: SnapshotDoc | undefined, dimension: MigrationDimension): string {
  if (!doc) return absentLabel;
  if (dimension === 'segment') return doc.segment ?? noneLabel;
  return doc.segments.length > 0 ? [...doc.segments].sort().join(' + ') : noneLabel;
}

/**
 * Walks both days' snapshots in customer order (one sorted search over the two
 * indices, paged by search_after) and calls `visit` with each customer's
 * label on either day. Linear in the number of customers.
 */
async function walkPairs(
  ctx: ServerContext,
  from: string,
  to: string,
  dimension: MigrationDimension,
  visit: (customerId: string, fromLabel: string, toLabel: string) => boolean | void,
): Promise<void> {
  const fromIndex = snapshotIndexName(ctx.names, from);
  const toIndex = snapshotIndexName(ctx.names, to);
  let pending: { id: string; from?: SnapshotDoc; to?: SnapshotDoc } | null = null;
  const flush = () =>
    pending
      ? visit(pending.id, labelOf(pending.from, dimension), labelOf(pending.to, dimension))
      : undefined;
  for await (const hits of scan<SnapshotDoc>(ctx.es, {
    index: [fromIndex, toIndex],
    size: 5_000,
    _source: ['customerId', 'date', 'segment', 'segments'],
    sort: [{ customerId: 'asc' }, { date: 'asc' }],
  })) {
    for (const h of hits) {
      const doc = h._source as SnapshotDoc;
      if (!pending || pending.id !== doc.customerId) {
        if (flush() === false) return;
        pending = { id: doc.customerId };
      }
      if (h._index === fromIndex) pending.from = doc;
      else pending.to = doc;
    }
  }
  flush();
}

export async function segmentMigration(
  ctx: ServerContext,
  from: string,
  to: string,
  dimension: MigrationDimension,
): Promise<MigrationAnswer | { missing: string }> {
  const started = Date.now();
  for (const day of [from, to]) if (!(await snapshotExists(ctx, day))) return { missing: day };
  const flows = new Map<string, number>();
  const sizes = new Map<string, number>();
  let customers = 0;
  let moved = 0;
  await walkPairs(ctx, from, to, dimension, (_id, a, b) => {
    customers++;
    if (a !== b) moved++;
    const key = JSON.stringify([a, b]);
    flows.set(key, (flows.get(key) ?? 0) + 1);
    sizes.set(a, (sizes.get(a) ?? 0) + 1);
    sizes.set(b, (sizes.get(b) ?? 0) + 1);
  });
  return {
    from,
    to,
    dimension,
    labels: [...sizes].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([l]) => l),
    flows: [...flows]
      .map(([key, count]) => {
        const [a, b] = JSON.parse(key) as [string, string];
        return { from: a, to: b, count };
      })
      .sort((x, y) => y.count - x.count),
    customers,
    moved,
    tookMs: Date.now() - started,
  };
}

/** The customers behind one cell of the migration matrix. */
export async function migratedCustomers(
  ctx: ServerContext,
  request: {
    from: string;
    to: string;
    dimension: MigrationDimension;
    fromLabel: string;
    toLabel: string;
    size: number;
  },
): Promise<
  | { items: { id: string; name: string; segment: string | null }[]; more: boolean }
  | { missing: string }
> {
  for (const day of [request.from, request.to])
    if (!(await snapshotExists(ctx, day))) return { missing: day };
  const ids: string[] = [];
  let more = false;
  await walkPairs(ctx, request.from, request.to, request.dimension, (id, a, b) => {
    if (a !== request.fromLabel || b !== request.toLabel) return;
    if (ids.length >= request.size) {
      more = true;
      return false;
    }
    ids.push(id);
  });
  if (ids.length === 0) return { items: [], more };
  const docs = await ctx.es.mget<Profile>({
    index: ctx.names.customers,
    ids,
    _source_includes: ['id', 'name', 'segment'],
  });
  const byId = new Map(
    docs.docs
      .filter((d) => 'found' in d && d.found)
      .map((d) => [d._id, (d as { _source?: Profile })._source]),
  );
  // A customer erased since the snapshot stays out of the list.
  return {
    items: ids
      .filter((id) => byId.has(id))
      .map((id) => ({
        id,
        name: byId.get(id)?.name ?? id,
        segment: byId.get(id)?.segment ?? null,
      })),
    more,
  };
}

/** Trends over the snapshot days: segment sizes, ARPU of contract holders, cancellations in the last 12 months. */
export async function snapshotTrends(
  ctx: ServerContext,
  dimension: MigrationDimension,
): Promise<TrendsAnswer> {
  const field = dimension === 'segment' ? 'segment' : 'segments';
  try {
    const answer = await ctx.es.search({
      index: snapshotIndexPattern(ctx.names),
      size: 0,
      aggs: {
        days: {
          terms: { field: 'date', size: 400, order: { _key: 'asc' } },
          aggs: {
            segments: { terms: { field, size: 30, missing: noneLabel } },
            contractHolders: {
              filter: { range: { 'kpis.activeContracts': { gte: 1 } } },
              aggs: { arpu: { avg: { field: 'kpis.monthlyRevenue' } } },
            },
            cancellations: { sum: { field: 'kpis.cancellations12m' } },
          },
        },
      },
    });
    type DayBucket = {
      key_as_string?: string;
      key: number;
      doc_count: number;
      segments: { buckets: { key: string; doc_count: number }[] };
      contractHolders: { arpu: { value: number | null } };
      cancellations: { value: number };
    };
    const buckets =
      (answer.aggregations?.days as { buckets?: DayBucket[] } | undefined)?.buckets ?? [];
    return {
      days: buckets.map((b) => ({
        date: (b.key_as_string ?? new Date(b.key).toISOString()).slice(0, 10),
        customers: b.doc_count,
        arpu:
          b.contractHolders.arpu.value === null
            ? null
            : Math.round(b.contractHolders.arpu.value * 100) / 100,
        cancellations12m: Math.round(b.cancellations.value),
        segments: Object.fromEntries(b.segments.buckets.map((s) => [String(s.key), s.doc_count])),
      })),
    };
  } catch (error) {
    if (isNotFound(error)) return { days: [] };
    throw error;
  }
}

/**
 * Touchpoints one `?asOf=` folds at most. The fold needs them all in memory
 * at once (about 2 KB each as read), so a customer with a longer history is
 * refused with 422 rather than read whole: 20,000 is some 40 MB of one
 * request, a hundred times the history of a busy customer.
 */
export const maxAsOfTouchpoints = 20_000;

/** The profile as it was at `asOf`: the fold of the touchpoints that had occurred by then. Null when the customer had none yet. */
export async function profileAsOf(
  ctx: ServerContext,
  customerId: string,
  asOf: Date,
): Promise<Profile | null> {
  const query: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [{ term: { customerId } }, { range: { occurredAt: { lte: asOf.toISOString() } } }],
    },
  };
  const tooMany = (count: string) =>
    new AppError(
      422,
      'history_too_long',
      `Customer ${customerId} has ${count} touchpoints up to ${asOf.toISOString()}; a profile as of a date folds at most ${maxAsOfTouchpoints.toLocaleString('en-US')}: use the current profile, or a daily snapshot (GET /api/v1/analytics/migration) for the past.`,
      [{ path: 'asOf', message: `more than ${maxAsOfTouchpoints} touchpoints to fold` }],
    );
  // Counted first, so an overlong history costs one count instead of reading it.
  const counted = await ctx.es.count({ index: ctx.names.touchpoints, query });
  if (counted.count > maxAsOfTouchpoints) throw tooMany(counted.count.toLocaleString('en-US'));
  const touchpoints: StoredTouchpoint[] = [];
  for await (const hits of scan<StoredTouchpoint>(ctx.es, {
    index: ctx.names.touchpoints,
    size: 5_000,
    query,
    sort: [{ key: 'asc' }],
  })) {
    for (const h of hits) touchpoints.push(h._source as StoredTouchpoint);
    // Touchpoints stored since the count do not lift the bound either.
    if (touchpoints.length > maxAsOfTouchpoints)
      throw tooMany(`more than ${maxAsOfTouchpoints.toLocaleString('en-US')}`);
  }
  const doc = fold(customerId, touchpoints, { asOf });
  if (!doc) return null;
  const { search: _search, ...profile } = doc;
  return profile;
}

/** `?asOf=` of `GET /api/v1/customers/{id}`: a day (its end) or a moment, not in the future. */
export function parseAsOf(raw: unknown): Date {
  const text = typeof raw === 'string' ? raw : '';
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? Date.parse(`${text}T23:59:59.999Z`)
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (!Number.isFinite(moment)) {
    throw new AppError(
      400,
      'invalid_request',
      'asOf must be a day (2026-10-02) or an ISO-8601 timestamp.',
      [{ path: 'asOf', message: 'is not a date' }],
    );
  }
  return new Date(Math.min(moment, Date.now()));
}

export type { MigrationAnswer, MigrationDimension, TrendsAnswer };
