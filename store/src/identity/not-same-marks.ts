/**
 * "Not the same person" marks: an admin's decision that two customers are
 * different people, respected by every automatic merge and by the list of
 * suspected duplicates.
 *
 * A mark is one document `notsame:<a>|<b>` in the identities index between
 * the ids as they were when marked, with both ids in `customerId` (so either
 * side finds it, and erasing either customer erases it). Marks follow merges
 * by resolution, not by rewriting: a mark on an id applies to the customer
 * that id was merged into (its `merged:` redirect), however many merges later.
 * So undoing a merge gives the mark back to the id it was made on, exactly.
 * A split keeps the marks on both parts: the new part inherits the marks of
 * the customer it was split from (see admin-actions.ts).
 */
import type { StoreContext } from '../context';

export function notSameKey(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `notsame:${x}|${y}`;
}

/** The pair of a mark's key, sorted: `notsame:a|b` → `a|b`. */
export function pairOfKey(key: string): string {
  return key.slice('notsame:'.length);
}

/** A stored mark. Marks written before both ids were stored carried only the first id in `customerId` (completed by the identities v2 migration); the key always holds both. */
export interface NotSameDoc {
  key: string;
  kind: 'notsame';
  customerId: [string, string] | string;
  createdAt: string;
}

/**
 * A stored document as it should be: a not-same mark of before both ids were
 * stored gets the second from its key (identities mapping v2 copies every
 * document through this, mappings/apply.ts); anything else is returned as is.
 */
export function withBothIdsOfMark(doc: Record<string, unknown>): Record<string, unknown> {
  if (
    doc.kind !== 'notsame' ||
    typeof doc.key !== 'string' ||
    (Array.isArray(doc.customerId) && doc.customerId.length === 2)
  )
    return doc;
  const pair = pairOfKey(doc.key).split('|');
  return pair.length === 2 ? { ...doc, customerId: pair } : doc;
}

/** Redirect searches page through at most this many merged ids per customer and round. */
const maxFamily = 10_000;
/** Keys per mget when checking many pairs. */
const mgetChunk = 1_000;

/**
 * Each (surviving) id with every id merged into it, itself first. Merges
 * repoint older redirects to the survivor, so one search usually suffices;
 * a redirect not yet repointed is followed by another round.
 */
export async function mergedFamilies(
  ctx: StoreContext,
  ids: Iterable<string>,
): Promise<Map<string, string[]>> {
  const families = new Map<string, string[]>();
  const rootOf = new Map<string, string>();
  for (const id of ids) {
    if (families.has(id)) continue;
    families.set(id, [id]);
    rootOf.set(id, id);
  }
  let frontier = [...families.keys()];
  for (let round = 0; frontier.length > 0 && round < 20; round++) {
    const page = await ctx.es.search<{ key: string; customerId: string }>({
      index: ctx.names.identities,
      size: maxFamily,
      _source: ['key', 'customerId'],
      query: {
        bool: { filter: [{ term: { kind: 'merged' } }, { terms: { customerId: frontier } }] },
      },
      track_total_hits: false,
    });
    const next: string[] = [];
    for (const hit of page.hits.hits) {
      const doc = hit._source;
      if (!doc) continue;
      const merged = doc.key.slice('merged:'.length);
      const root = rootOf.get(doc.customerId);
      if (!root || rootOf.has(merged)) continue;
      rootOf.set(merged, root);
      families.get(root)?.push(merged);
      next.push(merged);
    }
    frontier = next;
  }
  return families;
}

/**
 * Which of the given pairs of customers were marked "not the same person",
 * directly or through any id merged into either side. Answers the pairs as
 * `a|b` (sorted), like suspected duplicates' `pairId`.
 */
export async function markedPairs(
  ctx: StoreContext,
  pairs: readonly (readonly [string, string])[],
): Promise<Set<string>> {
  const marked = new Set<string>();
  const wanted = pairs.filter(([a, b]) => a !== b);
  if (wanted.length === 0) return marked;
  const families = await mergedFamilies(ctx, wanted.flat());
  // Mark key → the asked pairs it decides.
  const byKey = new Map<string, Set<string>>();
  for (const [a, b] of wanted) {
    const pair = [a, b].sort().join('|');
    for (const x of families.get(a) ?? [a]) {
      for (const y of families.get(b) ?? [b]) {
        const key = notSameKey(x, y);
        byKey.set(key, (byKey.get(key) ?? new Set()).add(pair));
      }
    }
  }
  const keys = [...byKey.keys()];
  for (let i = 0; i < keys.length; i += mgetChunk) {
    const answer = await ctx.es.mget({
      index: ctx.names.identities,
      ids: keys.slice(i, i + mgetChunk),
      _source: false,
    });
    for (const d of answer.docs)
      if ('found' in d && d.found) for (const pair of byKey.get(d._id) ?? []) marked.add(pair);
  }
  return marked;
}

/** Whether two surviving customers are marked "not the same person" (through merges too). */
export async function areNotSame(ctx: StoreContext, a: string, b: string): Promise<boolean> {
  return (await markedPairs(ctx, [[a, b]])).size > 0;
}

/** The marks deciding that two surviving customers are different people, as `a|b` pairs of the ids they were made on. */
export async function marksBetween(ctx: StoreContext, a: string, b: string): Promise<string[]> {
  const families = await mergedFamilies(ctx, [a, b]);
  const keys = (families.get(a) ?? [a]).flatMap((x) =>
    (families.get(b) ?? [b]).map((y) => notSameKey(x, y)),
  );
  const found: string[] = [];
  for (let i = 0; i < keys.length; i += mgetChunk) {
    const answer = await ctx.es.mget({
      index: ctx.names.identities,
      ids: keys.slice(i, i + mgetChunk),
      _source: false,
    });
    for (const d of answer.docs) if ('found' in d && d.found) found.push(pairOfKey(d._id));
  }
  return found.sort();
}

/**
 * The ids a surviving customer is marked "not the same" as, through the ids
 * merged into it: the other side of each mark, as marked (resolve it to find
 * its customer today). Marks within the customer itself are left out.
 */
export async function markedOthers(ctx: StoreContext, customerId: string): Promise<string[]> {
  const family = new Set((await mergedFamilies(ctx, [customerId])).get(customerId) ?? [customerId]);
  // Marks are written with refresh 'wait_for', so a search sees them.
  const page = await ctx.es.search<NotSameDoc>({
    index: ctx.names.identities,
    size: maxFamily,
    _source: ['key'],
    query: {
      bool: { filter: [{ term: { kind: 'notsame' } }, { terms: { customerId: [...family] } }] },
    },
    track_total_hits: false,
  });
  const others = new Set<string>();
  for (const hit of page.hits.hits) {
    const sides = pairOfKey(hit._source?.key ?? hit._id ?? '').split('|');
    if (sides.length !== 2 || sides.every((s) => family.has(s))) continue;
    for (const side of sides) if (!family.has(side)) others.add(side);
  }
  return [...others].sort();
}

/** Writes marks between pairs of ids (idempotent: a mark is its key). */
export async function writeMarks(
  ctx: StoreContext,
  pairs: readonly (readonly [string, string])[],
): Promise<string[]> {
  const createdAt = new Date().toISOString();
  const written = pairs
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [a, b].sort() as [string, string]);
  if (written.length === 0) return [];
  await ctx.es.bulk({
    refresh: 'wait_for',
    operations: written.flatMap((pair) => [
      { index: { _index: ctx.names.identities, _id: notSameKey(...pair) } },
      {
        key: notSameKey(...pair),
        kind: 'notsame',
        customerId: pair,
        createdAt,
      } satisfies NotSameDoc,
    ]),
  });
  return written.map((pair) => pair.join('|'));
}

/** Removes marks given as `a|b` pairs (absent ones are ignored). */
export async function removeMarks(ctx: StoreContext, pairs: readonly string[]): Promise<void> {
  if (pairs.length === 0) return;
  await ctx.es.bulk({
    refresh: 'wait_for',
    operations: pairs.map((pair) => ({
      delete: { _index: ctx.names.identities, _id: `notsame:${pair}` },
    })),
  });
}
