import type { Client } from '@elastic/elasticsearch';
import type { IndexNames } from '../../../infra/src/names';
import { compositeBuckets } from '../../../infra/src/scan';
import type { IdentityRules } from '../identity/identity-rules';
import type { IndexContext } from '../context';
import { rebuildCustomers } from './rebuild-customers';

/**
 * Rebuilds every profile from the touchpoints into `intoIndex` (a new index
 * version during a mapping migration). Walks the distinct customer ids with a
 * composite aggregation and folds them in batches.
 */
export async function rebuildAllProfiles(options: {
  es: Client;
  names: IndexNames;
  intoIndex: string;
  log: (line: string) => void;
  /** The indexers' rules (their source priority decides fields), so a migrated profile is the one they would build. */
  identityRules?: IdentityRules;
}): Promise<number> {
  // The migration writes no Redis state: redirects found here need no follow-up rebuild (writeProfiles).
  const ctx: IndexContext = {
    es: options.es,
    names: options.names,
    identityRules: options.identityRules,
  };
  let total = 0;
  await options.es.indices.refresh({ index: options.names.touchpoints });
  for await (const buckets of compositeBuckets<{ key: { id: string }; doc_count: number }>(
    options.es,
    {
      index: options.names.touchpoints,
      aggregation: {
        composite: { size: 500, sources: [{ id: { terms: { field: 'customerId' } } }] },
      },
    },
  )) {
    const ids = buckets.map((b) => b.key.id);
    await rebuildCustomers(ctx, ids, Date.now() * 1000, {
      intoIndex: options.intoIndex,
      refresh: false,
    });
    total += ids.length;
    options.log(`  rebuilt ${total} profiles`);
  }
  await options.es.indices.refresh({ index: options.intoIndex });
  return total;
}
