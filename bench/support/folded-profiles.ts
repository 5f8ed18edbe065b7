/**
 * The demo customers as folded profiles, straight from the generator and the
 * domain fold, without the ingest path: the quick way to reach sizes the
 * ingest path would need hours for on this machine. The profiles are what the
 * indexer would write for a person whose touchpoints all resolve to one
 * customer (id `p<n>` = the generator's person id).
 */
import type { StoredTouchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import { identityKeys, touchpointChannel, touchpointDirection } from '../../domain/src/identity-keys';
import type { CustomerDocument } from '../../domain/src/profile';
import { generateDemo } from '../../scripts/demo/generate';
import type { Client } from '@elastic/elasticsearch';

export function* foldedProfiles(options: { customers: number; seed: number; now: Date; from?: number }): Generator<CustomerDocument> {
  let personId: string | null = null;
  let batch: StoredTouchpoint[] = [];
  const indexedAt = options.now.toISOString();
  const flush = () => (personId && batch.length > 0 ? fold(personId, batch, { asOf: options.now }) : null);
  for (const { touchpoint, personId: owner } of generateDemo({ customers: options.customers, seed: options.seed, now: options.now })) {
    if (owner !== personId) {
      const doc = flush();
      if (doc) yield doc;
      personId = owner;
      batch = [];
    }
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

/** Bulk-writes folded profiles into the customers index (1,000 per request); answers how many. */
export async function bulkWriteProfiles(es: Client, index: string, profiles: Iterable<CustomerDocument>, onProgress?: (n: number) => void): Promise<number> {
  let operations: object[] = [];
  let written = 0;
  const send = async () => {
    if (operations.length === 0) return;
    const result = await es.bulk({ operations, refresh: false });
    if (result.errors) {
      const failed = result.items.find((i) => i.index?.error);
      throw new Error(`bulk write failed: ${JSON.stringify(failed?.index?.error)}`);
    }
    written += operations.length / 2;
    operations = [];
    onProgress?.(written);
  };
  for (const doc of profiles) {
    operations.push({ index: { _index: index, _id: doc.id } }, doc);
    if (operations.length >= 2000) await send();
  }
  await send();
  await es.indices.refresh({ index });
  return written;
}
