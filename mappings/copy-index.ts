import type { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';

const PAGE = 2_000;

/**
 * Copies every document of `from` into `to`, keeping ids and external
 * versions, with point-in-time + search_after + _bulk (no `_reindex` in the
 * embedded distribution). `derive` recomputes fields that are derived from
 * the rest of a document (see mappings/apply.ts), so a migration that changes
 * how they are derived applies to what is already stored.
 */
export async function copyIndex(
  es: Client,
  from: string,
  to: string,
  log: (line: string) => void,
  derive: (doc: Record<string, unknown>) => Record<string, unknown> = (doc) => doc,
): Promise<number> {
  const pit = await es.openPointInTime({ index: from, keep_alive: '2m' });
  let copied = 0;
  let after: estypes.SortResults | undefined;
  try {
    for (;;) {
      const page = await es.search<Record<string, unknown>>({
        pit: { id: pit.id, keep_alive: '2m' },
        size: PAGE,
        sort: ['_shard_doc'],
        version: true,
        search_after: after,
      });
      const hits = page.hits.hits;
      if (hits.length === 0) break;
      const operations = hits.flatMap((hit) => [
        {
          index: {
            _index: to,
            _id: hit._id,
            version: hit._version,
            version_type: 'external_gte' as const,
          },
        },
        derive(hit._source ?? {}),
      ]);
      const result = await es.bulk({ operations });
      if (result.errors) {
        const first = result.items.find((item) => item.index?.error)?.index?.error;
        throw new Error(
          `copying ${from} to ${to} failed: ${first?.reason ?? 'unknown bulk error'}`,
        );
      }
      copied += hits.length;
      after = hits[hits.length - 1].sort;
      log(`  copied ${copied} documents`);
    }
  } finally {
    await es.closePointInTime({ id: pit.id }).catch(() => {});
  }
  return copied;
}
