/**
 * The set of customers whose profile must be rebuilt: a Redis sorted set,
 * member = customer id, score = since when it is dirty (ms), or, while a
 * rebuilder holds it, until when its lease runs.
 *
 * - Marking is `ZADD LT now`: a new customer is added; an already dirty one
 *   keeps its earlier time (bursts coalesce into one rebuild); a leased one
 *   drops back to "dirty now", so it is rebuilt again after the running rebuild.
 * - Claiming atomically takes the oldest dirty members and sets their score to
 *   a unique lease end. A crashed rebuilder's lease simply expires.
 * - Releasing removes a member only if its score is still the lease: if it was
 *   marked again meanwhile, it stays for the next round.
 *
 * So a rebuild is never lost, and every burst of changes ends in one more
 * rebuild that sees all of them.
 *
 * Marking also publishes on `<key>:wake` (see {@link dirtyWakeChannel}), so
 * idle rebuild loops start at once instead of polling. The claim size follows
 * the backlog (`spread`): a few dirty customers are shared out over the loops
 * in small batches (latency), a large backlog goes in full batches (throughput).
 */
import type { Redis } from 'ioredis';

// ARGV: lease ms, limit, jitter, spread, least. With spread > 1 the batch is ceil(waiting / spread), within [least, limit].
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = now + tonumber(ARGV[1]) + tonumber(ARGV[3])
local limit = tonumber(ARGV[2])
local spread = tonumber(ARGV[4])
if spread > 1 then
  local waiting = redis.call('ZCOUNT', KEYS[1], '-inf', now)
  limit = math.min(limit, math.max(tonumber(ARGV[5]), math.ceil(waiting / spread)))
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
local oldest = '0'
if #ids > 0 then oldest = redis.call('ZSCORE', KEYS[1], ids[1]) end
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], lease, id) end
return { string.format('%d', lease), t[1] .. string.format('%06d', tonumber(t[2])), ids, oldest, string.format('%d', now) }
`;

const RELEASE = `
local removed = 0
for i = 1, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(KEYS[2]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
`;

export interface Claim {
  ids: string[];
  /** The lease score, needed to release. */
  lease: string;
  /** Redis time of the claim in microseconds: the external version of the profiles written for it. */
  version: number;
  /** How long the longest-waiting claimed customer had been dirty (ms, Redis clock): the queueing delay. */
  waitedMs?: number;
}

/** Redis pub/sub channel on which {@link markDirty} wakes idle rebuild loops. */
export function dirtyWakeChannel(key: string): string {
  return `${key}:wake`;
}

export async function markDirty(
  redis: Redis,
  key: string,
  customerIds: Iterable<string>,
): Promise<void> {
  const now = Date.now();
  const args: (string | number)[] = [];
  for (const id of new Set(customerIds)) args.push(now, id);
  if (args.length === 0) return;
  // One round trip: the wake-up is only a hint (loops also poll), the sorted set is the truth.
  await redis
    .pipeline()
    .zadd(key, 'LT', ...args)
    .publish(dirtyWakeChannel(key), '1')
    .exec()
    .then(firstPipelineError);
}

export interface ClaimOptions {
  /** Lease length (ms). Default 60,000. */
  leaseMs?: number;
  /** Share the waiting customers out over this many claimers: claim ceil(waiting / spread). Default 1 (always `limit`). */
  spread?: number;
  /** With `spread`: claim at least this many when that many wait. Default 1. */
  least?: number;
}

export async function claimDirty(
  redis: Redis,
  key: string,
  limit: number,
  { leaseMs = 60_000, spread = 1, least = 1 }: ClaimOptions = {},
): Promise<Claim> {
  // A random offset makes leases differ, so one rebuilder does not release another's claim.
  // Integers only: Lua prints larger floats with 14 digits, which would break the comparison.
  const jitter = Math.floor(Math.random() * 1000);
  const [lease, micros, ids, oldest, now] = (await redis.eval(
    CLAIM,
    1,
    key,
    leaseMs,
    limit,
    jitter,
    Math.max(1, Math.floor(spread)),
    Math.max(1, Math.floor(least)),
  )) as [string, string, string[], string, string];
  return {
    ids,
    lease,
    version: Number(micros),
    waitedMs: ids.length > 0 ? Math.max(0, Number(now) - Number(oldest)) : 0,
  };
}

export async function releaseDirty(redis: Redis, key: string, claim: Claim): Promise<void> {
  if (claim.ids.length > 0) await redis.eval(RELEASE, 2, key, claim.lease, ...claim.ids);
}

export async function countDirty(
  redis: Redis,
  key: string,
): Promise<{ waiting: number; active: number }> {
  const now = Date.now();
  const [waiting, total] = await Promise.all([redis.zcount(key, '-inf', now), redis.zcard(key)]);
  return { waiting, active: total - waiting };
}

function firstPipelineError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
