/**
 * "At most N of these at once per caller", shared by every API process: each
 * running answer (an export, a live stream) holds a lease in a Redis sorted
 * set per caller and route, scored by when it lapses. A lease is renewed
 * while the answer runs and removed when it ends; one left by a process that
 * died lapses by itself, so a crash never locks a caller out for long.
 * Counting and taking a lease is one script, so two processes cannot both
 * take the last one.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runningLeasesKey } from '../../../infra/src/shared-keys';
import type { QueueNames } from '../../../infra/src/names';

/** How long a lease lives without renewal; renewed every third of it. */
export const leaseMs = 30_000;

const takeLease = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[3]) then return -held end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return held + 1
`;

export interface Lease {
  release(): void;
}

/** A lease, or the number already running when the caller is at its limit. */
export async function acquireLease(
  redis: Redis,
  queues: QueueNames,
  scope: string,
  limit: number,
): Promise<Lease | { running: number }> {
  const key = runningLeasesKey(queues, scope);
  const member = randomUUID();
  const now = Date.now();
  const held = (await redis.eval(
    takeLease,
    1,
    key,
    String(now),
    String(now + leaseMs),
    String(limit),
    member,
    String(leaseMs * 2),
  )) as number;
  if (held < 0) return { running: -held };
  const renew = setInterval(() => {
    void redis.zadd(key, 'XX', Date.now() + leaseMs, member).catch(() => {});
  }, leaseMs / 3);
  renew.unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(renew);
      void redis.zrem(key, member).catch(() => {
        // Lapses by itself within leaseMs.
      });
    },
  };
}
