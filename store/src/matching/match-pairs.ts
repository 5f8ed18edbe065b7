/**
 * The pair store: pairs of customers that probabilistic matching proposes as
 * one person, and what became of each (index `names.matchPairs`, one document
 * per pair, id = pairId = `<min(a,b)>|<max(a,b)>`).
 *
 * The matching engine records proposals and closes pairs that stopped being
 * candidates; the steward's decisions mark them merged or rejected. A
 * decision is final for the engine: a new proposal of a merged or rejected
 * pair changes nothing, so a rejected pair never comes back to the queue (the
 * "not the same" mark keeps it from merging too). Only undoing the decision's
 * identity action reopens it ({@link reopenPairsOfAction}).
 *
 * The cluster runs without scripting, so every conditional write reads the
 * stored pairs first and writes them back guarded by their sequence number
 * (`if_seq_no`); a pair changed in between is read and decided again.
 * Proposals and closes are not refreshed (searchable within the index's 1 s
 * refresh interval: a full pass writes many); the searches here refresh
 * first, and decisions wait for the refresh, so the steward's next page
 * shows them.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FieldComparison } from '../../../domain/src/matching';
import type { IndexContext } from '../context';
import { foldText } from '../../../domain/src/normalize';

/** `open`: for review. `merged`: accepted or merged automatically. `rejected`: "not the same". `closed`: no longer a candidate, or a side merged away. */
export type PairStatus = 'open' | 'merged' | 'rejected' | 'closed';

/** What matching proposes about two customers. */
export interface MatchProposal {
  a: string;
  b: string;
  /** 0..1 */
  probability: number;
  /** Total log2 Bayes factor, prior included. */
  weight: number;
  /** The explanation, field by field. */
  fields: FieldComparison[];
  modelVersion: string;
  /** The sources of both sides (the steward's source filter). */
  sources: string[];
  /** The cities of both sides as shown (the city filter matches them folded). */
  cities: string[];
}

export interface StoredPair extends MatchProposal {
  pairId: string;
  status: PairStatus;
  createdAt: string;
  updatedAt: string;
  /** `auto` (the engine) or the user who decided; null while open or closed. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** The identity action of the decision (merge or "not the same"), undoable. */
  actionId: string | null;
}

/** The document as stored: the pair plus the folded cities the filter matches. */
type PairDoc = StoredPair & { cityKeys: string[] };

/** The id of the pair of two customers, whichever order they come in. */
export function pairIdOf(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The folded form of a city the pair store filters on: `München` and `muenchen` match alike. */
export function cityKey(city: string): string {
  return foldText(city);
}

/** Pairs per mget and bulk. */
const chunk = 1_000;
/** Rounds of reading and writing again when another writer changed a pair in between. */
const maxRounds = 5;

interface Read {
  doc: PairDoc | null;
  seqNo?: number;
  primaryTerm?: number;
}

async function readPairs(ctx: IndexContext, ids: string[]): Promise<Map<string, Read>> {
  const found = new Map<string, Read>();
  for (let i = 0; i < ids.length; i += chunk) {
    const answer = await ctx.es.mget<PairDoc>({
      index: ctx.names.matchPairs,
      ids: ids.slice(i, i + chunk),
    });
    for (const d of answer.docs) {
      if ('found' in d && d.found && d._source)
        found.set(d._id, { doc: d._source, seqNo: d._seq_no, primaryTerm: d._primary_term });
      else found.set(d._id, { doc: null });
    }
  }
  return found;
}

/**
 * Writes the documents `next` decides for the pairs read, each guarded by
 * what was read: created if absent, replaced only if unchanged since. Pairs
 * someone else changed in between are read and decided again.
 */
async function guardedWrite(
  ctx: IndexContext,
  ids: string[],
  next: (id: string, stored: PairDoc | null) => PairDoc | null,
  refresh: estypes.Refresh,
): Promise<void> {
  let pending = [...new Set(ids)];
  for (let round = 0; pending.length > 0; round++) {
    if (round === maxRounds)
      throw new Error(
        `${pending.length} match pairs kept changing while being written (${pending.slice(0, 3).join(', ')}…); try again.`,
      );
    const stored = await readPairs(ctx, pending);
    const retry: string[] = [];
    for (let i = 0; i < pending.length; i += chunk) {
      const operations: object[] = [];
      const written: string[] = [];
      for (const id of pending.slice(i, i + chunk)) {
        const read = stored.get(id) ?? { doc: null };
        const doc = next(id, read.doc);
        if (!doc) continue;
        operations.push(
          read.doc
            ? {
                index: {
                  _index: ctx.names.matchPairs,
                  _id: id,
                  if_seq_no: read.seqNo,
                  if_primary_term: read.primaryTerm,
                },
              }
            : { create: { _index: ctx.names.matchPairs, _id: id } },
          doc,
        );
        written.push(id);
      }
      if (operations.length === 0) continue;
      const answer = await ctx.es.bulk({ operations, refresh });
      if (!answer.errors) continue;
      answer.items.forEach((item, n) => {
        const result = item.index ?? item.create;
        if (!result?.error) return;
        if (result.status === 409) retry.push(written[n]);
        else
          throw new Error(
            `Could not write match pair ${written[n]} to ${ctx.names.matchPairs}: ${result.error.type}: ${result.error.reason ?? ''}`,
          );
      });
    }
    pending = retry;
  }
}

/**
 * Records proposals: a new pair is stored open; an open or closed one takes
 * the new score and explanation and is open (again); a merged or rejected
 * one stays as decided. Proposals of one customer with itself are ignored;
 * of one pair twice in the batch, the last counts.
 */
export async function recordProposals(
  ctx: IndexContext,
  proposals: MatchProposal[],
): Promise<void> {
  const byId = new Map<string, MatchProposal>();
  for (const p of proposals) if (p.a !== p.b) byId.set(pairIdOf(p.a, p.b), p);
  if (byId.size === 0) return;
  const now = new Date().toISOString();
  await guardedWrite(
    ctx,
    [...byId.keys()],
    (pairId, stored) => {
      if (stored && (stored.status === 'merged' || stored.status === 'rejected')) return null;
      const p = byId.get(pairId)!;
      const [a, b] = pairId.split('|');
      const cities = [...new Set(p.cities.filter((c) => c.trim() !== ''))];
      return {
        pairId,
        a,
        b,
        probability: p.probability,
        weight: p.weight,
        fields: p.fields,
        modelVersion: p.modelVersion,
        sources: [...new Set(p.sources)].sort(),
        cities,
        cityKeys: [...new Set(cities.map(cityKey))],
        status: 'open',
        // When the pair first came up: the trend counts it opened that day, once.
        createdAt: stored?.createdAt ?? now,
        updatedAt: now,
        decidedBy: null,
        decidedAt: null,
        actionId: null,
      };
    },
    false,
  );
}

/** Open pairs → closed (no longer candidates); decided and unknown pairs stay as they are. */
export async function closePairs(ctx: IndexContext, pairIds: string[]): Promise<void> {
  if (pairIds.length === 0) return;
  const now = new Date().toISOString();
  await guardedWrite(
    ctx,
    pairIds,
    (_id, stored) =>
      stored && stored.status === 'open' ? { ...stored, status: 'closed', updatedAt: now } : null,
    false,
  );
}

/** The open pairs touching any of these customers, sorted (refreshed first: a proposal just recorded counts). */
export async function openPairIdsTouching(
  ctx: IndexContext,
  customerIds: string[],
): Promise<string[]> {
  await ctx.es.indices.refresh({ index: ctx.names.matchPairs });
  const ids: string[] = [];
  for (let i = 0; i < customerIds.length; i += chunk) {
    const some = customerIds.slice(i, i + chunk);
    let after: estypes.SortResults | undefined;
    for (;;) {
      const page = await ctx.es.search({
        index: ctx.names.matchPairs,
        size: 5_000,
        _source: false,
        query: {
          bool: {
            filter: [{ term: { status: 'open' } }],
            should: [{ terms: { a: some } }, { terms: { b: some } }],
            minimum_should_match: 1,
          },
        },
        sort: [{ pairId: 'asc' }],
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = page.hits.hits;
      for (const h of hits) if (h._id) ids.push(h._id);
      if (hits.length < 5_000) break;
      after = hits[hits.length - 1].sort;
    }
  }
  return [...new Set(ids)].sort();
}

/** Every open pair touching one of these customers → closed (e.g. they were merged away or erased). */
export async function closePairsOf(ctx: IndexContext, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await closePairs(ctx, await openPairIdsTouching(ctx, customerIds));
}

/** The open pairs of one customer, sorted. */
export async function openPairIdsOf(ctx: IndexContext, customerId: string): Promise<string[]> {
  return openPairIdsTouching(ctx, [customerId]);
}

/**
 * Records a decision on pairs: `merged` (accepted, or merged by the engine
 * with `by: 'auto'`) or `rejected`, with the identity action that carried it
 * out. Unknown pairs are skipped. Waits for the refresh: the queue's next
 * page no longer lists them.
 */
export async function markDecided(
  ctx: IndexContext,
  pairIds: string[],
  status: 'merged' | 'rejected',
  by: string,
  actionId: string | null,
): Promise<void> {
  if (pairIds.length === 0) return;
  const now = new Date().toISOString();
  await guardedWrite(
    ctx,
    pairIds,
    (_id, stored) =>
      stored
        ? { ...stored, status, decidedBy: by, decidedAt: now, actionId, updatedAt: now }
        : null,
    'wait_for',
  );
}

/**
 * Undoing the identity action of a decision reopens the pairs it decided:
 * the two are apart again, so the steward (or the engine's next proposal,
 * which a decided pair would ignore) can look at them again. Answers the
 * pairs reopened.
 */
export async function reopenPairsOfAction(ctx: IndexContext, actionId: string): Promise<string[]> {
  await ctx.es.indices.refresh({ index: ctx.names.matchPairs });
  const page = await ctx.es.search({
    index: ctx.names.matchPairs,
    size: 1_000,
    _source: false,
    query: { term: { actionId } },
    track_total_hits: false,
  });
  const ids = page.hits.hits.flatMap((h) => (h._id ? [h._id] : []));
  if (ids.length === 0) return [];
  const now = new Date().toISOString();
  await guardedWrite(
    ctx,
    ids,
    (_id, stored) =>
      stored && stored.actionId === actionId
        ? {
            ...stored,
            status: 'open',
            decidedBy: null,
            decidedAt: null,
            actionId: null,
            updatedAt: now,
          }
        : null,
    'wait_for',
  );
  return ids.sort();
}

/**
 * Removes every pair touching these customers, whatever its status: an
 * erased customer's compared values must not outlive it in an explanation.
 * Answers how many were removed.
 */
export async function forgetPairsOf(ctx: IndexContext, customerIds: string[]): Promise<number> {
  if (customerIds.length === 0) return 0;
  await ctx.es.indices.refresh({ index: ctx.names.matchPairs });
  let removed = 0;
  for (;;) {
    const page = await ctx.es.search({
      index: ctx.names.matchPairs,
      size: 5_000,
      _source: false,
      query: {
        bool: {
          should: [{ terms: { a: customerIds } }, { terms: { b: customerIds } }],
          minimum_should_match: 1,
        },
      },
      track_total_hits: false,
    });
    const ids = page.hits.hits.flatMap((h) => (h._id ? [h._id] : []));
    if (ids.length === 0) return removed;
    await ctx.es.bulk({
      refresh: true,
      operations: ids.map((id) => ({ delete: { _index: ctx.names.matchPairs, _id: id } })),
    });
    removed += ids.length;
  }
}

/** The stored pairs of these ids (unknown ones absent). */
export async function getPairs(
  ctx: IndexContext,
  pairIds: string[],
): Promise<Map<string, StoredPair>> {
  const pairs = new Map<string, StoredPair>();
  const read = await readPairs(ctx, [...new Set(pairIds)]);
  for (const [id, { doc }] of read) if (doc) pairs.set(id, storedPairOf(doc));
  return pairs;
}

/** A stored document as the pair it is (without the filter's folded cities). */
export function storedPairOf(doc: PairDoc | StoredPair): StoredPair {
  const { cityKeys: _cityKeys, ...pair } = doc as PairDoc;
  return pair;
}
