/**
 * How many primary shards and replicas Panorama's indices get: configuration
 * (PANORAMA_ES_REPLICAS, PANORAMA_ES_SHARDS_CUSTOMERS,
 * PANORAMA_ES_SHARDS_TOUCHPOINTS), not part of the mapping files, so one
 * installation can grow without a new mapping version. `mappings/apply.ts`
 * creates the aliased indices with it; the daily snapshot indices take the
 * replicas.
 */
import type { IndexNames } from './names';

/** A fixed number of replicas, or `auto`: `auto_expand_replicas: "0-1"` (none on a single node, one as soon as a second node joins). */
export type Replicas = number | 'auto';

/** The shard layout of an installation. */
export interface IndexLayout {
  /** Copies of each primary shard; default `auto`. */
  replicas: Replicas;
  /** Primary shards of the two big indices; every other index has one (small). Default 1. */
  shards: { customers: number; touchpoints: number };
}

export const defaultIndexLayout: IndexLayout = {
  replicas: 'auto',
  shards: { customers: 1, touchpoints: 1 },
};

/** The replica settings of an index, at creation or in `indices.putSettings`. */
export interface ReplicaSettings {
  number_of_replicas?: number;
  /** `null` for a fixed count: it resets an `auto` set before to the default, off. */
  auto_expand_replicas: string | null;
}

export const autoExpandReplicas = '0-1';

export function replicaSettings(replicas: Replicas): ReplicaSettings {
  return replicas === 'auto'
    ? { auto_expand_replicas: autoExpandReplicas }
    : { number_of_replicas: replicas, auto_expand_replicas: null };
}

/** Primary shards of the index behind alias `name`. */
export function primaryShards(layout: IndexLayout, name: keyof IndexNames): number {
  if (name === 'customers') return layout.shards.customers;
  if (name === 'touchpoints') return layout.shards.touchpoints;
  return 1;
}

/** The shard and replica settings an index is created with. */
export function layoutSettings(
  layout: IndexLayout,
  name: keyof IndexNames,
): ReplicaSettings & { number_of_shards: number } {
  return { number_of_shards: primaryShards(layout, name), ...replicaSettings(layout.replicas) };
}

/**
 * Whether an index's stored settings (`indices.getSettings`, `index` part)
 * differ from what `replicas` asks. Under `auto` the replica count itself
 * follows the cluster, so only the auto-expand range is compared.
 */
export function replicasDiffer(
  stored: { number_of_replicas?: string | number; auto_expand_replicas?: string | boolean | null },
  replicas: Replicas,
): boolean {
  const auto = stored.auto_expand_replicas;
  const storedAuto = auto == null || auto === false || auto === 'false' ? null : String(auto);
  if (replicas === 'auto') return storedAuto !== autoExpandReplicas;
  return storedAuto !== null || Number(stored.number_of_replicas ?? 1) !== replicas;
}

/** The layout of the configuration variables (infra/src/config.ts, indexLayoutEnvSchema). */
export function indexLayoutOf(config: {
  PANORAMA_ES_REPLICAS: Replicas;
  PANORAMA_ES_SHARDS_CUSTOMERS: number;
  PANORAMA_ES_SHARDS_TOUCHPOINTS: number;
}): IndexLayout {
  return {
    replicas: config.PANORAMA_ES_REPLICAS,
    shards: {
      customers: config.PANORAMA_ES_SHARDS_CUSTOMERS,
      touchpoints: config.PANORAMA_ES_SHARDS_TOUCHPOINTS,
    },
  };
}
