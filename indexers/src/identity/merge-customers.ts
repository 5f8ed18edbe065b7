import type { IndexerContext } from '../context';
import { markDirty } from '../rebuild/dirty-set';
import { moveTouchpoints } from '../store/touchpoint-store';
import { relink } from './identity-links';

/**
 * Merges `loser` into `winner`: a redirect `merged:<loser>` is written first
 * (so readers and late writers follow it at once), then the loser's links and
 * touchpoints are moved. Both are marked dirty: the winner's profile is rebuilt
 * from all touchpoints, and the loser's rebuild finds the redirect and moves
 * anything that raced in meanwhile (see rebuild-customers.ts).
 */
export async function mergeCustomers(ctx: IndexerContext, winner: string, loser: string): Promise<void> {
  if (winner === loser) return;
  await relink(ctx, loser, winner);
  const moved = await moveTouchpoints(ctx, loser, winner);
  await markDirty(ctx.redis, ctx.queues.dirty, [winner, loser]);
  ctx.log('customers merged', { winner, loser, moved });
}

/** The surviving id of a group: the oldest, since ids are time-ordered. */
export function pickSurvivor(ids: Iterable<string>): string {
  return [...ids].sort()[0];
}
