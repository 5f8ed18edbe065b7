/**
 * `npm run mappings:apply`: makes every alias point to the index version its
 * JSON file in mappings/ names.
 *
 * A new version is built beside the old one and the alias is swapped in one
 * atomic `_aliases` call: touchpoints and identities are copied with
 * point-in-time + search_after + _bulk (the embedded distribution has no
 * `_reindex`), customers are rebuilt from the touchpoints with `fold`, so a
 * mapping change is also a full, safe rebuild. Running it again is a no-op.
 *
 * Fields derived from a touchpoint (`facts`, `channel`, `direction`: pure
 * functions in domain/) are recomputed while touchpoints are copied, so a new
 * version that derives them differently holds the new values for old records
 * too; the touchpoint rollups, which count them, are then rebuilt as well.
 * The rollups are also built from the touchpoints whenever their index is
 * created or migrated. Identities are copied through `withBothIdsOfMark`,
 * which gives "not the same person" marks of before v2 their second id, and
 * audit entries through `withBoundedUserAgent`, which cuts a stored
 * User-Agent to its product tokens. Run it with the indexers stopped: writes
 * during a migration may miss the new index (as for the customers).
 *
 * Shards and replicas are not in the JSON files but in the `layout` the
 * caller passes (PANORAMA_ES_*, infra/src/index-layout.ts): another replica
 * count is set in place; another number of primary shards takes the same
 * path as a version bump, into `<alias>-v<N>-s<K>` (`<alias>-v<N>` for one
 * shard, the name of before), so the new index never has the current one's
 * name.
 */
import type { Client } from '@elastic/elasticsearch';
import { pathToFileURL } from 'node:url';
import {
  createElasticsearch,
  elasticsearchConnectionOf,
  type ElasticsearchSettings,
} from '../infra/src/elasticsearch';
import {
  defaultIndexLayout,
  layoutSettings,
  primaryShards,
  replicaSettings,
  replicasDiffer,
  indexLayoutOf,
  type IndexLayout,
} from '../infra/src/index-layout';
import { indexNames, type IndexNames } from '../infra/src/names';
import { touchpointFacts } from '../domain/src/analytics/touchpoint-facts';
import type { Touchpoint } from '../domain/src/contract';
import { touchpointChannel, touchpointDirection } from '../domain/src/identity-keys';
import { withBothIdsOfMark } from '../store/src/identity/not-same-marks';
import { rebuildAllProfiles } from '../store/src/profiles/rebuild-all';
import { loadIdentityRules, type IdentityRules } from '../store/src/identity/identity-rules';
import { rebuildAllRollups } from '../store/src/rollups/recompute-rollups';
import { auditUserAgent } from '../domain/src/audit-user-agent';
import { checkConnections } from '../infra/src/connection-check';
import { elasticsearchSettingsOf } from '../infra/src/connection-env';
import { readMappingsConfig } from './config';
import { copyIndex } from './copy-index';
import { definitions, versionedIndexName, type IndexDefinition } from './definitions';

/** The cluster, by URL, by settings or as a client, and the index prefix (PANORAMA_INDEX_PREFIX of the calling process). */
export type ApplyOptions = (
  | { elasticsearchUrl: string; elasticsearch?: undefined; es?: undefined }
  | { elasticsearch: ElasticsearchSettings; elasticsearchUrl?: undefined; es?: undefined }
  | { es: Client }
) & {
  prefix: string;
  /**
   * Shards and replicas (the process's PANORAMA_ES_* variables; this function reads no environment).
   * Default: `defaultIndexLayout`, one primary shard each and `auto` replicas.
   */
  layout?: IndexLayout;
  /** The identity rules profiles are folded with when the customers index is rebuilt (PANORAMA_IDENTITY_RULES); default none, as before rules existed. */
  identityRules?: IdentityRules;
  log?: (line: string) => void;
};

export interface AppliedIndex {
  alias: string;
  index: string;
  /** `replicas`: the index stays, only its replica settings were changed in place. */
  action: 'created' | 'unchanged' | 'replicas' | 'migrated';
  /** The index the alias pointed to before a migration. */
  from?: string;
}

export async function applyMappings(
  options: ApplyOptions,
  /** The definitions to apply; tests pass a bumped version. */
  defs: typeof definitions = definitions,
): Promise<AppliedIndex[]> {
  const es = options.es ?? createElasticsearch(elasticsearchConnectionOf(options));
  const names = indexNames(options.prefix);
  const log = options.log ?? (() => {});
  const layout = options.layout ?? defaultIndexLayout;
  const results: AppliedIndex[] = [];
  for (const { name, definition } of defs) {
    const applied = await applyOne(es, names, name, definition, {
      layout,
      log,
      identityRules: options.identityRules,
    });
    results.push(applied);
    const touchpointsMigrated = results.some(
      (r) => r.alias === names.touchpoints && r.action === 'migrated',
    );
    const kept = applied.action === 'unchanged' || applied.action === 'replicas';
    if (name === 'touchpointRollups' && kept && touchpointsMigrated) {
      // Derived facts may have changed with the touchpoints: count again.
      await buildRollups(es, names, names.touchpointRollups, log);
    }
  }
  if (!options.es) await es.close();
  return results;
}

async function applyOne(
  es: Client,
  names: IndexNames,
  name: keyof IndexNames,
  definition: IndexDefinition,
  {
    layout,
    log,
    identityRules,
  }: { layout: IndexLayout; log: (line: string) => void; identityRules?: IdentityRules },
): Promise<AppliedIndex> {
  const alias = names[name];
  const target = versionedIndexName(alias, definition.version, primaryShards(layout, name));
  const current = await currentIndexOf(es, alias);
  if (current === target) {
    const changed = await adjustReplicas(es, current, layout, log);
    return { alias, index: target, action: changed ? 'replicas' : 'unchanged' };
  }

  // Never the current index: target differs from it by version or shard count.
  if (await es.indices.exists({ index: target })) {
    // A migration that died halfway: build the new version again from scratch.
    await es.indices.delete({ index: target });
  }
  await es.indices.create({
    index: target,
    // The layout's shards and replicas win over anything a JSON file would say.
    settings: { ...definition.settings, ...layoutSettings(layout, name) },
    mappings: definition.mappings,
  });

  if (!current) {
    // Touchpoints stored before the rollups existed are counted at once.
    if (name === 'touchpointRollups') await buildRollups(es, names, target, log);
    await es.indices.putAlias({ index: target, name: alias });
    log(`created ${target} as ${alias}`);
    return { alias, index: target, action: 'created' };
  }

  log(`migrating ${alias}: ${current} → ${target}`);
  if (name === 'customers') {
    await rebuildAllProfiles({ es, names, intoIndex: target, log, identityRules });
  } else if (name === 'touchpointRollups') {
    await buildRollups(es, names, target, log);
  } else if (name === 'touchpoints') {
    await copyIndex(es, current, target, log, withDerivedFields);
  } else if (name === 'identities') {
    await copyIndex(es, current, target, log, withBothIdsOfMark);
  } else if (name === 'audit') {
    await copyIndex(es, current, target, log, withBoundedUserAgent);
  } else {
    await copyIndex(es, current, target, log);
  }
  await es.indices.updateAliases({
    actions: [{ remove: { index: current, alias } }, { add: { index: target, alias } }],
  });
  await es.indices.delete({ index: current });
  log(`${alias} now points to ${target}`);
  return { alias, index: target, action: 'migrated', from: current };
}

/** Sets the layout's replicas on an index that stays; true when they differed. */
async function adjustReplicas(
  es: Client,
  index: string,
  layout: IndexLayout,
  log: (line: string) => void,
): Promise<boolean> {
  const answer = await es.indices.getSettings({ index });
  const stored = Object.values(answer)[0]?.settings?.index ?? {};
  if (!replicasDiffer(stored, layout.replicas)) return false;
  await es.indices.putSettings({ index, settings: { index: replicaSettings(layout.replicas) } });
  const before =
    stored.auto_expand_replicas && String(stored.auto_expand_replicas) !== 'false'
      ? `auto_expand_replicas ${String(stored.auto_expand_replicas)}`
      : `${String(stored.number_of_replicas ?? 1)} replicas`;
  log(
    `${index}: ${before} → ${layout.replicas === 'auto' ? 'auto (0-1)' : layout.replicas} replicas`,
  );
  return true;
}

async function buildRollups(
  es: Client,
  names: IndexNames,
  intoIndex: string,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const built = await rebuildAllRollups({ es, names }, { intoIndex });
  if (built.days > 0)
    log(
      `  rolled up ${built.touchpoints} touchpoints of ${built.days} days into ${intoIndex} (${built.documents} documents, ${Math.round((Date.now() - started) / 1000)} s)`,
    );
}

/**
 * A stored touchpoint with the fields the indexer derives from it computed
 * again by today's code. `identityKeys` stay as stored: they are what the
 * identity links were resolved from, and changing them needs a resolution,
 * not a copy.
 */
export function withDerivedFields(doc: Record<string, unknown>): Record<string, unknown> {
  const tp = doc as unknown as Touchpoint;
  if (typeof tp.type !== 'string') return doc;
  return {
    ...doc,
    facts: touchpointFacts(tp),
    channel: touchpointChannel(tp) ?? null,
    direction: touchpointDirection(tp) ?? null,
  };
}

/** An audit entry of before v2 with its User-Agent cut to product tokens, as new entries store it. */
export function withBoundedUserAgent(doc: Record<string, unknown>): Record<string, unknown> {
  return 'userAgent' in doc
    ? {
        ...doc,
        userAgent: auditUserAgent(typeof doc.userAgent === 'string' ? doc.userAgent : undefined),
      }
    : doc;
}

async function currentIndexOf(es: Client, alias: string): Promise<string | null> {
  if (!(await es.indices.existsAlias({ name: alias }))) {
    if (await es.indices.exists({ index: alias })) {
      throw new Error(
        `${alias} is a concrete index, not an alias: mappings are managed by mappings/apply.ts; delete it or rename it.`,
      );
    }
    return null;
  }
  const answer = await es.indices.getAlias({ name: alias });
  const indices = Object.keys(answer);
  if (indices.length !== 1)
    throw new Error(`alias ${alias} points to ${indices.length} indices; expected exactly one`);
  return indices[0];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  Promise.resolve()
    .then(async () => {
      const config = readMappingsConfig();
      const elasticsearch = elasticsearchSettingsOf(config);
      // Refuses, with the sentence naming what to fix, before it changes anything.
      await checkConnections({
        elasticsearch,
        indexPrefix: config.PANORAMA_INDEX_PREFIX,
        warn: (message) => console.warn(message),
      });
      return applyMappings({
        elasticsearch,
        prefix: config.PANORAMA_INDEX_PREFIX,
        layout: indexLayoutOf(config),
        identityRules: loadIdentityRules(config.PANORAMA_IDENTITY_RULES),
        log: (line) => console.log(line),
      });
    })
    .then((results) => {
      for (const r of results) console.log(`${r.alias} → ${r.index} (${r.action})`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
