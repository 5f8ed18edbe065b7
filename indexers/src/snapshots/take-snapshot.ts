/**
 * The daily snapshot: every profile's segment, saved segments and
 * KPIs written to `<prefix>-snapshots-YYYY-MM-DD` (id = customer id), the
 * base of segment migration and trends.
 *
 * - Today: copied from the current profiles (point-in-time + search_after + _bulk).
 * - A past day (backfill): each profile folded again from its touchpoints as
 *   of the end of that day, and the saved-segment membership of that day
 *   replayed from the entry/exit events.
 *
 * Running it again for a day replaces that day's snapshot.
 */
import type { estypes } from '@elastic/elasticsearch';
import { fold } from '../../../domain/src/fold/index';
import type { CustomerDocument, Kpis } from '../../../domain/src/profile';
import { defaultIndexLayout, replicaSettings } from '../../../infra/src/index-layout';
import { snapshotIndexName } from '../../../infra/src/live-names';
import { compositeBuckets, scan } from '../../../infra/src/scan';
import definition from '../../../mappings/snapshots.json' with { type: 'json' };
import type { IndexerContext } from '../context';
import { readTouchpointsOf } from '../../../store/src/touchpoint-store';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

export interface SnapshotDoc {
  customerId: string;
  date: string;
  segment: string | null;
  segments: string[];
  status: string | null;
  kpis: Partial<Kpis>;
}

export interface SnapshotResult {
  date: string;
  index: string;
  customers: number;
  mode: 'copy' | 'refold';
  ms: number;
}

const kpiFields = [
  'lifetimeValue',
  'orderCount',
  'openTickets',
  'complaints12m',
  'activeContracts',
  'monthlyRevenue',
  'cancellations12m',
  'lastNps',
  'lastCsat',
] as const;

function toSnapshot(doc: Partial<CustomerDocument>, date: string, segments: string[]): SnapshotDoc {
  const kpis: Partial<Kpis> = {};
  for (const k of kpiFields) (kpis as Record<string, unknown>)[k] = doc.kpis?.[k] ?? null;
  return {
    customerId: String(doc.id),
    date,
    segment: doc.segment ?? null,
    segments,
    status: doc.status ?? null,
    kpis,
  };
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function takeSnapshot(
  ctx: IndexerContext,
  options: { date?: string; batchSize?: number } = {},
): Promise<SnapshotResult> {
  const started = Date.now();
  const date = options.date ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
    throw new SafeError('invalid_date', `not a day: ${date.slice(0, 20)}`, { unrecoverable: true });
  if (date > today())
    throw new SafeError('future_date', `cannot snapshot the future (${date})`, {
      unrecoverable: true,
    });
  const index = snapshotIndexName(ctx.names, date);
  if (await ctx.es.indices.exists({ index })) await ctx.es.indices.delete({ index });
  await ctx.es.indices.create({
    index,
    // One primary shard (a day of KPIs is small); the replicas of the installation.
    settings: {
      ...definition.settings,
      number_of_shards: 1,
      ...replicaSettings(ctx.replicas ?? defaultIndexLayout.replicas),
    },
    mappings: definition.mappings as estypes.MappingTypeMapping,
  });
  const mode = date === today() ? 'copy' : 'refold';
  const customers =
    mode === 'copy'
      ? await copyProfiles(ctx, index, date, options.batchSize ?? 5_000)
      : await refoldProfiles(ctx, index, date, options.batchSize ?? 500);
  await ctx.es.indices.refresh({ index });
  return { date, index, customers, mode, ms: Date.now() - started };
}

async function writeSnapshots(
  ctx: IndexerContext,
  index: string,
  docs: SnapshotDoc[],
): Promise<void> {
  if (docs.length === 0) return;
  const result = await ctx.es.bulk({
    operations: docs.flatMap((d) => [{ index: { _index: index, _id: d.customerId } }, d]),
  });
  if (result.errors) {
    const failed = result.items.find((i) => i.index?.error)?.index;
    throw new SafeError(
      'snapshot_write_failed',
      `writing snapshot ${index} failed: ${elasticsearchErrorType(failed?.error)}`,
    );
  }
}

async function copyProfiles(
  ctx: IndexerContext,
  index: string,
  date: string,
  pageSize: number,
): Promise<number> {
  let total = 0;
  for await (const hits of scan<CustomerDocument>(ctx.es, {
    index: ctx.names.customers,
    _source: ['id', 'segment', 'segments', 'status', 'kpis'],
    size: pageSize,
    keepAlive: '2m',
  })) {
    await writeSnapshots(
      ctx,
      index,
      hits.map((h) => toSnapshot(h._source ?? {}, date, h._source?.segments ?? [])),
    );
    total += hits.length;
  }
  return total;
}

async function refoldProfiles(
  ctx: IndexerContext,
  index: string,
  date: string,
  batchSize: number,
): Promise<number> {
  const asOf = new Date(`${date}T23:59:59.999Z`);
  let total = 0;
  for await (const buckets of compositeBuckets<{ key: { id: string }; doc_count: number }>(ctx.es, {
    index: ctx.names.touchpoints,
    query: { range: { occurredAt: { lte: asOf.toISOString() } } },
    aggregation: {
      composite: { size: batchSize, sources: [{ id: { terms: { field: 'customerId' } } }] },
    },
  })) {
    const ids = buckets.map((b) => b.key.id);
    const [touchpoints, memberships] = await Promise.all([
      readTouchpointsOf(ctx, ids),
      membershipsAsOf(ctx, ids, asOf),
    ]);
    const docs: SnapshotDoc[] = [];
    for (const id of ids) {
      const doc = fold(id, touchpoints.get(id) ?? [], { asOf });
      if (doc) docs.push(toSnapshot(doc, date, memberships.get(id) ?? []));
    }
    await writeSnapshots(ctx, index, docs);
    total += docs.length;
  }
  return total;
}

/** Saved-segment membership at a past moment, replayed from the entry/exit events. */
async function membershipsAsOf(
  ctx: IndexerContext,
  ids: string[],
  asOf: Date,
): Promise<Map<string, string[]>> {
  const state = new Map<string, Map<string, boolean>>();
  try {
    for await (const hits of scan<{ customerId: string; segment: string; kind: string }>(ctx.es, {
      index: ctx.names.segmentEvents,
      size: 5_000,
      query: {
        bool: {
          filter: [{ terms: { customerId: ids } }, { range: { at: { lte: asOf.toISOString() } } }],
        },
      },
      sort: [{ at: 'asc' }, { customerId: 'asc' }, { segment: 'asc' }],
    })) {
      for (const h of hits) {
        const e = h._source!;
        const held = state.get(e.customerId) ?? new Map<string, boolean>();
        held.set(e.segment, e.kind === 'entered');
        state.set(e.customerId, held);
      }
    }
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw error;
  }
  return new Map(
    [...state].map(([id, held]) => [
      id,
      [...held]
        .filter(([, inside]) => inside)
        .map(([s]) => s)
        .sort(),
    ]),
  );
}
