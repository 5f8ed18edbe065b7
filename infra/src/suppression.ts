/**
 * The suppression list of erased identifiers (issue 6): ids are an HMAC of the
 * normalized identity key (`email:anna@example.de`), so the list itself holds
 * no identifier in clear text. Set PANORAMA_SUPPRESSION_PEPPER (the same in
 * the API and every indexer) so that short identifiers such as phone numbers
 * cannot be recovered by hashing every possible number.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import { createHmac } from 'node:crypto';

export function suppressionId(identityKey: string, pepper = process.env.PANORAMA_SUPPRESSION_PEPPER ?? ''): string {
  return createHmac('sha256', `panorama-suppression:${pepper}`).update(identityKey).digest('hex');
}

/** Which of these identity keys were erased and suppressed. One `mget`, real-time. */
export async function suppressedKeys(es: Client, index: string, keys: string[]): Promise<Set<string>> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Set();
  const ids = unique.map((k) => suppressionId(k));
  let answer;
  try {
    answer = await es.mget({ index, ids });
  } catch (error) {
    // No suppression index yet (mappings not applied since issue 6): nothing is suppressed.
    if (error instanceof errors.ResponseError && error.meta.statusCode === 404) return new Set();
    throw error;
  }
  const hit = new Set<string>();
  answer.docs.forEach((doc, i) => {
    if ('found' in doc && doc.found) hit.add(unique[i]);
  });
  return hit;
}

export async function suppressKeys(es: Client, index: string, keys: string[]): Promise<number> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return 0;
  const erasedAt = new Date().toISOString();
  await es.bulk({
    refresh: 'wait_for',
    operations: unique.flatMap((k) => [{ index: { _index: index, _id: suppressionId(k) } }, { erasedAt }]),
  });
  return unique.length;
}
