/**
 * The identity-link store: one document per normalized identifier, id = the
 * key, pointing to its customer. Reads are real-time `mget`s (no refresh
 * needed); claims use `op_type: create`, so exactly one worker wins an
 * identifier. A document `merged:<id>` redirects a merged customer id.
 */
import type { IndexContext, StoreContext } from '../context';
import type { PersonSignature } from './identity-rules';
import { elasticsearchErrorType, SafeError } from '../../../infra/src/safe-error';

/** One person holding a weak identifier, with the names the records gave (folded). */
export interface LinkHolder {
  customerId: string;
  people: PersonSignature[];
}

export interface LinkDoc {
  key: string;
  kind: string;
  /** The owner (strong identifiers), or the first holder (weak identifiers). */
  customerId: string;
  createdAt: string;
  /** Weak identifiers only: every distinct person seen with it (not indexed). */
  holders?: LinkHolder[];
  /** Redirects only: the merged id was made and joined within one resolution, never shown to anyone. */
  fresh?: boolean;
}

/** A stored link with what optimistic concurrency control needs to update it. */
export interface StoredLink {
  doc: LinkDoc;
  seqNo: number;
  primaryTerm: number;
}

export function redirectKey(customerId: string): string {
  return `merged:${customerId}`;
}

// "Not the same person" marks live beside the links; they follow merges by resolution (see not-same-marks.ts).
export { areNotSame, notSameKey } from './not-same-marks';

/** Current owner of each key (absent keys are left out). */
export async function readLinks(ctx: IndexContext, keys: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (keys.length === 0) return owners;
  const answer = await ctx.es.mget<LinkDoc>({ index: ctx.names.identities, ids: keys });
  for (const doc of answer.docs) {
    if ('found' in doc && doc.found && doc._source) owners.set(doc._id, doc._source.customerId);
  }
  return owners;
}

/** The stored link documents of the keys (absent keys are left out), real-time. */
export async function readLinkDocs(
  ctx: StoreContext,
  keys: string[],
): Promise<Map<string, StoredLink>> {
  const found = new Map<string, StoredLink>();
  if (keys.length === 0) return found;
  const answer = await ctx.es.mget<LinkDoc>({ index: ctx.names.identities, ids: keys });
  for (const doc of answer.docs) {
    if ('found' in doc && doc.found && doc._source) {
      found.set(doc._id, {
        doc: doc._source,
        seqNo: doc._seq_no ?? 0,
        primaryTerm: doc._primary_term ?? 1,
      });
    }
  }
  return found;
}

/**
 * Adds a holder to a weak identifier with optimistic concurrency; false when
 * another worker changed the document meanwhile (the caller re-reads).
 */
export async function addHolder(
  ctx: StoreContext,
  key: string,
  link: StoredLink,
  holder: LinkHolder,
): Promise<boolean> {
  try {
    await ctx.es.index({
      index: ctx.names.identities,
      id: key,
      document: { ...link.doc, holders: [...(link.doc.holders ?? []), holder] },
      if_seq_no: link.seqNo,
      if_primary_term: link.primaryTerm,
    });
    return true;
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return false;
    throw error;
  }
}

/** Replaces the holders of a weak identifier with optimistic concurrency; false when it changed meanwhile. */
export async function replaceHolders(
  ctx: StoreContext,
  key: string,
  link: StoredLink,
  holders: LinkHolder[],
): Promise<boolean> {
  try {
    await ctx.es.index({
      index: ctx.names.identities,
      id: key,
      document: { ...link.doc, holders },
      if_seq_no: link.seqNo,
      if_primary_term: link.primaryTerm,
    });
    return true;
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return false;
    throw error;
  }
}

/** Follows merge redirects until each id is a surviving customer. */
export async function resolveRedirects(
  ctx: IndexContext,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const final = new Map<string, string>();
  let pending = [...new Set(ids)].map((id) => ({ start: id, at: id }));
  for (let hop = 0; pending.length > 0 && hop < 20; hop++) {
    const redirects = await readLinks(
      ctx,
      pending.map((p) => redirectKey(p.at)),
    );
    const next: typeof pending = [];
    for (const p of pending) {
      const target = redirects.get(redirectKey(p.at));
      if (target && target !== p.at) next.push({ start: p.start, at: target });
      else final.set(p.start, p.at);
    }
    pending = next;
  }
  for (const p of pending) final.set(p.start, p.at);
  return final;
}

/**
 * Tries to create each key → customer link; returns the keys another worker
 * claimed first (409), which the caller must re-read.
 */
export async function createLinks(
  ctx: StoreContext,
  links: Map<string, string | { customerId: string; holders?: LinkHolder[] }>,
): Promise<string[]> {
  if (links.size === 0) return [];
  const createdAt = new Date().toISOString();
  const entries = [...links.entries()];
  const operations = entries.flatMap(([key, link]) => [
    { create: { _index: ctx.names.identities, _id: key } },
    {
      key,
      kind: key.slice(0, key.indexOf(':')),
      createdAt,
      ...(typeof link === 'string' ? { customerId: link } : link),
    } satisfies LinkDoc,
  ]);
  const result = await ctx.es.bulk({ operations });
  const conflicts: string[] = [];
  result.items.forEach((item, i) => {
    const op = item.create;
    if (!op?.error) return;
    if (op.status === 409) conflicts.push(entries[i][0]);
    // The link's id is the identifier itself (an email, a phone): its kind and the error type only.
    else
      throw new SafeError(
        'link_failed',
        `linking ${entries[i][0].split(':')[0]} failed: ${elasticsearchErrorType(op.error)}`,
      );
  });
  return conflicts;
}

/**
 * Writes the redirect `merged:<from>` → `to`, create-only (an id is merged at
 * most once, so two workers can never send one id to two survivors); false
 * when `from` was already merged. Not refreshed: readers follow it by `get`.
 */
export async function createRedirect(
  ctx: StoreContext,
  from: string,
  to: string,
): Promise<boolean> {
  try {
    await ctx.es.create({
      index: ctx.names.identities,
      id: redirectKey(from),
      document: {
        key: redirectKey(from),
        kind: 'merged',
        customerId: to,
        createdAt: new Date().toISOString(),
      },
    });
    return true;
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 409) return false;
    throw error;
  }
}

/**
 * Points every link of the merged id `from` to `to`; returns how many.
 * Links are found by search: with `refreshBefore` (default) one refresh makes
 * every link and the redirect searchable first; another only when a second
 * page or a conflict needs a fresh look; one at the end with `refreshAfter`
 * (default; admin repairs, whose next step may search the links). The
 * rebuild, which has just refreshed, passes false for both: a link not yet
 * searchable as relinked is followed through the redirect.
 */
export async function pointLinksTo(
  ctx: IndexContext,
  from: string,
  to: string,
  {
    refreshBefore = true,
    refreshAfter = true,
  }: { refreshBefore?: boolean; refreshAfter?: boolean } = {},
): Promise<number> {
  if (refreshBefore) await ctx.es.indices.refresh({ index: ctx.names.identities });
  let relinked = 0;
  for (;;) {
    const page = await ctx.es.search<LinkDoc>({
      index: ctx.names.identities,
      size: 1_000,
      // "Not the same" marks keep the ids they were made on: a merged id's marks are found through its redirect.
      query: {
        bool: {
          filter: [{ term: { customerId: from } }],
          must_not: [{ term: { kind: 'notsame' } }],
        },
      },
      seq_no_primary_term: true,
      track_total_hits: false,
    });
    const hits = page.hits.hits;
    if (hits.length === 0) break;
    // Conditional writes: a holder another worker added meanwhile is never lost (409 → read again).
    const result = await ctx.es.bulk({
      operations: hits.flatMap((hit) => [
        {
          index: {
            _index: ctx.names.identities,
            _id: hit._id,
            if_seq_no: hit._seq_no,
            if_primary_term: hit._primary_term,
          },
        },
        { ...(hit._source as LinkDoc), customerId: to },
      ]),
    });
    const failed = result.items.find((item) => item.index?.error && item.index.status !== 409);
    if (failed)
      throw new SafeError(
        'relink_failed',
        `relinking ${from} failed: ${elasticsearchErrorType(failed.index?.error)}`,
      );
    relinked += result.items.filter((item) => !item.index?.error).length;
    // All of them on one page and none changed meanwhile: done without looking again.
    if (hits.length < 1_000 && result.items.every((item) => !item.index?.error)) break;
    await ctx.es.indices.refresh({ index: ctx.names.identities });
  }
  if (refreshAfter && relinked > 0) await ctx.es.indices.refresh({ index: ctx.names.identities });
  return relinked;
}

/** Customer ids that were merged into `customerId` (its `mergedFrom`). */
export async function mergedInto(
  ctx: IndexContext,
  customerIds: string[],
): Promise<Map<string, string[]>> {
  const byTarget = new Map<string, string[]>();
  if (customerIds.length === 0) return byTarget;
  const page = await ctx.es.search<LinkDoc>({
    index: ctx.names.identities,
    size: 10_000,
    query: {
      bool: { filter: [{ term: { kind: 'merged' } }, { terms: { customerId: customerIds } }] },
    },
    track_total_hits: false,
  });
  for (const hit of page.hits.hits) {
    const doc = hit._source;
    // Ids joined within one resolution were never visible: listing them would only be noise.
    if (!doc || doc.fresh) continue;
    const list = byTarget.get(doc.customerId) ?? [];
    list.push(doc.key.slice('merged:'.length));
    byTarget.set(doc.customerId, list);
  }
  for (const list of byTarget.values()) list.sort();
  return byTarget;
}
