/**
 * What an admin may do to identities, each a change of links and of which
 * customer a touchpoint belongs to, followed by a rebuild from touchpoints —
 * so nothing is lost and every step can be undone:
 *
 * - merge two customers (into the older one);
 * - mark a pair "not the same person" (remembered: never merged again
 *   automatically, never listed as a suspected duplicate — also after either
 *   side is merged into another customer, see not-same-marks.ts);
 * - split records out of a customer into a new one (a wrong merge), which
 *   also marks the two as not the same; the new one inherits the marks of
 *   the customer it was split from;
 * - detach one identifier: the records carrying it are split out with it.
 *
 * Every action is recorded as a document `action:<id>` in the identities
 * index (ids and record keys only, no personal data) and can be undone.
 */
import type { IdentityAction, IdentityActionKind, MatchExplanation } from '../../../domain/src/api';
import { randomBytes } from 'node:crypto';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import { scan } from '../../../infra/src/scan';
import type { StoreContext } from '../context';
import { markDirty } from '../dirty-set';
import { newCustomerId } from './customer-id';
import { pointLinksTo, redirectKey, resolveRedirects, type LinkDoc } from './identity-links';
import { moveTouchpoints } from '../touchpoint-store';
import { mergeCustomers } from './merge-customers';
import { markedOthers, marksBetween, notSameKey, removeMarks, writeMarks } from './not-same-marks';

export { notSameKey } from './not-same-marks';

export type { IdentityAction, IdentityActionKind };

export class IdentityActionError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

async function requireLive(ctx: StoreContext, id: string): Promise<string> {
  const current = (await resolveRedirects(ctx, [id])).get(id) ?? id;
  const count = await ctx.es.count({
    index: ctx.names.touchpoints,
    query: { term: { customerId: current } },
  });
  if (count.count === 0)
    throw new IdentityActionError('not_found', `No customer ${id} with records.`);
  return current;
}

async function recordAction(
  ctx: StoreContext,
  action: Omit<IdentityAction, 'id' | 'createdAt' | 'undoneAt'>,
): Promise<IdentityAction> {
  const full: IdentityAction = {
    ...action,
    id: `a${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    createdAt: new Date().toISOString(),
    undoneAt: null,
  };
  await ctx.es.index({
    index: ctx.names.identities,
    id: `action:${full.id}`,
    document: { key: `action:${full.id}`, kind: 'action', ...full },
    refresh: 'wait_for',
  });
  return full;
}

async function recordsOf(ctx: StoreContext, customerId: string): Promise<StoredTouchpoint[]> {
  await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
  const all: StoredTouchpoint[] = [];
  for await (const hits of scan<StoredTouchpoint>(ctx.es, {
    index: ctx.names.touchpoints,
    size: 5_000,
    query: { term: { customerId } },
    sort: [{ key: 'asc' }],
  })) {
    for (const hit of hits) if (hit._source) all.push(hit._source);
  }
  return all;
}

/**
 * Merges two customers into the older one. Every "not the same" mark between
 * them (also on ids merged into either) is lifted — the admin decided
 * otherwise — and recorded, so undoing the merge restores it.
 */
export async function mergeByAdmin(
  ctx: StoreContext,
  a: string,
  b: string,
  by: string,
  /** Why, when the merge follows a match score (the steward's queue, automatic merges): kept on the action. */
  explanation?: MatchExplanation,
): Promise<IdentityAction> {
  const [x, y] = [await requireLive(ctx, a), await requireLive(ctx, b)];
  if (x === y) throw new IdentityActionError('conflict', 'These are already one customer.');
  const [winner, loser] = [x, y].sort();
  const loserRecords = (await recordsOf(ctx, loser)).map((t) => t.key);
  const lifted = await marksBetween(ctx, x, y);
  await removeMarks(ctx, lifted);
  await mergeCustomers(ctx, winner, loser);
  return recordAction(ctx, {
    action: 'merge',
    customerId: winner,
    otherId: loser,
    touchpoints: loserRecords,
    identifier: null,
    marks: lifted,
    ...(explanation ? { explanation } : {}),
    by,
  });
}

/**
 * A merge decided by probabilistic matching: like {@link mergeByAdmin},
 * undoable, but it lifts no mark — two customers marked "not the same" are
 * never merged by a score (answers null), nor two that are one already.
 * The explanation is recorded on the action, `by: 'matching'`.
 */
export async function mergeByMatching(
  ctx: StoreContext,
  a: string,
  b: string,
  explanation: MatchExplanation,
): Promise<IdentityAction | null> {
  const [x, y] = [await requireLive(ctx, a), await requireLive(ctx, b)];
  if (x === y) return null;
  if ((await marksBetween(ctx, x, y)).length > 0) return null;
  const [winner, loser] = [x, y].sort();
  const loserRecords = (await recordsOf(ctx, loser)).map((t) => t.key);
  // Deferred, as during ingest: the loser's rebuild moves its links and records, so a full pass's merges wait for no refresh.
  await mergeCustomers(ctx, winner, loser, { deferred: true });
  return recordAction(ctx, {
    action: 'merge',
    customerId: winner,
    otherId: loser,
    touchpoints: loserRecords,
    identifier: null,
    marks: [],
    explanation,
    by: 'matching',
  });
}

/** Remembers that two customers are different people. */
export async function markNotSame(
  ctx: StoreContext,
  a: string,
  b: string,
  by: string,
): Promise<IdentityAction> {
  const [x, y] = [await requireLive(ctx, a), await requireLive(ctx, b)];
  if (x === y)
    throw new IdentityActionError('conflict', 'These are one customer: split it instead.');
  const [first, second] = [x, y].sort();
  await writeMarks(ctx, [[first, second]]);
  return recordAction(ctx, {
    action: 'not-same',
    customerId: first,
    otherId: second,
    touchpoints: [],
    identifier: null,
    by,
  });
}

/**
 * The part split off keeps apart from everyone the whole was kept apart
 * from: which of the two holds the records a mark was about cannot be told,
 * and "never merge two people" outweighs a merge an admin can still make.
 */
async function inheritMarks(ctx: StoreContext, from: string, to: string): Promise<string[]> {
  const others = await markedOthers(ctx, from);
  return writeMarks(
    ctx,
    others.filter((o) => o !== to).map((o) => [to, o] as const),
  );
}

/**
 * Moves the given records of a customer to a new customer (or back to
 * `intoId` when undoing a merge). Identifiers carried only by the moved
 * records go with them; those also on the remaining records stay.
 */
async function moveRecords(
  ctx: StoreContext,
  from: string,
  keys: string[],
  intoId?: string,
): Promise<{ to: string; moved: string[] }> {
  const records = await recordsOf(ctx, from);
  const moving = records.filter((t) => keys.includes(t.key));
  if (moving.length === 0)
    throw new IdentityActionError('not_found', 'None of these records belongs to the customer.');
  if (moving.length === records.length && !intoId)
    throw new IdentityActionError('conflict', 'A split must leave at least one record behind.');
  const staying = records.filter((t) => !keys.includes(t.key));
  const to = intoId ?? newCustomerId();
  const stayingKeys = new Set(staying.flatMap((t) => t.identityKeys));
  const movingKeys = new Set(moving.flatMap((t) => [...t.identityKeys, `tp:${t.key}`]));
  const leaving = [...movingKeys].filter((k) => !stayingKeys.has(k));

  if (intoId) {
    // Undoing a merge: the merged id lives again.
    await ctx.es.delete(
      { index: ctx.names.identities, id: redirectKey(intoId), refresh: true },
      { ignore: [404] },
    );
  }
  if (leaving.length > 0) {
    const links = await ctx.es.mget<LinkDoc>({ index: ctx.names.identities, ids: leaving });
    const operations: object[] = [];
    for (const d of links.docs) {
      if (!('found' in d) || !d.found || !d._source) continue;
      const doc = d._source;
      const holders = doc.holders?.map((h) =>
        h.customerId === from ? { ...h, customerId: to } : h,
      );
      operations.push(
        { index: { _index: ctx.names.identities, _id: d._id } },
        {
          ...doc,
          customerId: doc.customerId === from ? to : doc.customerId,
          ...(holders ? { holders } : {}),
        },
      );
    }
    if (operations.length > 0) await ctx.es.bulk({ operations, refresh: true });
  }
  const operations = moving.flatMap((t) => [
    {
      index: {
        _index: ctx.names.touchpoints,
        _id: t.key,
        version: t.version ?? Date.parse(t.occurredAt),
        version_type: 'external_gte' as const,
      },
    },
    { ...t, customerId: to },
  ]);
  await ctx.es.bulk({ operations, refresh: true });
  await markDirty(ctx.redis, ctx.queues.dirty, [from, to]);
  return { to, moved: moving.map((t) => t.key) };
}

/** Splits records out of a wrongly merged customer; the two are then marked not the same. */
export async function splitByAdmin(
  ctx: StoreContext,
  customerId: string,
  touchpoints: string[],
  by: string,
): Promise<IdentityAction> {
  const from = await requireLive(ctx, customerId);
  const { to, moved } = await moveRecords(ctx, from, touchpoints);
  const inherited = await inheritMarks(ctx, from, to);
  await markNotSame(ctx, from, to, by);
  return recordAction(ctx, {
    action: 'split',
    customerId: from,
    otherId: to,
    touchpoints: moved,
    identifier: null,
    marks: inherited,
    by,
  });
}

/** Detaches one identifier (`email:…`, `phone:…`): the records carrying it leave with it. */
export async function detachByAdmin(
  ctx: StoreContext,
  customerId: string,
  identifier: string,
  by: string,
): Promise<IdentityAction> {
  const from = await requireLive(ctx, customerId);
  const carrying = (await recordsOf(ctx, from))
    .filter((t) => t.identityKeys.includes(identifier))
    .map((t) => t.key);
  if (carrying.length === 0)
    throw new IdentityActionError(
      'not_found',
      `No record of customer ${customerId} carries ${identifier.split(':')[0]} ${identifier.slice(identifier.indexOf(':') + 1)}.`,
    );
  const { to, moved } = await moveRecords(ctx, from, carrying);
  const inherited = await inheritMarks(ctx, from, to);
  await markNotSame(ctx, from, to, by);
  return recordAction(ctx, {
    action: 'detach',
    customerId: from,
    otherId: to,
    touchpoints: moved,
    identifier,
    marks: inherited,
    by,
  });
}

/** Undoes an action: a merge is split again (the merged id returns), a split or detach merged back, a mark lifted. */
export async function undoAction(
  ctx: StoreContext,
  actionId: string,
  by: string,
): Promise<IdentityAction> {
  const found = await ctx.es.get<IdentityAction>(
    { index: ctx.names.identities, id: `action:${actionId}` },
    { ignore: [404] },
  );
  const action = found.found ? found._source : undefined;
  if (!action) throw new IdentityActionError('not_found', `No identity action ${actionId}.`);
  if (action.undoneAt)
    throw new IdentityActionError('conflict', `Action ${actionId} was already undone.`);
  // The erasure kept only ids and counts of an action on an erased customer: there is nothing left to undo with.
  if ((action as { erasedAt?: string }).erasedAt)
    throw new IdentityActionError(
      'conflict',
      `Action ${actionId} concerns an erased customer and cannot be undone.`,
    );
  switch (action.action) {
    case 'merge': {
      const survivor =
        (await resolveRedirects(ctx, [action.customerId])).get(action.customerId) ??
        action.customerId;
      // Undoing a merge by score says the score was wrong: remembered (before the two are rebuilt and matched again), or matching would merge them again at once.
      if (action.by === 'matching') {
        await writeMarks(ctx, [[action.customerId, action.otherId]]);
        // Merged deferred: what the loser's rebuild has not moved yet is moved now, so the records to move back are all here.
        await pointLinksTo(ctx, action.otherId, survivor);
        await moveTouchpoints(ctx, action.otherId, survivor);
      }
      await moveRecords(ctx, survivor, action.touchpoints, action.otherId);
      // The marks the merge lifted hold again, on the ids they were made on.
      await writeMarks(
        ctx,
        (action.marks ?? []).map((pair) => pair.split('|') as [string, string]),
      );
      break;
    }
    case 'not-same':
      await ctx.es.delete(
        {
          index: ctx.names.identities,
          id: notSameKey(action.customerId, action.otherId),
          refresh: 'wait_for',
        },
        { ignore: [404] },
      );
      break;
    case 'split':
    case 'detach':
      await ctx.es.delete(
        {
          index: ctx.names.identities,
          id: notSameKey(action.customerId, action.otherId),
          refresh: 'wait_for',
        },
        { ignore: [404] },
      );
      await removeMarks(ctx, action.marks ?? []);
      await mergeCustomers(ctx, action.customerId, action.otherId);
      break;
  }
  const undoneAt = new Date().toISOString();
  await ctx.es.update({
    index: ctx.names.identities,
    id: `action:${actionId}`,
    doc: { undoneAt, undoneBy: by },
    refresh: 'wait_for',
  });
  return { ...action, undoneAt };
}

/** The most recent actions, newest first. */
export async function listActions(ctx: StoreContext, size = 50): Promise<IdentityAction[]> {
  const page = await ctx.es.search<IdentityAction>({
    index: ctx.names.identities,
    size,
    query: { term: { kind: 'action' } },
    sort: [{ createdAt: 'desc' }],
  });
  return page.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
}
