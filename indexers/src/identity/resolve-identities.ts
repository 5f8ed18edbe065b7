/**
 * Deterministic identity resolution for one batch of touchpoints.
 *
 * 1. Touchpoints sharing an identity key within the batch form one cluster
 *    (union-find), so a batch never splits one person.
 * 2. Each cluster takes the customer its keys already link to; if they link to
 *    several customers, those are merged into the oldest one; if to none, a new
 *    customer is made.
 * 3. Unlinked keys are claimed with `op_type: create`. A key another worker
 *    claimed first is re-read and its owner joins the cluster (merging if it
 *    differs) — so touchpoints of one new person processed at the same moment
 *    by several workers end in one profile.
 */
import type { IndexerContext } from '../context';
import { newCustomerId } from './customer-id';
import { createLinks, readLinks, resolveRedirects } from './identity-links';
import { mergeCustomers, pickSurvivor } from './merge-customers';

export interface ResolvableTouchpoint {
  key: string;
  identityKeys: string[];
}

/** Returns the customer id of each touchpoint, by touchpoint key. */
export async function resolveIdentities(
  ctx: IndexerContext,
  touchpoints: ResolvableTouchpoint[],
): Promise<Map<string, string>> {
  const clusters = clusterByKeys(touchpoints);
  const allKeys = [...new Set(clusters.flatMap((c) => c.keys))];
  const linked = await readLinks(ctx, allKeys);
  const survivors = await resolveRedirects(ctx, linked.values());
  const ownerOf = (key: string): string | undefined => {
    const id = linked.get(key);
    return id === undefined ? undefined : (survivors.get(id) ?? id);
  };

  const toCreate = new Map<string, string>();
  const merges: [string, string][] = [];
  const clusterIds: string[] = [];
  const existing: boolean[] = [];
  for (const cluster of clusters) {
    const owners = new Set(cluster.keys.map(ownerOf).filter((id): id is string => id !== undefined));
    const id = owners.size > 0 ? pickSurvivor(owners) : newCustomerId();
    for (const other of owners) if (other !== id) merges.push([id, other]);
    for (const key of cluster.keys) if (!linked.has(key)) toCreate.set(key, id);
    clusterIds.push(id);
    existing.push(owners.size > 0);
  }

  const conflicts = new Set(await createLinks(ctx, toCreate));
  if (conflicts.size > 0) {
    // Another worker claimed these keys between our read and our create: its
    // customer joins the cluster. Our own id counts only if it already existed
    // or got at least one link; otherwise it was never seen and is dropped.
    const claimed = await readLinks(ctx, [...conflicts]);
    const claimedSurvivors = await resolveRedirects(ctx, claimed.values());
    clusters.forEach((cluster, i) => {
      const mine = clusterIds[i];
      const others = new Set<string>();
      for (const key of cluster.keys) {
        const raw = claimed.get(key);
        if (raw !== undefined) others.add(claimedSurvivors.get(raw) ?? raw);
      }
      if (others.size === 0) return;
      const mineUsed = existing[i] || cluster.keys.some((k) => toCreate.get(k) === mine && !conflicts.has(k));
      if (mineUsed) others.add(mine);
      const id = pickSurvivor(others);
      for (const other of others) if (other !== id) merges.push([id, other]);
      clusterIds[i] = id;
    });
  }

  for (const [winner, loser] of dedupeMerges(merges)) await mergeCustomers(ctx, winner, loser);
  const finalIds = merges.length > 0 ? await resolveRedirects(ctx, clusterIds) : null;

  const result = new Map<string, string>();
  clusters.forEach((cluster, i) => {
    const id = finalIds?.get(clusterIds[i]) ?? clusterIds[i];
    for (const tpKey of cluster.touchpoints) result.set(tpKey, id);
  });
  return result;
}

interface Cluster {
  keys: string[];
  touchpoints: string[];
}

function clusterByKeys(touchpoints: ResolvableTouchpoint[]): Cluster[] {
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
  for (const tp of touchpoints) {
    for (const key of tp.identityKeys) if (!parent.has(key)) parent.set(key, key);
    for (let i = 1; i < tp.identityKeys.length; i++) union(tp.identityKeys[0], tp.identityKeys[i]);
  }
  const byRoot = new Map<string, Cluster>();
  for (const tp of touchpoints) {
    const root = find(tp.identityKeys[0]);
    const cluster = byRoot.get(root) ?? { keys: [], touchpoints: [] };
    cluster.touchpoints.push(tp.key);
    byRoot.set(root, cluster);
  }
  for (const key of parent.keys()) byRoot.get(find(key))?.keys.push(key);
  return [...byRoot.values()];
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
