/**
 * Deterministic identity resolution for one batch of touchpoints, under the
 * identity rules of `config/identity-rules.json` (store/src/identity/identity-rules.ts).
 *
 * 1. Placeholder values (`test@test.de`, `noreply@…`, `0000000`) are dropped:
 *    they never link. A record left without a strong identifier links by its
 *    own key (`tp:<source:id>`), so resending it always finds the same customer.
 * 2. Touchpoints sharing a strong identifier (customer number, external id,
 *    email) form one group (union-find), so a batch never splits one person.
 *    Groups sharing a weak identifier (phone) join only when their people
 *    agree (names, birth dates) — households and switchboards stay apart.
 * 3. Each group takes the customers its strong identifiers link to and the
 *    agreeing holders of its weak identifiers; several become one by merging
 *    into the oldest id; none makes a new customer.
 * 4. Unlinked identifiers are claimed with `op_type: create`; a disagreeing
 *    person on a weak identifier is added as another holder with optimistic
 *    concurrency. Once more than `maxPeople` hold it, it links nobody new.
 *    A claim or update another worker won first is re-read and the group is
 *    planned again — so touchpoints of one new person processed at the same
 *    moment by several workers end in one profile.
 */
import type { IndexerContext } from '../context';
import { newCustomerId } from '../../../store/src/identity/customer-id';
import {
  createLinks,
  replaceHolders,
  readLinkDocs,
  resolveRedirects,
  type LinkHolder,
  type StoredLink,
} from '../../../store/src/identity/identity-links';
import {
  hasName,
  loadIdentityRules,
  samePerson,
  type IdentityRules,
  type PersonSignature,
} from '../../../store/src/identity/identity-rules';
import {
  mergeCustomers,
  pickSurvivor,
  redirectFreshIds,
} from '../../../store/src/identity/merge-customers';
import { SafeError } from '../../../infra/src/safe-error';

export interface ResolvableTouchpoint {
  key: string;
  identityKeys: string[];
  /** Who the record says the person is; weak identifiers link only when people agree. */
  person?: PersonSignature;
}

/** People kept per holder of a weak identifier: enough for name variants, bounded. */
const maxPeoplePerHolder = 6;
const maxAttempts = 8;

interface Group {
  strong: string[];
  weak: string[];
  touchpoints: string[];
  people: PersonSignature[];
  /** The customer this group is assigned to so far. */
  id: string | null;
  /** Whether `id` exists in the store (it owns a link), so it must survive or be merged. */
  used: boolean;
}

/** Returns the customer id of each touchpoint, by touchpoint key. */
export async function resolveIdentities(
  ctx: IndexerContext,
  touchpoints: ResolvableTouchpoint[],
  rules: IdentityRules = ctx.identityRules ?? loadIdentityRules(),
  options: {
    /**
     * Link documents the caller already read (real-time, a moment ago, side by side with its other reads):
     * used for the keys they cover, the rest is read here. Conflicts are caught as always (create-only, re-read).
     */
    prefetched?: { keys: Set<string>; docs: Map<string, StoredLink> };
  } = {},
): Promise<Map<string, string>> {
  const maxEdits = rules.config.weakLinks.maxNameEdits;
  const agree = (a: PersonSignature[], b: PersonSignature[]) =>
    a.some((p) => b.some((q) => samePerson(p, q, maxEdits)));
  const groups = groupTouchpoints(touchpoints, rules, agree);

  const allKeys = [...new Set(groups.flatMap((g) => [...g.strong, ...g.weak]))];
  const docs = await readLinkDocsOnce(ctx, allKeys, options.prefetched);
  const merges: [string, string][] = [];
  // Ids made in this call: no touchpoint is stored under them yet (this batch is written after resolution).
  const minted = new Set<string>();
  const mint = () => {
    const id = newCustomerId();
    minted.add(id);
    return id;
  };

  for (let attempt = 0; ; attempt++) {
    const redirects = await resolveRedirects(ctx, linkedIds(docs));
    const current = (id: string) => redirects.get(id) ?? id;
    const holdersOf = (link: StoredLink): LinkHolder[] => {
      const byId = new Map<string, LinkHolder>();
      for (const h of link.doc.holders ?? [{ customerId: link.doc.customerId, people: [] }]) {
        const id = current(h.customerId);
        const held = byId.get(id);
        byId.set(id, { customerId: id, people: [...(held?.people ?? []), ...h.people] });
      }
      return [...byId.values()];
    };

    const creates = new Map<string, { customerId: string; holders?: LinkHolder[] }>();
    // Per weak identifier: its stored holders with this round's additions (new holders, new names), written once.
    const updates = new Map<string, { link: StoredLink; holders: LinkHolder[]; added: string[] }>();
    const updateOf = (key: string, link: StoredLink) => {
      const held = updates.get(key) ?? {
        link,
        holders: (link.doc.holders ?? []).map((h) => ({ ...h })),
        added: [],
      };
      updates.set(key, held);
      return held;
    };
    const seenThisRound = new Map<string, PersonSignature[]>();
    let again = false;
    for (const group of groups) {
      const candidates = new Set<string>();
      for (const key of group.strong) {
        const link = docs.get(key);
        if (link) candidates.add(current(link.doc.customerId));
      }
      for (const key of group.weak) {
        const link = docs.get(key);
        if (!link) continue;
        const holders = holdersOf(link);
        if (holders.length > rules.maxPeople(kindOf(key))) continue; // saturated: links nobody
        const named = group.people.some(hasName);
        for (const h of holders) {
          // A holder known only from records without names (calls) takes the first named group
          // of this round; later groups compare with that one's names, not with nothing.
          const known = [...h.people, ...(seenThisRound.get(`${key}|${h.customerId}`) ?? [])];
          const agrees = named
            ? known.length === 0 || agree(group.people, known)
            : holders.length === 1;
          if (agrees) {
            candidates.add(h.customerId);
            if (named)
              seenThisRound.set(`${key}|${h.customerId}`, [
                ...(seenThisRound.get(`${key}|${h.customerId}`) ?? []),
                ...group.people,
              ]);
          }
        }
      }
      if (group.id && group.used) candidates.add(current(group.id));
      const id = candidates.size > 0 ? pickSurvivor(candidates) : (group.id ?? mint());
      for (const other of candidates) if (other !== id) merges.push([id, other]);
      group.id = id;
      if (candidates.size > 0) group.used = true;

      for (const key of group.strong) if (!docs.has(key)) creates.set(key, { customerId: id });
      for (const key of group.weak) {
        const holder = { customerId: id, people: group.people.slice(0, maxPeoplePerHolder) };
        const link = docs.get(key);
        if (!link) {
          // Two groups of this batch may hold one new weak identifier: the first claims it, the other is added next round.
          if (!creates.has(key)) creates.set(key, { customerId: id, holders: [holder] });
          else if (creates.get(key)?.customerId !== id) again = true;
          continue;
        }
        const holders = holdersOf(link);
        // One holder past the limit marks the value as shared by too many; no more are recorded.
        if (holders.length > rules.maxPeople(kindOf(key))) continue;
        const joined = holders.find((h) => h.customerId === id || candidates.has(h.customerId));
        if (!joined) {
          // Only a named person can be told apart from the holders; a record without a name adds no holder.
          if (!group.people.some(hasName)) continue;
          const update = updateOf(key, link);
          update.holders.push(holder);
          update.added.push(id);
          continue;
        }
        // Names the holder did not carry yet (a first named record after calls with a number only,
        // a typo, a married name) are recorded, so the next person on this number is compared with them.
        const own = (link.doc.holders ?? []).findIndex(
          (h) => current(h.customerId) === joined.customerId,
        );
        if (own === -1) continue;
        const update = updateOf(key, link);
        const target = update.holders[own];
        const fresh = group.people.filter((p) => !target.people.some((q) => sameSignature(p, q)));
        if (fresh.length > 0)
          target.people = [...target.people, ...fresh].slice(0, maxPeoplePerHolder);
        if (
          fresh.length === 0 &&
          update.added.length === 0 &&
          update.holders.every(
            (h, i) => h.people.length === (link.doc.holders ?? [])[i]?.people.length,
          )
        )
          updates.delete(key);
      }
    }

    const conflicts = new Set(await createLinks(ctx, creates));
    const written = new Set<string>();
    for (const [key, value] of creates) if (!conflicts.has(key)) written.add(value.customerId);
    for (const [key, { link, holders, added }] of updates) {
      if (conflicts.has(key)) continue;
      if (await replaceHolders(ctx, key, link, holders)) for (const id of added) written.add(id);
      else conflicts.add(key);
    }
    for (const group of groups) if (group.id && written.has(group.id)) group.used = true;
    if (conflicts.size === 0 && !again) break;
    if (attempt + 1 >= maxAttempts)
      throw new SafeError(
        'identity_race',
        `identity links kept changing under ${conflicts.size} keys; retrying the batch`,
      );
    // Another worker (or another group of this batch) claimed or changed identifiers first: read them all and plan again.
    const fresh = await readLinkDocs(ctx, allKeys);
    docs.clear();
    for (const [key, link] of fresh) docs.set(key, link);
  }

  const planned = dedupeMerges(merges);
  // Most merges join an id this call just made (two groups of one batch that turned out to be one
  // person): a redirect is all they need — nothing is stored under it to move, and readers follow
  // redirects. Only ids that existed before go through mergeCustomers (their links and touchpoints move in the loser's rebuild).
  const freshPairs = planned.filter(([, loser]) => minted.has(loser));
  const alreadyRedirected = await redirectFreshIds(ctx, freshPairs);
  const redirectedPair = ([winner, loser]: [string, string]) =>
    alreadyRedirected.has(`${winner}>${loser}`);
  if (alreadyRedirected.size > 0)
    await pointLinksToSurvivors(ctx, allKeys, freshPairs.filter(redirectedPair));
  for (const [winner, loser] of planned) {
    // Deferred: the redirect now, links and touchpoints by the loser's rebuild (store/src/identity/merge-customers.ts).
    if (!redirectedPair([winner, loser]))
      await mergeCustomers(ctx, winner, loser, { deferred: true });
  }
  const ids = groups.map((g) => g.id ?? '');
  const finalIds = merges.length > 0 ? await resolveRedirects(ctx, ids) : null;

  const result = new Map<string, string>();
  for (const group of groups) {
    const id = finalIds?.get(group.id ?? '') ?? group.id ?? '';
    for (const tpKey of group.touchpoints) result.set(tpKey, id);
  }
  return result;
}

/**
 * The links this batch just made for a redirected fresh id are pointed to the
 * survivor too (one mget, one conditional bulk), so whoever lists a
 * customer's links by `customerId` sees them; a link changed meanwhile keeps
 * its owner and is still followed through the redirect.
 */
async function pointLinksToSurvivors(
  ctx: IndexerContext,
  keys: string[],
  pairs: [string, string][],
): Promise<void> {
  const survivorOf = new Map(pairs.map(([winner, loser]) => [loser, winner]));
  const links = await readLinkDocs(ctx, keys);
  const operations: object[] = [];
  for (const [key, link] of links) {
    const to = survivorOf.get(link.doc.customerId);
    if (!to) continue;
    const holders = link.doc.holders?.map((h) => ({
      ...h,
      customerId: survivorOf.get(h.customerId) ?? h.customerId,
    }));
    operations.push(
      {
        index: {
          _index: ctx.names.identities,
          _id: key,
          if_seq_no: link.seqNo,
          if_primary_term: link.primaryTerm,
        },
      },
      { ...link.doc, customerId: to, ...(holders ? { holders } : {}) },
    );
  }
  if (operations.length > 0) await ctx.es.bulk({ operations });
}

/** The link documents of `keys`, taking what `prefetched` covers from it and reading the rest. */
async function readLinkDocsOnce(
  ctx: IndexerContext,
  keys: string[],
  prefetched?: { keys: Set<string>; docs: Map<string, StoredLink> },
): Promise<Map<string, StoredLink>> {
  if (!prefetched) return readLinkDocs(ctx, keys);
  const docs = new Map<string, StoredLink>();
  for (const key of keys) {
    const link = prefetched.docs.get(key);
    if (link) docs.set(key, link);
  }
  const missing = keys.filter((key) => !prefetched.keys.has(key));
  for (const [key, link] of await readLinkDocs(ctx, missing)) docs.set(key, link);
  return docs;
}

function kindOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

function linkedIds(docs: Map<string, StoredLink>): string[] {
  const ids = new Set<string>();
  for (const { doc } of docs.values()) {
    ids.add(doc.customerId);
    for (const h of doc.holders ?? []) ids.add(h.customerId);
  }
  return [...ids];
}

/**
 * Groups a batch: strong identifiers always join, weak ones only between
 * groups whose people agree.
 */
function groupTouchpoints(
  touchpoints: ResolvableTouchpoint[],
  rules: IdentityRules,
  agree: (a: PersonSignature[], b: PersonSignature[]) => boolean,
): Group[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const items = touchpoints.map((tp) => {
    const usable = tp.identityKeys.filter((k) => !k.startsWith('tp:') && !rules.isBlocked(k));
    const strong = usable.filter((k) => rules.strength(kindOf(k)) === 'strong');
    const weak = usable.filter((k) => rules.strength(kindOf(k)) === 'weak');
    if (strong.length === 0) strong.push(`tp:${tp.key}`);
    return { tp, strong, weak };
  });
  for (const { strong } of items) {
    for (const key of strong) if (!parent.has(key)) parent.set(key, key);
    for (let i = 1; i < strong.length; i++) union(strong[0], strong[i]);
  }
  const byRoot = new Map<string, Group>();
  for (const { tp, strong, weak } of items) {
    const root = find(strong[0]);
    const group = byRoot.get(root) ?? {
      strong: [],
      weak: [],
      touchpoints: [],
      people: [],
      id: null,
      used: false,
    };
    group.touchpoints.push(tp.key);
    for (const k of weak) if (!group.weak.includes(k)) group.weak.push(k);
    if (tp.person && hasName(tp.person) && !group.people.some((p) => sameSignature(p, tp.person!)))
      group.people.push(tp.person);
    byRoot.set(root, group);
  }
  for (const key of parent.keys()) byRoot.get(find(key))?.strong.push(key);
  let groups = [...byRoot.values()];

  // Weak identifiers join groups of the batch whose people agree (named groups only).
  const joined = new Map<Group, Group>();
  const top = (g: Group): Group => {
    let x = g;
    while (joined.has(x)) x = joined.get(x)!;
    return x;
  };
  const byWeakKey = new Map<string, Group[]>();
  for (const g of groups)
    for (const k of g.weak) byWeakKey.set(k, [...(byWeakKey.get(k) ?? []), g]);
  for (const [key, holders] of byWeakKey) {
    if (holders.length < 2 || holders.length > rules.maxPeople(kindOf(key)) + 1) continue;
    for (let i = 1; i < holders.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = top(holders[i]);
        const b = top(holders[j]);
        if (a === b || a.people.length === 0 || b.people.length === 0 || !agree(a.people, b.people))
          continue;
        b.strong.push(...a.strong);
        b.touchpoints.push(...a.touchpoints);
        for (const k of a.weak) if (!b.weak.includes(k)) b.weak.push(k);
        for (const p of a.people) if (!b.people.some((q) => sameSignature(p, q))) b.people.push(p);
        joined.set(a, b);
      }
    }
  }
  // Records without names (calls, phone-only tickets) on a weak identifier that at most one
  // named group of the batch holds join that group now, as they would join its single stored
  // holder in the next round — planning them apart would cost a merge per person.
  for (const [key, holders] of byWeakKey) {
    if (holders.length < 2 || holders.length > rules.maxPeople(kindOf(key)) + 1) continue;
    const tops = [...new Set(holders.map(top))];
    const named = tops.filter((g) => g.people.length > 0);
    if (named.length > 1) continue;
    const target = named[0] ?? tops[0];
    for (const g of tops) {
      if (g === target || g.people.length > 0) continue;
      target.strong.push(...g.strong);
      target.touchpoints.push(...g.touchpoints);
      for (const k of g.weak) if (!target.weak.includes(k)) target.weak.push(k);
      joined.set(g, target);
    }
  }
  groups = groups.filter((g) => !joined.has(g));
  return groups;
}

function sameSignature(a: PersonSignature, b: PersonSignature): boolean {
  return a.first === b.first && a.last === b.last && a.birth === b.birth;
}

function dedupeMerges(merges: [string, string][]): [string, string][] {
  const seen = new Set<string>();
  return merges.filter(([w, l]) => {
    const k = `${w}>${l}`;
    if (seen.has(k) || w === l) return false;
    seen.add(k);
    return true;
  });
}
