import customers from './customers.json' with { type: 'json' };
import identities from './identities.json' with { type: 'json' };
import touchpoints from './touchpoints.json' with { type: 'json' };
import segments from './segments.json' with { type: 'json' };
import matchModels from './match-models.json' with { type: 'json' };
import segmentEvents from './segment-events.json' with { type: 'json' };
import audit from './audit.json' with { type: 'json' };
import suppressions from './suppressions.json' with { type: 'json' };
import accounts from './accounts.json' with { type: 'json' };
import touchpointRollups from './touchpoint-rollups.json' with { type: 'json' };
import matchPairs from './match-pairs.json' with { type: 'json' };
import type { IndexNames } from '../infra/src/names';

/** A versioned index definition: one JSON file per index in mappings/. */
export interface IndexDefinition {
  version: number;
  description: string;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

/** In the order they must be applied: customers and touchpoint rollups are rebuilt from touchpoints. */
export const definitions: { name: keyof IndexNames; definition: IndexDefinition }[] = [
  { name: 'touchpoints', definition: touchpoints },
  { name: 'identities', definition: identities },
  { name: 'customers', definition: customers },
  { name: 'segments', definition: segments },
  { name: 'matchModels', definition: matchModels },
  { name: 'segmentEvents', definition: segmentEvents },
  { name: 'audit', definition: audit },
  { name: 'suppressions', definition: suppressions },
  { name: 'accounts', definition: accounts },
  { name: 'touchpointRollups', definition: touchpointRollups },
  { name: 'matchPairs', definition: matchPairs },
];

/**
 * The index behind an alias: `<alias>-v<N>` with one primary shard (as
 * before shards were configurable), `<alias>-v<N>-s<K>` with K > 1, so a
 * change of either builds a new index beside the current one.
 */
export function versionedIndexName(alias: string, version: number, shards = 1): string {
  return shards === 1 ? `${alias}-v${version}` : `${alias}-v${version}-s${shards}`;
}
