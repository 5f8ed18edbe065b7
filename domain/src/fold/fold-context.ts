/**
 * What every part of the fold shares: the point in time it folds at, typed
 * access to a touchpoint's `data`, and small deterministic aggregations.
 */
import type { z } from 'zod';
import { dataSchemas, type StoredTouchpoint, type TouchpointType } from '../contract';
import { touchpointChannel } from '../identity-keys';

/** The moment the profile is folded at. */
export interface FoldContext {
  /** Only touchpoints that occurred at or before this count. */
  asOfMs: number;
  /** "12 months" KPIs count what happened after this and at or before `asOfMs`. */
  twelveMonthsAgoMs: number;
}

export function foldContext(asOf: Date): FoldContext {
  const start = new Date(asOf.getTime());
  start.setUTCMonth(start.getUTCMonth() - 12);
  return { asOfMs: asOf.getTime(), twelveMonthsAgoMs: start.getTime() };
}

export function withinTwelveMonths(ms: number, ctx: FoldContext): boolean {
  return ms > ctx.twelveMonthsAgoMs && ms <= ctx.asOfMs;
}

export type DataOf<T extends TouchpointType> = z.infer<(typeof dataSchemas)[T]>;

/** A live touchpoint with its time parsed and its `data` checked against its type's schema. */
export interface TypedTouchpoint<T extends TouchpointType> {
  tp: StoredTouchpoint;
  key: string;
  /** `occurredAt` in epoch milliseconds. */
  at: number;
  data: DataOf<T>;
}

/**
 * The touchpoints of one type, in the given (chronological) order, with typed
 * data. A touchpoint whose `data` no longer matches its schema (stored before
 * a schema change) is left out of the type's figures rather than failing the
 * whole profile; it still counts as a touchpoint.
 */
export function ofType<T extends TouchpointType>(
  type: T,
  live: readonly StoredTouchpoint[],
): TypedTouchpoint<T>[] {
  // The schema map is indexed by a generic key, which TypeScript cannot narrow;
  // the cast states what `satisfies Record<TouchpointType, …>` guarantees.
  const schema = dataSchemas[type] as unknown as z.ZodType<DataOf<T>>;
  const result: TypedTouchpoint<T>[] = [];
  for (const tp of live) {
    if (tp.type !== type) continue;
    const parsed = schema.safeParse(tp.data ?? {});
    if (parsed.success)
      result.push({ tp, key: tp.key, at: Date.parse(tp.occurredAt), data: parsed.data });
  }
  return result;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Money is summed in cents' precision so float noise never shows in a KPI. */
export function roundMoney(n: number): number {
  return Math.round(n * 100) / 100;
}

export function uniqueSorted(values: Iterable<string | null | undefined>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v) set.add(v);
  return [...set].sort(compareStrings);
}

/** Code-unit comparison: unlike localeCompare it is the same on every runtime. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The most frequent value; a tie goes to the value used most recently
 * (`values` are in chronological order).
 */
export function mostFrequent(values: readonly (string | null | undefined)[]): string | null {
  const counts = new Map<string, { count: number; last: number }>();
  values.forEach((v, i) => {
    if (!v) return;
    const entry = counts.get(v) ?? { count: 0, last: -1 };
    entry.count += 1;
    entry.last = i;
    counts.set(v, entry);
  });
  let best: string | null = null;
  let bestEntry = { count: 0, last: -1 };
  for (const [v, entry] of counts) {
    if (
      entry.count > bestEntry.count ||
      (entry.count === bestEntry.count && entry.last > bestEntry.last)
    ) {
      best = v;
      bestEntry = entry;
    }
  }
  return best;
}

export function trimmedOrNull(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/** The unique channels (see `touchpointChannel`) of some touchpoints. */
export function channelsOf(items: readonly { tp: StoredTouchpoint }[]): string[] {
  return uniqueSorted(items.map((i) => touchpointChannel(i.tp)));
}

/** Contacts with the customer, as counted by the interaction types. */
export interface ContactPart {
  channels: string[];
  /** Per `channel:direction`. */
  contacts: Record<string, number>;
  /** Epoch ms of the latest contact, or null. */
  lastContactAt: number | null;
}

export function addCount(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function latestAt(items: readonly { at: number }[]): number | null {
  // reduce, not Math.max(...): a long-standing customer can have more touchpoints than call arguments allow.
  return items.reduce<number | null>((max, i) => (max === null || i.at > max ? i.at : max), null);
}

/**
 * Parses a date (`2026-10-02`, read as the end of that day in UTC: a contract
 * ending on a day still runs on that day) or a timestamp to epoch ms.
 */
export function endOfDateMs(s: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T23:59:59.999Z`) : Date.parse(s);
}

/** A date is read as the start of that day in UTC; a timestamp as given. */
export function startOfDateMs(s: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00.000Z`) : Date.parse(s);
}
