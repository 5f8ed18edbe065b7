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
 */
import type { Redis } from 'ioredis';

const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = now + tonumber(ARGV[1]) + tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], lease, id) end
return { string.format('%d', lease), t[1] .. string.format('%06d', tonumber(t[2])), ids }
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
}

export async function markDirty(redis: Redis, key: string, customerIds: Iterable<string>): Promise<void> {
  const now = Date.now();
  const args: (string | number)[] = [];
  for (const id of new Set(customerIds)) args.push(now, id);
  if (args.length > 0) await redis.zadd(key, 'LT', ...args);
}

export async function claimDirty(redis: Redis, key: string, limit: number, leaseMs = 60_000): Promise<Claim> {
  // A random offset makes leases differ, so one rebuilder does not release another's claim.
  // Integers only: Lua prints larger floats with 14 digits, which would break the comparison.
  const jitter = Math.floor(Math.random() * 1000);
  const [lease, micros, ids] = (await redis.eval(CLAIM, 1, key, leaseMs, limit, jitter)) as [string, string, string[]];
  return { ids, lease, version: Number(micros) };
}

export async function releaseDirty(redis: Redis, key: string, claim: Claim): Promise<void> {
  if (claim.ids.length > 0) await redis.eval(RELEASE, 2, key, claim.lease, ...claim.ids);
}

export async function countDirty(redis: Redis, key: string): Promise<{ waiting: number; active: number }> {
  const now = Date.now();
  const [waiting, total] = await Promise.all([redis.zcount(key, '-inf', now), redis.zcard(key)]);
  return { waiting, active: total - waiting };
}
