import type { Client } from '@elastic/elasticsearch';
import { scan } from '../infra/src/scan';

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
  let copied = 0;
  for await (const hits of scan<Record<string, unknown>>(es, {
    index: from,
    size: PAGE,
    keepAlive: '2m',
    version: true,
  })) {
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
      throw new Error(`copying ${from} to ${to} failed: ${first?.reason ?? 'unknown bulk error'}`);
    }
    copied += hits.length;
    log(`  copied ${copied} documents`);
  }
  return copied;
}
