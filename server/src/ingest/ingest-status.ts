import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IngestStatus } from '../../../domain/src/api';
import { countDirty } from '../../../store/src/dirty-set';
import { countDeadLetters } from '../../../infra/src/dead-letters';
import type { QueueNames } from '../../../infra/src/names';

/**
 * Queued jobs plus profiles still to rebuild plus rebuilt customers still to
 * match: when `waiting` and `active` are 0, everything accepted so far is
 * searchable (profiles are searchable before they leave the dirty set) and
 * matched (merged or proposed as duplicates). A full matching pass is not
 * counted: it has its own progress (`GET /identity/matching`). Dead letters are not
 * work in flight: they were set aside for good and are counted apart.
 */
export async function ingestStatus(
  queue: Queue,
  redis: Redis,
  names: QueueNames,
): Promise<IngestStatus> {
  const [counts, dirty, matching, last, deadLetters] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'failed', 'delayed', 'prioritized', 'waiting-children'),
    countDirty(redis, names.dirty),
    countDirty(redis, names.matchDirty),
    redis.get(names.lastIndexedAt),
    countDeadLetters(redis, names.deadLetters),
  ]);
  return {
    waiting:
      (counts.waiting ?? 0) +
      (counts.delayed ?? 0) +
      (counts.prioritized ?? 0) +
      dirty.waiting +
      matching.waiting,
    active: (counts.active ?? 0) + dirty.active + matching.active,
    matching,
    failed: counts.failed ?? 0,
    lastIndexedAt: last,
    deadLetters,
  };
}
