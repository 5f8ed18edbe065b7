/**
 * Which rollup days a touchpoint write touches: the day of the new
 * version and, when a record is sent again with another time, the day of the
 * version it replaces, which loses it.
 */
import type { Client } from '@elastic/elasticsearch';

/** The `occurredAt` of the stored versions of these records (those not stored yet have none). */
export async function storedTimesOf(es: Client, index: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const answer = await es.mget<{ occurredAt?: string }>({
    index,
    ids: keys,
    _source_includes: ['occurredAt'],
  });
  return answer.docs.flatMap((doc) =>
    'found' in doc && doc.found && doc._source?.occurredAt ? [doc._source.occurredAt] : [],
  );
}
