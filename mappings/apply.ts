/**
 * `npm run mappings:apply`: makes every alias point to the index version its
 * JSON file in mappings/ names.
 *
 * A new version is built beside the old one and the alias is swapped in one
 * atomic `_aliases` call: touchpoints and identities are copied with
 * point-in-time + search_after + _bulk (the embedded distribution has no
 * `_reindex`), customers are rebuilt from the touchpoints with `fold`, so a
 * mapping change is also a full, safe rebuild. Running it again is a no-op.
 */
import type { Client } from '@elastic/elasticsearch';
import { pathToFileURL } from 'node:url';
import { createElasticsearch } from '../infra/src/elasticsearch';
import { indexNames, type IndexNames } from '../infra/src/names';
import { rebuildAllProfiles } from '../indexers/src/rebuild/rebuild-all';
import { copyIndex } from './copy-index';
import { definitions, versionedIndexName, type IndexDefinition } from './definitions';

export interface ApplyOptions {
  elasticsearchUrl?: string;
  es?: Client;
  /** Index prefix, default `panorama` (env PANORAMA_INDEX_PREFIX). */
  prefix?: string;
  log?: (line: string) => void;
}

export interface AppliedIndex {
  alias: string;
  index: string;
  action: 'created' | 'unchanged' | 'migrated';
  /** The index the alias pointed to before a migration. */
  from?: string;
}

export async function applyMappings(
  options: ApplyOptions,
  /** The definitions to apply; tests pass a bumped version. */
  defs: typeof definitions = definitions,
): Promise<AppliedIndex[]> {
  const es = options.es ?? createElasticsearch(requireUrl(options.elasticsearchUrl));
  const names = indexNames(options.prefix ?? process.env.PANORAMA_INDEX_PREFIX ?? 'panorama');
  const log = options.log ?? (() => {});
  const results: AppliedIndex[] = [];
  for (const { name, definition } of defs) {
    results.push(await applyOne(es, names, name, definition, log));
  }
  if (!options.es) await es.close();
  return results;
}

async function applyOne(
  es: Client,
  names: IndexNames,
  name: keyof IndexNames,
  definition: IndexDefinition,
  log: (line: string) => void,
): Promise<AppliedIndex> {
  const alias = names[name];
  const target = versionedIndexName(alias, definition.version);
  const current = await currentIndexOf(es, alias);
  if (current === target) return { alias, index: target, action: 'unchanged' };

  if (await es.indices.exists({ index: target })) {
    // A migration that died halfway: build the new version again from scratch.
    await es.indices.delete({ index: target });
  }
  await es.indices.create({
    index: target,
    settings: definition.settings,
    mappings: definition.mappings,
  });

  if (!current) {
    await es.indices.putAlias({ index: target, name: alias });
    log(`created ${target} as ${alias}`);
    return { alias, index: target, action: 'created' };
  }

  log(`migrating ${alias}: ${current} → ${target}`);
  if (name === 'customers') {
    await rebuildAllProfiles({ es, names, intoIndex: target, log });
  } else {
    await copyIndex(es, current, target, log);
  }
  await es.indices.updateAliases({
    actions: [
      { remove: { index: current, alias } },
      { add: { index: target, alias } },
    ],
  });
  await es.indices.delete({ index: current });
  log(`${alias} now points to ${target}`);
  return { alias, index: target, action: 'migrated', from: current };
}

async function currentIndexOf(es: Client, alias: string): Promise<string | null> {
  if (!(await es.indices.existsAlias({ name: alias }))) {
    if (await es.indices.exists({ index: alias })) {
      throw new Error(`${alias} is a concrete index, not an alias: mappings are managed by mappings/apply.ts; delete it or rename it.`);
    }
    return null;
  }
  const answer = await es.indices.getAlias({ name: alias });
  const indices = Object.keys(answer);
  if (indices.length !== 1) throw new Error(`alias ${alias} points to ${indices.length} indices; expected exactly one`);
  return indices[0];
}

function requireUrl(url: string | undefined): string {
  const value = url ?? process.env.ELASTICSEARCH_URL;
  if (!value) throw new Error('ELASTICSEARCH_URL is not set: point it to the cluster whose mappings to apply.');
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  applyMappings({ log: (line) => console.log(line) })
    .then((results) => {
      for (const r of results) console.log(`${r.alias} → ${r.index} (${r.action})`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
