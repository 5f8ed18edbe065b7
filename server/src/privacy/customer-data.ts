/**
 * Everything stored about one customer, found through its ids: the repository
 * behind export and erasure. A person may have several customer ids (merged
 * ones redirect to the survivor), so every query takes the whole set.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { MatchExplanation } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import { snapshotIndexPattern } from '../../../infra/src/live-names';
import { scan } from '../../../infra/src/scan';
import type { ServerContext } from '../context';

/** One person holding a weak identifier (store/src/identity/identity-links.ts), with the names records gave. */
export interface LinkHolder {
  customerId: string;
  people: unknown[];
}

export interface LinkDoc {
  key: string;
  kind: string;
  customerId: string;
  createdAt: string;
  /** Weak identifiers: every person seen with it. */
  holders?: LinkHolder[];
}

/** An identity action (`action:<id>`, store/src/identity/admin-actions.ts) as stored. */
export interface ActionDoc {
  key: string;
  kind: 'action';
  customerId: string;
  otherId: string;
  touchpoints: string[];
  identifier: string | null;
  /** A merge by score: its compared values are the person's (erasure keeps only levels and weights). */
  explanation?: MatchExplanation;
  erasedAt?: string;
}

/** The surviving id of `id` (following `merged:` redirects), or `id` itself. */
export async function survivorId(ctx: ServerContext, id: string): Promise<string> {
  let current = id;
  for (let hop = 0; hop < 20; hop++) {
    const doc = await ctx.es.get<LinkDoc>(
      { index: ctx.names.identities, id: `merged:${current}` },
      { ignore: [404] },
    );
    const next = doc.found ? doc._source?.customerId : undefined;
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

/** The survivor plus every id merged into it (redirects point straight at the survivor after relinking). */
export async function customerIdsOf(ctx: ServerContext, survivor: string): Promise<string[]> {
  const ids = new Set([survivor]);
  let frontier = [survivor];
  while (frontier.length > 0) {
    const redirects = await searchAll<LinkDoc>(ctx, ctx.names.identities, {
      bool: { filter: [{ term: { kind: 'merged' } }, { terms: { customerId: frontier } }] },
    });
    frontier = redirects
      .map((r) => r.source.key.slice('merged:'.length))
      .filter((id) => !ids.has(id));
    for (const id of frontier) ids.add(id);
  }
  return [...ids];
}

export interface Hit<T> {
  index: string;
  id: string;
  source: T;
  /** For conditional rewrites (identity links read by `mget`). */
  seqNo?: number;
  primaryTerm?: number;
}

/** Every document matching `query`, walked in `_shard_doc` order within a point in time. */
export async function searchAll<T>(
  ctx: ServerContext,
  index: string,
  query: estypes.QueryDslQueryContainer,
): Promise<Hit<T>[]> {
  const hits: Hit<T>[] = [];
  for await (const page of scan<T>(ctx.es, { index, query, ignoreUnavailable: true })) {
    for (const hit of page) {
      if (hit._source) hits.push({ index: hit._index, id: hit._id ?? '', source: hit._source });
    }
  }
  return hits;
}

export interface StoredAboutCustomer {
  ids: string[];
  profiles: Hit<Record<string, unknown>>[];
  touchpoints: Hit<StoredTouchpoint>[];
  /**
   * Identity links, redirects and "not the same" marks of the person: those naming one of its ids, and the weak
   * identifiers it holds beside other people (those hold the person in `holders` only, which is not indexed).
   */
  links: Hit<LinkDoc>[];
  /** Identity actions an admin took on one of the ids (either side). */
  actions: Hit<ActionDoc>[];
  /** Documents of further indices that name the customer (snapshots, segment history, …). */
  other: Hit<Record<string, unknown>>[];
  /** Every normalized identity key the person was known by. */
  identityKeys: string[];
}

/** Indices that hold the customer's data; the audit log and the suppression list are read separately. */
function dataIndices(ctx: ServerContext): string[] {
  return [
    ...Object.entries(ctx.names)
      .filter(([name]) => name !== 'audit' && name !== 'suppressions')
      .map(([, index]) => index),
    // Daily snapshots live in one index per day, outside the alias names.
    snapshotIndexPattern(ctx.names),
  ];
}

export async function findStoredData(
  ctx: ServerContext,
  survivor: string,
): Promise<StoredAboutCustomer> {
  const ids = await customerIdsOf(ctx, survivor);
  // The aliased indices refresh every second by themselves (the erasure's second pass runs after that);
  // explicit refreshes queue behind every other writer on a busy node, so only the snapshots,
  // which are written with refresh off, are refreshed here.
  await ctx.es.indices.refresh({
    index: snapshotIndexPattern(ctx.names),
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const redirectIds = ids.map((id) => `merged:${id}`);
  const [touchpoints, links, profiles] = await Promise.all([
    searchAll<StoredTouchpoint>(ctx, ctx.names.touchpoints, { terms: { customerId: ids } }),
    searchAll<LinkDoc>(ctx, ctx.names.identities, {
      bool: {
        should: [{ terms: { customerId: ids } }, { ids: { values: redirectIds } }],
        must_not: [{ term: { kind: 'action' } }],
        minimum_should_match: 1,
      },
    }),
    searchAll<Record<string, unknown>>(ctx, ctx.names.customers, { ids: { values: ids } }),
  ]);
  const identityKeys = new Set<string>();
  for (const tp of touchpoints)
    for (const key of tp.source.identityKeys ?? []) identityKeys.add(key);
  for (const link of links)
    if (link.source.kind !== 'merged' && link.source.kind !== 'notsame')
      identityKeys.add(link.source.key);
  const other = await searchOtherIndices(ctx, {
    bool: {
      should: [
        { terms: { customerId: ids } },
        { terms: { customerIds: ids } },
        { terms: { id: ids } },
      ],
    },
  });
  const idSet = new Set(ids);
  const [held, actions] = await Promise.all([
    heldLinks(ctx, [...identityKeys], idSet),
    actionsOf(ctx, idSet),
  ]);
  // The real-time reads win over the search's copies: they carry what a conditional rewrite needs.
  const byId = new Map(links.map((l) => [l.id, l]));
  for (const link of held) byId.set(link.id, link);
  return {
    ids,
    profiles,
    touchpoints,
    links: [...byId.values()],
    actions,
    other,
    identityKeys: [...identityKeys],
  };
}

/** Indices beside touchpoints, identities and profiles that may hold the customer (snapshots, segment events, …). */
async function searchOtherIndices(
  ctx: ServerContext,
  query: estypes.QueryDslQueryContainer,
): Promise<Hit<Record<string, unknown>>[]> {
  const known = new Set([ctx.names.touchpoints, ctx.names.identities, ctx.names.customers]);
  const otherIndices = dataIndices(ctx).filter((i) => !known.has(i));
  return otherIndices.length
    ? searchAll<Record<string, unknown>>(ctx, otherIndices.join(','), query)
    : [];
}

/**
 * Documents of those indices that carry a record of the person before it had
 * a customer (a record set aside at indexing): named by identity keys
 * (`identityKeys`) or record key (`key`). Only keys of the person alone are
 * given: a record of someone else sharing a phone stays.
 */
export async function recordsCarrying(
  ctx: ServerContext,
  identityKeys: string[],
  recordKeys: string[],
): Promise<Hit<Record<string, unknown>>[]> {
  const should: estypes.QueryDslQueryContainer[] = [
    ...(identityKeys.length > 0 ? [{ terms: { identityKeys } }] : []),
    ...(recordKeys.length > 0 ? [{ terms: { key: recordKeys } }] : []),
  ];
  return should.length > 0 ? searchOtherIndices(ctx, { bool: { should } }) : [];
}

/** The link documents of the keys that name one of the ids as owner or holder, read in real time with their sequence numbers. */
export async function heldLinks(
  ctx: ServerContext,
  keys: string[],
  ids: Set<string>,
): Promise<Hit<LinkDoc>[]> {
  const found: Hit<LinkDoc>[] = [];
  for (let i = 0; i < keys.length; i += 1_000) {
    const answer = await ctx.es.mget<LinkDoc>({
      index: ctx.names.identities,
      ids: keys.slice(i, i + 1_000),
    });
    for (const doc of answer.docs) {
      if (!('found' in doc) || !doc.found || !doc._source) continue;
      const link = doc._source;
      if (!ids.has(link.customerId) && !(link.holders ?? []).some((h) => ids.has(h.customerId)))
        continue;
      found.push({
        index: doc._index,
        id: doc._id,
        source: link,
        seqNo: doc._seq_no,
        primaryTerm: doc._primary_term,
      });
    }
  }
  return found;
}

/** Identity actions naming one of the ids on either side (`otherId` is not indexed: every action is read). */
async function actionsOf(ctx: ServerContext, ids: Set<string>): Promise<Hit<ActionDoc>[]> {
  const all = await searchAll<ActionDoc>(ctx, ctx.names.identities, { term: { kind: 'action' } });
  return all.filter((a) => ids.has(a.source.customerId) || ids.has(a.source.otherId));
}
