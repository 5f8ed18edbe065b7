/**
 * Use case: a steward decides pairs of the queue, many at once.
 *
 * Accept merges the two customers the way an admin merge does (undoable),
 * with the pair's explanation kept on the action; reject remembers them as
 * "not the same person". Then the pair is marked decided, so no proposal
 * brings it back. Each decision stands alone: one that fails (the pair is
 * unknown or decided already, a side was merged into someone else since)
 * answers its error and the others go on. They run one after the other: two
 * decisions may touch the same customer, and a merge must see the one
 * before it.
 */
import type { DuplicateDecisionResult } from '../../../domain/src/api';
import { describeError } from '../../../infra/src/safe-error';
import {
  IdentityActionError,
  markNotSame,
  mergeByAdmin,
} from '../../../store/src/identity/admin-actions';
import { resolveRedirects } from '../../../store/src/identity/identity-links';
import {
  closePairs,
  closePairsOf,
  getPairs,
  markDecided,
  type StoredPair,
} from '../../../store/src/matching/match-pairs';
import { storeContext, type ServerContext } from '../context';

export interface DuplicateDecision {
  pairId: string;
  decision: 'accept' | 'reject';
}

class DecisionRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function decideDuplicates(
  ctx: ServerContext,
  decisions: DuplicateDecision[],
  by: string,
): Promise<DuplicateDecisionResult[]> {
  const sctx = storeContext(ctx);
  const results: DuplicateDecisionResult[] = [];
  for (const { pairId, decision } of decisions) {
    try {
      // Read one at a time: the decision before may have closed this pair.
      const pair = (await getPairs(sctx, [pairId])).get(pairId);
      if (!pair) throw new DecisionRefused('not_found', `No pair ${pairId} in the queue.`);
      if (pair.status !== 'open') throw new DecisionRefused('conflict', notOpen(pair));
      await refuseMergedAway(ctx, pair);
      if (decision === 'accept') {
        const action = await mergeByAdmin(sctx, pair.a, pair.b, by, {
          pairId: pair.pairId,
          probability: pair.probability,
          weight: pair.weight,
          modelVersion: pair.modelVersion,
          fields: pair.fields,
        });
        await markDecided(sctx, [pairId], 'merged', by, action.id);
        // The merged-away id's other pairs are stale: the engine proposes the survivor's anew.
        await closePairsOf(sctx, [action.otherId]);
        results.push({ pairId, ok: true, actionId: action.id });
      } else {
        const action = await markNotSame(sctx, pair.a, pair.b, by);
        await markDecided(sctx, [pairId], 'rejected', by, action.id);
        results.push({ pairId, ok: true, actionId: action.id });
      }
    } catch (error) {
      results.push({ pairId, ok: false, error: errorOf(error) });
    }
  }
  return results;
}

function notOpen(pair: StoredPair): string {
  if (pair.status === 'closed')
    return `Pair ${pair.pairId} is closed: it is no longer a candidate (a side changed or was merged).`;
  const how = pair.status === 'merged' ? 'merged' : 'rejected';
  return `Pair ${pair.pairId} was already ${how}${pair.decidedBy ? ` by ${pair.decidedBy}` : ''}${pair.decidedAt ? ` at ${pair.decidedAt}` : ''}.`;
}

/** A side merged into another customer since the proposal: the pair no longer says who is who; it is closed. */
async function refuseMergedAway(ctx: ServerContext, pair: StoredPair): Promise<void> {
  const survivors = await resolveRedirects(storeContext(ctx), [pair.a, pair.b]);
  const gone = [pair.a, pair.b].filter((id) => (survivors.get(id) ?? id) !== id);
  if (gone.length === 0) return;
  await closePairs(storeContext(ctx), [pair.pairId]);
  const into = gone.map((id) => `${id} into ${survivors.get(id)}`).join(', ');
  throw new DecisionRefused(
    'merged_away',
    `Since this pair was proposed, ${into} was merged; the pair is closed. Decide the pair of the surviving customer instead.`,
  );
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof DecisionRefused) return { code: error.code, message: error.message };
  if (error instanceof IdentityActionError) return { code: error.code, message: error.message };
  // Never an internal error's text in an answer: it may quote data.
  const described = describeError(error);
  return {
    code: 'failed',
    message: `The decision could not be completed (${described.code}): see the recent identity actions before deciding this pair again.`,
  };
}
