/**
 * Names of the live dashboards' channel, the dirty rollup hours and the
 * snapshots, derived from the existing queue and index names rather than new
 * fields, so every place that builds QueueNames or IndexNames keeps working.
 */
import type { IndexNames, QueueNames } from './names';

/** Redis pub/sub channel: the rebuild loop publishes after each batch of rebuilt profiles. */
export function profilesRebuiltChannel(queues: QueueNames): string {
  return queues.dirty.replace(/:dirty-customers$/, '') + ':profiles-rebuilt';
}

/** Redis sorted set of hours whose touchpoint rollups must be recomputed (infra/src/rollup-hours.ts). */
export function rollupDirtyHoursKey(queues: QueueNames): string {
  return queues.dirty.replace(/:dirty-customers$/, '') + ':rollup-dirty-hours';
}

/** BullMQ queue of snapshot jobs (daily repeatable + on demand). */
export function snapshotQueueName(queues: QueueNames): string {
  return queues.ingest.replace(/-ingest$/, '') + '-snapshots';
}

/** The snapshot index of one day: `<prefix>-snapshots-2026-11-22`. */
export function snapshotIndexName(names: IndexNames, date: string): string {
  return `${names.customers.replace(/-customers$/, '')}-snapshots-${date}`;
}

export function snapshotIndexPattern(names: IndexNames): string {
  return `${names.customers.replace(/-customers$/, '')}-snapshots-*`;
}
