/**
 * The hours whose touchpoint rollups are out of date: a Redis
 * sorted set, member = UTC hour (`2026-11-22T13`), score = since when it is
 * dirty (ms) or, while the indexer's rollup loop recomputes its day, until
 * when that lease runs — the same protocol as the dirty customers
 * (store/src/dirty-set.ts).
 *
 * Whoever stores or deletes touchpoints marks their hours after the write, so
 * a recompute that claims the hour afterwards sees the change. Until then the
 * dashboard reads a dirty hour from the touchpoints themselves
 * (domain/src/analytics/touchpoint-rollups.ts), so it is never behind. The
 * current hour (and any later one) stays marked until it is over: only closed
 * hours are claimed.
 */
import type { Redis } from 'ioredis';
import { hourOf } from '../../domain/src/analytics/touchpoint-rollups';
import { rollupDirtyHoursKey } from './live-names';
import type { QueueNames } from './names';

/** Marks the hours of these timestamps dirty (`ZADD LT now`: an hour already waiting keeps its earlier time). */
export async function markRollupHours(
  redis: Redis,
  queues: QueueNames,
  timestamps: Iterable<string | number | Date | null | undefined>,
): Promise<void> {
  const hours = new Set<string>();
  for (const t of timestamps) {
    if (t === null || t === undefined) continue;
    const ms = new Date(t).getTime();
    if (Number.isFinite(ms)) hours.add(hourOf(ms));
  }
  if (hours.size === 0) return;
  const now = Date.now();
  const args: (string | number)[] = [];
  for (const hour of hours) args.push(now, hour);
  await redis.zadd(rollupDirtyHoursKey(queues), 'LT', ...args);
}

/** Every hour whose rollups must not be read now: waiting for a recompute or being recomputed. */
export async function dirtyRollupHours(redis: Redis, queues: QueueNames): Promise<string[]> {
  return redis.zrange(rollupDirtyHoursKey(queues), '0', '-1');
}
