import type { Client } from '@elastic/elasticsearch';
import type { IndexNames } from '../../../infra/src/names';
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
}): Promise<number> {
  // The migration writes no Redis state: redirects found here need no follow-up rebuild (writeProfiles).
  const ctx: IndexContext = { es: options.es, names: options.names };
  let after: Record<string, string | number> | undefined;
  let total = 0;
  await options.es.indices.refresh({ index: options.names.touchpoints });
  for (;;) {
    const answer = await options.es.search({
      index: options.names.touchpoints,
      size: 0,
      aggs: {
        ids: {
          composite: { size: 500, sources: [{ id: { terms: { field: 'customerId' } } }], after },
        },
      },
    });
    const agg = answer.aggregations?.ids as
      { buckets: { key: { id: string } }[]; after_key?: Record<string, string> } | undefined;
    const ids = agg?.buckets.map((b) => b.key.id) ?? [];
    if (ids.length === 0) break;
    await rebuildCustomers(ctx, ids, Date.now() * 1000, {
      intoIndex: options.intoIndex,
      refresh: false,
    });
    total += ids.length;
    options.log(`  rebuilt ${total} profiles`);
    after = agg?.after_key;
    if (!after) break;
  }
  await options.es.indices.refresh({ index: options.intoIndex });
  return total;
}
