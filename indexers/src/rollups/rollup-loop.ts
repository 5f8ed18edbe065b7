/**
 * The rollup loop of one indexer process: every few seconds it
 * claims the closed hours marked dirty (infra/src/rollup-hours.ts),
 * recomputes the whole day of each from the touchpoints (one aggregation per
 * day) and releases them. Claims are leases as in the rebuild loop: several
 * indexers share the work, a crashed one's lease runs out, and an hour marked
 * again while its day is recomputed stays dirty for the next round. So a day
 * is recomputed at most once per round however many touchpoints arrive for it.
 */
import type { Redis } from 'ioredis';
import { rollupDirtyHoursKey } from '../../../infra/src/live-names';
import { hourOf } from '../../../domain/src/analytics/touchpoint-rollups';
import type { IndexerContext } from '../context';
import { releaseDirty, type Claim } from '../../../store/src/dirty-set';
import { recomputeRollupDay, type DayRollup } from '../../../store/src/rollups/recompute-rollups';

const CLAIM_CLOSED_HOURS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = now + tonumber(ARGV[1]) + tonumber(ARGV[3])
local hours = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
local claimed = {}
for _, hour in ipairs(hours) do
  if #claimed >= tonumber(ARGV[2]) then break end
  if hour < ARGV[4] then
    redis.call('ZADD', KEYS[1], lease, hour)
    table.insert(claimed, hour)
  end
end
return { string.format('%d', lease), claimed }
`;

/** Claims up to `limit` dirty hours before `currentHour` (UTC, `2026-11-22T13`). */
export async function claimClosedHours(
  redis: Redis,
  key: string,
  limit: number,
  leaseMs = 120_000,
  currentHour = hourOf(Date.now()),
): Promise<Claim> {
  const jitter = Math.floor(Math.random() * 1000);
  const [lease, hours] = (await redis.eval(
    CLAIM_CLOSED_HOURS,
    1,
    key,
    leaseMs,
    limit,
    jitter,
    currentHour,
  )) as [string, string[]];
  return { ids: hours, lease, version: 0 };
}

/**
 * One round: claim closed dirty hours, recompute their days (the touchpoints
 * are refreshed first, so every write marked before the claim is seen),
 * release. Returns the days recomputed.
 */
export async function rollUpDirtyHours(
  ctx: Pick<IndexerContext, 'es' | 'redis' | 'names' | 'queues'>,
  options: {
    limit?: number;
    onClaim?: (hours: number) => void;
    onDay?: (rollup: DayRollup) => void;
  } = {},
): Promise<DayRollup[]> {
  const key = rollupDirtyHoursKey(ctx.queues);
  const claim = await claimClosedHours(ctx.redis, key, options.limit ?? hoursPerRound);
  options.onClaim?.(claim.ids.length);
  if (claim.ids.length === 0) return [];
  await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  const done: DayRollup[] = [];
  for (const day of [...new Set(claim.ids.map((hour) => hour.slice(0, 10)))].sort()) {
    const rollup = await recomputeRollupDay(ctx, day, { refresh: false });
    done.push(rollup);
    options.onDay?.(rollup);
  }
  // Searchable before the days are released: until then the dashboard reads them from the touchpoints.
  await ctx.es.indices.refresh({ index: ctx.names.touchpointRollups });
  await releaseDirty(ctx.redis, key, claim);
  return done;
}

/** A month of hours per round. */
const hoursPerRound = 31 * 24;

export interface RollupLoop {
  close(): Promise<void>;
}

/** `intervalMs`: pause between rounds when there is no backlog, default 3 s. */
export function startRollupLoop(
  ctx: IndexerContext,
  options: { intervalMs?: number } = {},
): RollupLoop {
  const intervalMs = options.intervalMs ?? 3_000;
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async () => {
    while (!stopping) {
      try {
        // Rounds back to back while a backlog lasts (a full claim), else one every interval: a day that keeps
        // changing is recomputed at most once per interval, and its dirty hours read from the touchpoints meanwhile.
        let claimed = 0;
        const done = await rollUpDirtyHours(ctx, { onClaim: (hours) => (claimed = hours) });
        if (done.length > 0)
          ctx.log('touchpoint rollups recomputed', { days: done.length, hours: claimed }, 'debug');
        if (claimed < hoursPerRound) await sleep(intervalMs);
      } catch (error) {
        // The lease runs out and a later round recomputes the days: nothing is lost. Elasticsearch error types only, no data.
        ctx.log(
          'rollup recompute failed, will retry',
          { error: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
          'warn',
        );
        await sleep(intervalMs);
      }
    }
  };
  const running = loop();
  return {
    async close() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
