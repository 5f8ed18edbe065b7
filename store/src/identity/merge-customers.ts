import { recordSystemEvent } from '../../../infra/src/system-audit';
import type { StoreContext } from '../context';
import { failureFields } from '../../../infra/src/safe-error';
import { markDirty } from '../dirty-set';
import { moveTouchpoints } from '../touchpoint-store';
import {
  areNotSame,
  createRedirect,
  pointLinksTo,
  redirectKey,
  resolveRedirects,
} from './identity-links';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

/**
 * Merges `loser` into `winner`: a redirect `merged:<loser>` is written first
 * (so readers and late writers follow it at once), then the loser's links and
 * touchpoints are moved. Both are marked dirty: the winner's profile is rebuilt
 * from all touchpoints, and the loser's rebuild finds the redirect and moves
 * anything that raced in meanwhile (see rebuild-customers.ts).
 *
 * `deferred` (identity resolution during ingest): only the redirect is
 * written and both are marked dirty; the loser's rebuild, which runs after a
 * refresh of touchpoints and links, points its links and moves its
 * touchpoints to the winner and marks the winner again. The ingest job then
 * waits for no search and no refresh (a synchronous merge costs two searches
 * and two refreshes at least, seconds on a busy node, while the job holds a
 * worker slot). Until the loser's rebuild, the winner's profile may lack the
 * loser's records; `GET /ingest/status` is not 0/0 before it is complete.
 * Admin repairs merge synchronously: everything is searchable under the
 * winner when this returns.
 */
export async function mergeCustomers(
  ctx: StoreContext,
  winner: string,
  loser: string,
  { deferred = false }: { deferred?: boolean } = {},
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Either side may have been merged by another worker meanwhile: merge the survivors.
    const current = await resolveRedirects(ctx, [winner, loser]);
    const [to, from] = [current.get(winner) ?? winner, current.get(loser) ?? loser].sort();
    if (to === from) return;
    // An admin said these are two people: never merge them automatically.
    if (await areNotSame(ctx, to, from)) return;
    if (!(await createRedirect(ctx, from, to))) continue; // `from` was merged elsewhere just now: follow it
    let moved: number | undefined;
    if (!deferred) {
      await pointLinksTo(ctx, from, to);
      moved = await moveTouchpoints(ctx, from, to);
    }
    await markDirty(ctx.redis, ctx.queues.dirty, [to, from]);
    ctx.log(
      'customers merged',
      { winner: to, loser: from, ...(deferred ? { deferred } : { moved }) },
      'debug',
    );
    await recordSystemEvent(
      ctx.es,
      ctx.names.audit,
      {
        action: 'merge',
        actor: 'system:indexer',
        customerIds: [to, from],
        details: deferred ? { deferred } : { moved },
      },
      (error) => ctx.log('audit entry of a merge failed', failureFields(error), 'warn'),
    );
    return;
  }
  throw new SafeError(
    'merge_race',
    `merging ${loser} into ${winner} kept racing with other merges; retrying the batch`,
  );
}

/**
 * Redirects ids that were made moments ago in the same resolution (nothing is
 * stored under them but the links just created, which readers follow through
 * the redirect) in one bulk of create-only redirects: no search, no refresh.
 * Returns the pairs redirected (`winner>loser`); a loser merged elsewhere meanwhile (409)
 * is left to the full {@link mergeCustomers}.
 */
export async function redirectFreshIds(
  ctx: StoreContext,
  pairs: [winner: string, loser: string][],
): Promise<Set<string>> {
  const done = new Set<string>();
  if (pairs.length === 0) return done;
  const createdAt = new Date().toISOString();
  const result = await ctx.es.bulk({
    operations: pairs.flatMap(([winner, loser]) => [
      { create: { _index: ctx.names.identities, _id: redirectKey(loser) } },
      { key: redirectKey(loser), kind: 'merged', customerId: winner, createdAt, fresh: true },
    ]),
  });
  result.items.forEach((item, i) => {
    // Keyed by pair: one fresh id may be planned into several survivors; only the pair whose redirect landed is done.
    if (!item.create?.error) done.add(`${pairs[i][0]}>${pairs[i][1]}`);
    else if (item.create.status !== 409)
      throw new SafeError(
        'redirect_failed',
        `redirecting ${pairs[i][1]} failed: ${elasticsearchErrorType(item.create.error)}`,
      );
  });
  await markDirty(
    ctx.redis,
    ctx.queues.dirty,
    pairs.filter(([winner, loser]) => done.has(`${winner}>${loser}`)).map(([winner]) => winner),
  );
  return done;
}

/** The surviving id of a group: the oldest, since ids are time-ordered. */
export function pickSurvivor(ids: Iterable<string>): string {
  return [...ids].sort()[0];
}
