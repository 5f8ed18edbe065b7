/**
 * Matches a batch of customers against everyone else: candidates by
 * Elasticsearch (candidates.ts), each pair scored by the Fellegi–Sunter
 * model of domain/src/matching, then
 *
 * - probability ≥ `autoMerge`, no contradicting identifier (`conflict`), no
 *   plainly different name and no "not the same" mark → merged, as an undoable identity action by
 *   `matching` carrying the explanation (admin-actions.ts `mergeByMatching`);
 *   the pair is marked merged and every open pair of the merged-away side
 *   closed;
 * - `review` ≤ probability (or above `autoMerge` but not mergeable) → proposed
 *   to the data steward (the pair store, match-pairs.ts);
 * - an open pair of a matched customer that scores below `review` now, or
 *   whose other side is gone or marked "not the same", is closed.
 *
 * Idempotent: matching a customer twice proposes the same pairs (an upsert
 * that never reopens a decided one) and merges nothing twice. Safe with many
 * indexers: a merge holds a short Redis lock on both customers and
 * re-resolves them inside it; a pair whose lock is taken is handed back to be
 * matched again (`deferred`).
 */
import type { PairScore } from '../../../domain/src/matching';
import { scorePair } from '../../../domain/src/matching';
import type { StoreContext } from '../context';
import { mergeByMatching } from '../identity/admin-actions';
import { resolveRedirects } from '../identity/identity-links';
import { markedPairs } from '../identity/not-same-marks';
import {
  closePairs,
  closePairsOf,
  markDecided,
  openPairIdsTouching,
  recordProposals,
  type MatchProposal,
} from './match-pairs';
import { findCandidates, readSubjects, type MatchSubject } from './candidates';
import type { StoredMatchModel } from './match-model-store';

export interface MatchThresholds {
  /** From this probability a pair is proposed for review. */
  review: number;
  /** From this probability a pair is merged automatically (unless contradicted or marked). */
  autoMerge: number;
}

export interface MatchBatchResult {
  /** Customers matched (live ones with a profile). */
  processed: number;
  merged: number;
  proposed: number;
  closed: number;
  /** Customers to match again later: a merge of theirs was held by another matcher. */
  deferred: string[];
}

interface ScoredPair {
  pairId: string;
  a: MatchSubject;
  b: MatchSubject;
  score: PairScore;
}

/** How long a merge holds its customers (ms): far longer than a merge takes, short enough to recover from a crash. */
const mergeLockMs = 60_000;
/** Merges of one batch run side by side, this many at once. */
const mergesAtOnce = 8;

async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function pairIdOf(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export async function matchCustomers(
  ctx: StoreContext,
  customerIds: readonly string[],
  stored: StoredMatchModel,
  thresholds: MatchThresholds,
  options: { perCustomer?: number } = {},
): Promise<MatchBatchResult> {
  const result: MatchBatchResult = {
    processed: 0,
    merged: 0,
    proposed: 0,
    closed: 0,
    deferred: [],
  };
  const survivors = await resolveRedirects(ctx, customerIds);
  const gone = customerIds.filter((id) => survivors.get(id) !== id);
  const live = [...new Set(customerIds.filter((id) => survivors.get(id) === id))];
  const subjects = await readSubjects(ctx, live);
  // Merged away or without a profile (erased, every record deleted): nothing of theirs stays open.
  const absent = [...gone, ...live.filter((id) => !subjects.has(id))];
  if (absent.length > 0) await closePairsOf(ctx, absent);
  const matched = [...subjects.values()];
  result.processed = matched.length;
  if (matched.length === 0) return result;

  const score = (a: MatchSubject, b: MatchSubject): ScoredPair => ({
    pairId: pairIdOf(a.id, b.id),
    a,
    b,
    score: scorePair(a.record, b.record, stored.model, stored.termFrequencies),
  });
  const candidates = await findCandidates(ctx, matched, options.perCustomer);
  const pairs = new Map<string, ScoredPair>();
  for (const subject of matched) {
    for (const other of candidates.get(subject.id) ?? []) {
      const pairId = pairIdOf(subject.id, other.id);
      if (pairs.has(pairId)) continue;
      const scored = score(subject, other);
      if (scored.score.probability >= thresholds.review) pairs.set(pairId, scored);
    }
  }

  // Open pairs of these customers the candidates did not bring up again: scored afresh, as candidates are not symmetric.
  const toClose = new Set<string>();
  const open = await openPairIdsTouching(
    ctx,
    matched.map((s) => s.id),
  );
  const stale = open.filter((pairId) => !pairs.has(pairId));
  if (stale.length > 0) {
    const sides = stale.map((pairId) => pairId.split('|') as [string, string]);
    const others = await readSubjects(ctx, [...new Set(sides.flat())]);
    const staleSurvivors = await resolveRedirects(ctx, sides.flat());
    for (const [i, [x, y]] of sides.entries()) {
      const a = others.get(x);
      const b = others.get(y);
      const bothLive = staleSurvivors.get(x) === x && staleSurvivors.get(y) === y;
      const scored = a && b && bothLive ? score(a, b) : null;
      if (scored && scored.score.probability >= thresholds.review) pairs.set(stale[i], scored);
      else toClose.add(stale[i]);
    }
  }

  // "Not the same" marks (also through merged ids): never merged, never proposed.
  const marked = await markedPairs(
    ctx,
    [...pairs.values()].map((p) => [p.a.id, p.b.id] as const),
  );
  for (const pairId of marked) {
    pairs.delete(pairId);
    toClose.add(pairId);
  }

  const proposals: MatchProposal[] = [];
  let automatic: ScoredPair[] = [];
  const byProbability = [...pairs.values()].sort(
    (x, y) => y.score.probability - x.score.probability || (x.pairId < y.pairId ? -1 : 1),
  );
  for (const pair of byProbability) {
    // A threshold of 1 means never: a probability may round to 1 exactly.
    if (
      thresholds.autoMerge < 1 &&
      pair.score.probability >= thresholds.autoMerge &&
      mergeableByScore(pair.score)
    )
      automatic.push(pair);
    else proposals.push(proposalOf(pair, stored));
  }
  // In waves, side by side within each (a merge mostly waits for refreshes), each customer in one merge per wave.
  // A pair whose side was merged away in an earlier wave is left to the survivor's next match (its rebuild queues it).
  const mergedAway = new Set<string>();
  while (automatic.length > 0) {
    const wave: ScoredPair[] = [];
    const later: ScoredPair[] = [];
    const busy = new Set<string>();
    for (const pair of automatic) {
      if (mergedAway.has(pair.a.id) || mergedAway.has(pair.b.id)) continue;
      if (busy.has(pair.a.id) || busy.has(pair.b.id)) later.push(pair);
      else {
        busy.add(pair.a.id).add(pair.b.id);
        wave.push(pair);
      }
    }
    const outcomes = await inParallel(wave, mergesAtOnce, (pair) => mergeHeld(ctx, pair, stored));
    for (const [i, outcome] of outcomes.entries()) {
      // Held by another matcher: matched again once it is done (the lock is short).
      if (outcome === 'held') result.deferred.push(wave[i].a.id, wave[i].b.id);
      else if (outcome) {
        mergedAway.add(outcome.loser);
        result.merged++;
      }
    }
    automatic = later;
  }
  if (proposals.length > 0) {
    // A pair touching a customer merged away just now is not worth proposing: the survivor's match brings it up again.
    const current = proposals.filter((p) => !mergedAway.has(p.a) && !mergedAway.has(p.b));
    await recordProposals(ctx, current);
    result.proposed = current.length;
  }
  if (toClose.size > 0) {
    await closePairs(ctx, [...toClose]);
    result.closed = toClose.size;
  }
  // Searchable before the batch is released: `GET /ingest/status` at 0/0 means the steward's queue shows them.
  if (result.proposed > 0 || result.closed > 0)
    await ctx.es.indices.refresh({ index: ctx.names.matchPairs });
  return result;
}

/**
 * Whether a pair above the threshold may be merged without a person: no
 * identifier contradicts it, and neither name is plainly different — shared
 * contacts and an address with another surname or first name (colleagues on a
 * switchboard, a married name, a household) are for the steward to decide.
 */
function mergeableByScore(score: PairScore): boolean {
  if (score.conflict) return false;
  return !score.fields.some(
    (f) => (f.field === 'firstName' || f.field === 'lastName') && f.level === 'different',
  );
}

function proposalOf(pair: ScoredPair, stored: StoredMatchModel): MatchProposal {
  const [a, b] = pair.a.id < pair.b.id ? [pair.a, pair.b] : [pair.b, pair.a];
  return {
    a: a.id,
    b: b.id,
    probability: pair.score.probability,
    weight: pair.score.weight,
    fields: pair.score.fields,
    modelVersion: stored.model.version,
    sources: [...new Set([...a.sources, ...b.sources])].sort(),
    cities: [...new Set([a.city, b.city].filter((c): c is string => Boolean(c)))].sort(),
  };
}

/**
 * Merges one pair under a lock on both customers. Answers `held` when another
 * matcher holds either, null when there was nothing to merge (one already, a
 * mark, a side without records), else the merged-away id.
 */
async function mergeHeld(
  ctx: StoreContext,
  pair: ScoredPair,
  stored: StoredMatchModel,
): Promise<'held' | { loser: string } | null> {
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const locks = [pair.a.id, pair.b.id].sort().map((id) => `${ctx.queues.matchDirty}:lock:${id}`);
  const taken: string[] = [];
  try {
    for (const lock of locks) {
      if ((await ctx.redis.set(lock, token, 'PX', mergeLockMs, 'NX')) !== 'OK') return 'held';
      taken.push(lock);
    }
    // Inside the lock: either side may have been merged since the batch was read.
    const now = await resolveRedirects(ctx, [pair.a.id, pair.b.id]);
    if (now.get(pair.a.id) !== pair.a.id || now.get(pair.b.id) !== pair.b.id) return null;
    const action = await mergeByMatching(ctx, pair.a.id, pair.b.id, {
      pairId: pair.pairId,
      probability: pair.score.probability,
      weight: pair.score.weight,
      fields: pair.score.fields,
      modelVersion: stored.model.version,
    }).catch((error: unknown) => {
      // A side without records (erased meanwhile) is nothing to merge.
      if ((error as { code?: string }).code === 'not_found') return null;
      throw error;
    });
    if (!action) return null;
    // Recorded first, so the pair store holds every decided pair (the labels export reads them).
    await recordProposals(ctx, [proposalOf(pair, stored)]);
    await markDecided(ctx, [pair.pairId], 'merged', 'auto', action.id);
    await closePairsOf(ctx, [action.otherId]);
    ctx.log(
      'customers merged by matching',
      {
        winner: action.customerId,
        loser: action.otherId,
        probability: pair.score.probability,
        actionId: action.id,
      },
      'debug',
    );
    return { loser: action.otherId };
  } finally {
    for (const lock of taken) {
      // Only our own lock: one that expired and was taken by another matcher stays.
      await ctx.redis
        .eval(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
          1,
          lock,
          token,
        )
        .catch(() => {});
    }
  }
}
