/**
 * The full matching pass: every customer matched once, with progress, and
 * resumable after any indexer dies.
 *
 * Its state is one Redis hash (`queues.matchRun`): id, state, total,
 * processed, merged, proposed, startedAt, finishedAt, the cursor (the last
 * customer id fed) and whether everything has been fed. One indexer at a
 * time drives the pass (a lease): it walks the customers in id order with
 * `search_after` and feeds them, a page at a time, into the pass set
 * (`queues.matchPass`, the dirty set's leases), moving the cursor in the same
 * atomic step; every indexer's match loop claims batches from it and counts
 * what it matched into the hash. A driver that dies leaves its lease to
 * expire and the next one goes on from the cursor; a batch whose matcher dies
 * is claimed again when its lease runs out. The pass is done when everything
 * was fed and the pass set is empty.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MatchRunView } from '../../../domain/src/api';
import type { QueueNames } from '../../../infra/src/names';
import type { StoreContext } from '../context';
import { dirtyWakeChannel } from '../dirty-set';

export type { MatchRunView };

export class MatchRunConflict extends Error {}

// KEYS: run hash, pass set. ARGV: id, total, startedAt. Refuses (nil) while a pass runs.
const START = `
if redis.call('HGET', KEYS[1], 'state') == 'running' then return nil end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'running', 'total', ARGV[2], 'processed', 0,
  'merged', 0, 'proposed', 0, 'startedAt', ARGV[3], 'cursor', '', 'fed', 0, 'estimated', 0)
return 1
`;

// KEYS: run hash, pass set. ARGV: run id, now (ms), cursor, fed (0/1), ids… Only for the running pass of that id.
const FEED = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
for i = 5, #ARGV do redis.call('ZADD', KEYS[2], 'LT', ARGV[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'cursor', ARGV[3], 'fed', ARGV[4])
return 1
`;

// KEYS: run hash. ARGV: processed, merged, proposed. Counts into the running pass.
const COUNT = `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
redis.call('HINCRBY', KEYS[1], 'processed', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'merged', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'proposed', ARGV[3])
return 1
`;

// KEYS: run hash, pass set. ARGV: finishedAt. Done when everything was fed and matched.
const FINISH = `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' or redis.call('HGET', KEYS[1], 'fed') ~= '1' then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', ARGV[1])
return 1
`;

/** The pass as the hash holds it, with what only the driver needs. */
export interface MatchRunState extends MatchRunView {
  cursor: string | null;
  fed: boolean;
  estimated: boolean;
}

function viewOf(hash: Record<string, string>): MatchRunState | null {
  if (!hash.id) return null;
  const startedAt = hash.startedAt;
  const finishedAt = hash.finishedAt || null;
  const processed = Number(hash.processed ?? 0);
  const total = Number(hash.total ?? 0);
  const seconds =
    ((finishedAt ? Date.parse(finishedAt) : Date.now()) - Date.parse(startedAt)) / 1000;
  return {
    id: hash.id,
    state: hash.state as MatchRunView['state'],
    // Customers created during the pass are matched too: the count may pass the total taken at its start.
    processed,
    total,
    merged: Number(hash.merged ?? 0),
    proposed: Number(hash.proposed ?? 0),
    startedAt,
    finishedAt,
    recordsPerSecond: seconds > 0 ? Math.round((processed / seconds) * 10) / 10 : 0,
    cursor: hash.cursor || null,
    fed: hash.fed === '1',
    estimated: hash.estimated === '1',
  };
}

export async function readMatchRun(
  redis: Redis,
  queues: QueueNames,
): Promise<MatchRunState | null> {
  return viewOf(await redis.hgetall(queues.matchRun));
}

/** Starts a full pass over the customers there are now; {@link MatchRunConflict} while one runs. */
export async function startMatchRun(ctx: StoreContext): Promise<MatchRunState> {
  await ctx.es.indices.refresh({ index: ctx.names.customers });
  const { count } = await ctx.es.count({ index: ctx.names.customers });
  const id = `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const started = await ctx.redis.eval(
    START,
    2,
    ctx.queues.matchRun,
    ctx.queues.matchPass,
    id,
    count,
    new Date().toISOString(),
  );
  if (started === null) throw new MatchRunConflict('A full matching pass is running already.');
  const run = await readMatchRun(ctx.redis, ctx.queues);
  if (!run) throw new Error('the matching pass just started is gone');
  return run;
}

/** Customers the driver feeds per page. */
export const passPageSize = 1_000;

/**
 * Feeds the next page of customers (after the cursor, in id order) into the
 * pass set and moves the cursor, atomically. Answers false when the pass is
 * no longer this one or everything was fed.
 */
export async function feedNextPage(
  ctx: StoreContext,
  run: MatchRunState,
  pageSize = passPageSize,
): Promise<boolean> {
  if (run.fed) return false;
  // No point in time: the cursor outlives this process (a driver that dies is resumed by another).
  const page = await ctx.es.search<{ id: string }>({
    index: ctx.names.customers,
    size: pageSize,
    _source: false,
    track_total_hits: false,
    sort: [{ id: 'asc' }],
    ...(run.cursor ? { search_after: [run.cursor] } : {}),
  });
  const ids = page.hits.hits.map((h) => h._id).filter((id): id is string => Boolean(id));
  const fed = ids.length < pageSize;
  const cursor = ids.length > 0 ? ids[ids.length - 1] : (run.cursor ?? '');
  const ok = await ctx.redis.eval(
    FEED,
    2,
    ctx.queues.matchRun,
    ctx.queues.matchPass,
    run.id,
    Date.now(),
    cursor,
    fed ? 1 : 0,
    ...ids,
  );
  if (ids.length > 0) await ctx.redis.publish(dirtyWakeChannel(ctx.queues.matchPass), '1');
  return ok === 1 && !fed;
}

export async function markRunEstimated(
  redis: Redis,
  queues: QueueNames,
  runId: string,
): Promise<void> {
  if ((await redis.hget(queues.matchRun, 'id')) === runId)
    await redis.hset(queues.matchRun, 'estimated', 1);
}

/** Counts a matched batch of the pass into its progress. */
export async function countPassBatch(
  redis: Redis,
  queues: QueueNames,
  counts: { processed: number; merged: number; proposed: number },
): Promise<void> {
  await redis.eval(COUNT, 1, queues.matchRun, counts.processed, counts.merged, counts.proposed);
}

/** Ends the pass once everything was fed and matched; answers whether it ended now. */
export async function finishIfDone(redis: Redis, queues: QueueNames): Promise<boolean> {
  return (
    (await redis.eval(FINISH, 2, queues.matchRun, queues.matchPass, new Date().toISOString())) === 1
  );
}

/** Marks the running pass failed (a driver that cannot go on, e.g. the customers index is gone). */
export async function failMatchRun(redis: Redis, queues: QueueNames, runId: string): Promise<void> {
  if ((await redis.hget(queues.matchRun, 'id')) === runId)
    await redis.hset(queues.matchRun, 'state', 'failed', 'finishedAt', new Date().toISOString());
}
