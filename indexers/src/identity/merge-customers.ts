import { recordSystemEvent } from '../../../infra/src/system-audit';
import type { IndexerContext } from '../context';
import { markDirty } from '../rebuild/dirty-set';
import { moveTouchpoints } from '../store/touchpoint-store';
import { areNotSame, relink, resolveRedirects } from './identity-links';

/**
 * Merges `loser` into `winner`: a redirect `merged:<loser>` is written first
 * (so readers and late writers follow it at once), then the loser's links and
 * touchpoints are moved. Both are marked dirty: the winner's profile is rebuilt
 * from all touchpoints, and the loser's rebuild finds the redirect and moves
 * anything that raced in meanwhile (see rebuild-customers.ts).
 */
export async function mergeCustomers(ctx: IndexerContext, winner: string, loser: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Either side may have been merged by another worker meanwhile: merge the survivors.
    const current = await resolveRedirects(ctx, [winner, loser]);
    const [to, from] = [current.get(winner) ?? winner, current.get(loser) ?? loser].sort();
    if (to === from) return;
    // An admin said these are two people: never merge them automatically.
    if (await areNotSame(ctx, to, from)) return;
    if (!(await relink(ctx, from, to))) continue; // `from` was merged elsewhere just now: follow it
    const moved = await moveTouchpoints(ctx, from, to);
    await markDirty(ctx.redis, ctx.queues.dirty, [to, from]);
    ctx.log('customers merged', { winner: to, loser: from, moved });
    await recordSystemEvent(ctx.es, ctx.names.audit, { action: 'merge', actor: 'system:indexer', customerIds: [to, from], details: { moved } }, (error) =>
      ctx.log('audit entry of a merge failed', { error: (error as Error).message }),
    );
    return;
  }
  throw new Error(`merging ${loser} into ${winner} kept racing with other merges; retrying the batch`);
}

/** The surviving id of a group: the oldest, since ids are time-ordered. */
export function pickSurvivor(ids: Iterable<string>): string {
  return [...ids].sort()[0];
}
