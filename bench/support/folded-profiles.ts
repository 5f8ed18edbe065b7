/**
 * The demo customers as folded profiles, straight from the generator and the
 * domain fold, without the ingest path: the quick way to reach sizes the
 * ingest path would need hours for on this machine. The profiles are what the
 * indexer would write for a person whose touchpoints all resolve to one
 * customer (id `p<n>` = the generator's person id).
 */
import type { StoredTouchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../domain/src/identity-keys';
import type { CustomerDocument } from '../../domain/src/profile';
import { generateDemo } from '../../scripts/demo/generate';
import type { Client } from '@elastic/elasticsearch';

export interface FoldedProfilesOptions {
  customers: number;
  seed: number;
  now: Date;
  /**
   * Fold only every `parts`-th person, starting at `part` (0-based): how
   * several processes share one data set. Each still runs the generator over
   * every person, because order, ticket and contract numbers are counted
   * across persons; folding (with identity keys) is ~70 % of the work, so on
   * two otherwise idle cores two parts can be up to ~1.6× as fast as one.
   * Default: all persons.
   */
  share?: { part: number; parts: number };
}

export function* foldedProfiles(options: FoldedProfilesOptions): Generator<CustomerDocument> {
  const { part, parts } = options.share ?? { part: 0, parts: 1 };
  let personId: string | null = null;
  let personIndex = -1;
  let batch: StoredTouchpoint[] = [];
  const indexedAt = options.now.toISOString();
  const flush = () =>
    personId && batch.length > 0 ? fold(personId, batch, { asOf: options.now }) : null;
  for (const { touchpoint, personId: owner } of generateDemo({
    customers: options.customers,
    seed: options.seed,
    now: options.now,
  })) {
    if (owner !== personId) {
      const doc = flush();
      if (doc) yield doc;
      personId = owner;
      personIndex++;
      batch = [];
    }
    if (personIndex % parts !== part) continue;
    batch.push({
      ...touchpoint,
      key: `${touchpoint.source}:${touchpoint.id}`,
      customerId: owner,
      identityKeys: identityKeys(touchpoint),
      channel: touchpointChannel(touchpoint),
      direction: touchpointDirection(touchpoint),
      indexedAt,
    } as StoredTouchpoint);
  }
  const last = flush();
  if (last) yield last;
}

/**
 * Bulk-writes folded profiles into the customers index, `docsPerBulk` per
 * request (default 1,000 ≈ 5 MB) with up to `inFlight` requests open (default 2,
 * so the next batch is folded while Elasticsearch indexes the last); answers
 * how many. Does not refresh: the caller does, once, at the end of a load.
 */
export async function bulkWriteProfiles(
  es: Client,
  index: string,
  profiles: Iterable<CustomerDocument>,
  options: { docsPerBulk?: number; inFlight?: number; onProgress?: (written: number) => void } = {},
): Promise<number> {
  const docsPerBulk = options.docsPerBulk ?? 1_000;
  const inFlight = options.inFlight ?? 2;
  const open = new Set<Promise<void>>();
  let operations: object[] = [];
  let written = 0;
  const send = (ops: object[]) => {
    const request = (async () => {
      // filter_path: only the failures come back, not one item per document.
      const result = await es.bulk({
        operations: ops,
        refresh: false,
        filter_path: 'errors,items.*.error',
      });
      if (result.errors) {
        const failed = result.items?.find((i) => i.index?.error);
        throw new Error(`bulk write failed: ${JSON.stringify(failed?.index?.error)}`);
      }
      written += ops.length / 2;
      options.onProgress?.(written);
    })();
    open.add(request);
    void request.then(
      () => open.delete(request),
      () => {},
    );
    return request;
  };
  for (const doc of profiles) {
    operations.push({ index: { _index: index, _id: doc.id } }, doc);
    if (operations.length >= docsPerBulk * 2) {
      void send(operations);
      operations = [];
      if (open.size >= inFlight) await Promise.race(open);
    }
  }
  if (operations.length > 0) void send(operations);
  await Promise.all(open);
  return written;
}
