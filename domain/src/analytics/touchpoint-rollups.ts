/**
 * Touchpoint rollups: per hour and per day, how many touchpoints of
 * each combination of the dimensions the dashboard groups by, with the sum of
 * their amounts. The dashboard reads every closed hour that did not change
 * since its last rollup from the rollups, and the rest (the current hour,
 * hours changed since) from the raw touchpoints, in one search over both
 * indices.
 *
 * That works because a rollup document looks like a touchpoint with a weight:
 * the dimensions keep the touchpoint field names (`type`, `channel`,
 * `facts.status`, …), `occurredAt` is the start of its hour or day, `count`
 * says how many touchpoints it stands for and `facts.amount` holds their sum.
 * Counting is `sum(count)` with `missing: 1` (a raw touchpoint counts once),
 * averages are `weighted_avg` with the same weight, so every aggregation of
 * the dashboard means the same on both indices.
 *
 * Changes mark their UTC hour dirty (infra/src/rollup-hours.ts); the indexer
 * recomputes the whole day of every dirty closed hour. Readers take dirty
 * hours and the current one from the raw touchpoints.
 *
 * Rollups hold counts only: no customer id, no identifier, nothing personal.
 * Erasure and retention mark the hours they delete from as dirty, so an
 * erased person's touchpoints leave the counts at the next recompute (and are
 * not counted meanwhile: a dirty hour is read from the touchpoints).
 *
 * Pure: the indexer (recompute), the server (dashboard) and the bench share it.
 */
import type { estypes } from '@elastic/elasticsearch';

/** The grouping fields, named as in the touchpoints index. `facts.score` is one too, so NPS/CSAT can be filtered by score on rollups alike. */
export const rollupDimensions = [
  'type',
  'channel',
  'direction',
  'facts.status',
  'facts.salesChannel',
  'facts.complaint',
  'facts.surveyKind',
  'facts.score',
] as const;
export type RollupDimension = (typeof rollupDimensions)[number];

export type RollupGranularity = 'hour' | 'day';

export interface RollupDoc {
  /** The document id, also stored to find and page a day's documents. */
  key: string;
  /** UTC day (`2026-11-22`) the document belongs to. */
  day: string;
  granularity: RollupGranularity;
  /** Start of the hour or day. */
  occurredAt: string;
  type: string;
  channel?: string;
  direction?: string;
  facts: {
    status?: string;
    salesChannel?: string;
    complaint?: boolean;
    surveyKind?: string;
    score?: number;
    amount?: number;
  };
  /** How many touchpoints this document stands for. */
  count: number;
}

/** A bucket of the composite aggregation below, as Elasticsearch answers it. */
export interface RollupBucket {
  key: Record<string, string | number | boolean | null>;
  doc_count: number;
  amount?: { value: number | null };
}

const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

/** The UTC day of a timestamp (any zone), as the dashboard's date histograms count it. */
export function dayOf(timestamp: string | number | Date): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** `[gte, lt)` of a UTC day in ISO. */
export function dayBounds(day: string): { gte: string; lt: string } {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return { gte: new Date(start).toISOString(), lt: new Date(start + DAY_MS).toISOString() };
}

/** The aggregation keys: `h` for the hour, then one per dimension (missing values are a bucket of their own). */
const sourceName = (dim: RollupDimension) => dim.replace('facts.', '');

/** The composite aggregation that groups one day's touchpoints into rollup buckets (hour × every dimension), with the amount summed. */
export function rollupAggregation(
  after?: Record<string, string | number | boolean | null>,
  size = 2_000,
): estypes.AggregationsAggregationContainer {
  return {
    composite: {
      size,
      sources: [
        { h: { date_histogram: { field: 'occurredAt', fixed_interval: '1h' } } },
        ...rollupDimensions.map((dim) => ({
          [sourceName(dim)]: { terms: { field: dim, missing_bucket: true } },
        })),
      ],
      ...(after ? { after } : {}),
    },
    aggs: { amount: { sum: { field: 'facts.amount' } } },
  };
}

/** The query that selects the touchpoints of one day which count (deleted records do not). */
export function rollupSourceQuery(day: string): estypes.QueryDslQueryContainer {
  return {
    bool: {
      filter: [{ range: { occurredAt: dayBounds(day) } }],
      must_not: [{ term: { deleted: true } }],
    },
  };
}

/**
 * The rollup documents of one day from its composite buckets: one per hour
 * and combination, plus the day's sums per combination (the dashboard reads
 * hours for ranges of up to 7 days, days beyond).
 */
export function rollupDocsOfDay(day: string, buckets: RollupBucket[]): RollupDoc[] {
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  const hours: RollupDoc[] = [];
  const days = new Map<string, RollupDoc>();
  for (const bucket of buckets) {
    const hourStart = Number(bucket.key.h);
    if (
      !Number.isFinite(hourStart) ||
      hourStart < dayStart ||
      hourStart >= dayStart + DAY_MS ||
      bucket.doc_count === 0
    )
      continue;
    const dims = dimensionsOf(bucket.key);
    if (!dims) continue;
    const amount = bucket.amount?.value ?? 0;
    const signature = signatureOf(dims);
    const hourDoc = docOf(day, 'hour', hourStart, dims, signature, bucket.doc_count, amount);
    hours.push(hourDoc);
    const held = days.get(signature);
    if (held) {
      held.count += bucket.doc_count;
      held.facts.amount = round((held.facts.amount ?? 0) + amount);
    } else {
      days.set(signature, docOf(day, 'day', dayStart, dims, signature, bucket.doc_count, amount));
    }
  }
  return [...hours, ...days.values()];
}

type Dimensions = Omit<RollupDoc, 'key' | 'day' | 'granularity' | 'occurredAt' | 'count'>;

function dimensionsOf(key: RollupBucket['key']): Dimensions | null {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const type = text(key.type);
  if (!type) return null;
  const complaint =
    key.complaint === true || key.complaint === 'true'
      ? true
      : key.complaint === false || key.complaint === 'false'
        ? false
        : undefined;
  const score = typeof key.score === 'number' && Number.isFinite(key.score) ? key.score : undefined;
  const facts: Dimensions['facts'] = {};
  if (text(key.status) !== undefined) facts.status = text(key.status);
  if (text(key.salesChannel) !== undefined) facts.salesChannel = text(key.salesChannel);
  if (complaint !== undefined) facts.complaint = complaint;
  if (text(key.surveyKind) !== undefined) facts.surveyKind = text(key.surveyKind);
  if (score !== undefined) facts.score = score;
  return {
    type,
    ...(text(key.channel) !== undefined ? { channel: text(key.channel) } : {}),
    ...(text(key.direction) !== undefined ? { direction: text(key.direction) } : {}),
    facts,
  };
}

function signatureOf(d: Dimensions): string {
  // Values are keywords of at most 100 characters (touchpoint-facts.ts); `|` and `~` never need escaping for an id.
  return [
    d.type,
    d.channel,
    d.direction,
    d.facts.status,
    d.facts.salesChannel,
    d.facts.complaint,
    d.facts.surveyKind,
    d.facts.score,
  ]
    .map((v) => (v === undefined ? '~' : String(v)))
    .join('|');
}

function docOf(
  day: string,
  granularity: RollupGranularity,
  start: number,
  dims: Dimensions,
  signature: string,
  count: number,
  amount: number,
): RollupDoc {
  const slot = granularity === 'hour' ? `h${new Date(start).toISOString().slice(11, 13)}` : 'd';
  return {
    key: `${day}|${slot}|${signature}`,
    day,
    granularity,
    occurredAt: new Date(start).toISOString(),
    ...dims,
    facts: { ...dims.facts, ...(amount !== 0 ? { amount: round(amount) } : {}) },
    count,
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** Counting that means the same on touchpoints (each counts once) and rollups (each counts `count`). */
export const countOf: estypes.AggregationsAggregationContainer = {
  sum: { field: 'count', missing: 1 },
};

/** An average weighted the same way (the CSAT average over rollups is the average over the touchpoints they stand for). */
export function weightedAverageOf(field: string): estypes.AggregationsAggregationContainer {
  return { weighted_avg: { value: { field }, weight: { field: 'count', missing: 1 } } };
}

/** The UTC hour of a timestamp (`2026-11-22T13`): the unit in which changes mark rollups dirty. */
export function hourOf(timestamp: string | number | Date): string {
  return new Date(timestamp).toISOString().slice(0, 13);
}

export function isHour(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}:00:00Z`));
}

/**
 * Dirty hours as few time ranges as possible (runs of consecutive hours
 * merged: a backfill of a year is one range, not 8,760 clauses), and the days
 * they lie on.
 */
export function dirtyRanges(hours: string[]): {
  ranges: { gte: string; lt: string }[];
  days: string[];
} {
  const starts = [...new Set(hours.filter(isHour))]
    .map((h) => Date.parse(`${h}:00:00.000Z`))
    .sort((a, b) => a - b);
  const ranges: { gte: string; lt: string }[] = [];
  let runStart = NaN;
  let runEnd = NaN;
  for (const start of starts) {
    if (start === runEnd) {
      runEnd = start + HOUR;
      continue;
    }
    if (!Number.isNaN(runStart))
      ranges.push({ gte: new Date(runStart).toISOString(), lt: new Date(runEnd).toISOString() });
    runStart = start;
    runEnd = start + HOUR;
  }
  if (!Number.isNaN(runStart))
    ranges.push({ gte: new Date(runStart).toISOString(), lt: new Date(runEnd).toISOString() });
  return { ranges, days: [...new Set(starts.map((s) => dayOf(s)))] };
}

export interface RollupWindow {
  /** Start of the range: Elasticsearch date math or ISO, whole hours (`now-24h/h`) or, with `day` granularity, whole days (`now-7d/d`). Unset: all time. */
  from?: string;
  /** `hour`: read hourly rollups only (ranges that count per hour); `day`: daily rollups of clean closed days, hourly ones of the rest. */
  granularity: RollupGranularity;
  /** Hours changed since their last rollup (the dirty set): read from the touchpoints. */
  dirtyHours: string[];
}

/**
 * The query over `<touchpoints>,<rollups>` that counts every touchpoint of
 * the range exactly once:
 * - raw touchpoints of the current hour, later hours (appointments may lie
 *   ahead) and the dirty hours;
 * - hourly rollups of every other hour of today and of days with a dirty
 *   hour (or of the whole range, with `hour` granularity);
 * - daily rollups of the other, clean, closed days.
 * So the raw part stays about one hour of touchpoints however busy the day.
 * Rollup documents are told apart by their `granularity`, which touchpoints
 * do not have.
 */
export function touchpointsOrRollups(
  window: RollupWindow,
  extra: estypes.QueryDslQueryContainer[] = [],
): estypes.QueryDslQueryContainer {
  const from = window.from ? [{ range: { occurredAt: { gte: window.from } } }] : [];
  const dirty = dirtyRanges(window.dirtyHours);
  const inDirtyHours = dirty.ranges.map((r) => ({ range: { occurredAt: r } }));
  const raw: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [
        ...from,
        ...extra,
        {
          bool: {
            should: [{ range: { occurredAt: { gte: 'now/h' } } }, ...inDirtyHours],
            minimum_should_match: 1,
          },
        },
      ],
      must_not: [{ exists: { field: 'granularity' } }, { term: { deleted: true } }],
    },
  };
  const hourly = (scope: estypes.QueryDslQueryContainer[]): estypes.QueryDslQueryContainer => ({
    bool: {
      filter: [
        { term: { granularity: 'hour' } },
        ...from,
        { range: { occurredAt: { lt: 'now/h' } } },
        ...scope,
        ...extra,
      ],
      ...(inDirtyHours.length > 0 ? { must_not: inDirtyHours } : {}),
    },
  });
  const parts: estypes.QueryDslQueryContainer[] = [raw];
  if (window.granularity === 'hour') {
    parts.push(hourly([]));
  } else {
    const todayOrDirtyDays = {
      bool: {
        should: [
          { range: { occurredAt: { gte: 'now/d' } } },
          ...(dirty.days.length > 0 ? [{ terms: { day: dirty.days } }] : []),
        ],
        minimum_should_match: 1,
      },
    };
    parts.push(hourly([todayOrDirtyDays]));
    parts.push({
      bool: {
        filter: [
          { term: { granularity: 'day' } },
          ...from,
          { range: { occurredAt: { lt: 'now/d' } } },
          ...extra,
        ],
        ...(dirty.days.length > 0 ? { must_not: [{ terms: { day: dirty.days } }] } : {}),
      },
    });
  }
  return { bool: { should: parts, minimum_should_match: 1 } };
}
