/**
 * The suppression list of erased identifiers: ids are an HMAC of the
 * normalized identity key (`email:anna@example.de`) under the installation's
 * pepper, so the list itself holds no identifier in clear text, and short
 * identifiers such as phone numbers cannot be recovered by hashing every
 * possible number without the pepper. The API (which writes entries) and
 * every indexer (which checks them) must use the same pepper: see
 * suppression-pepper.ts for where it is kept and how a wrong one is refused.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import { createHmac } from 'node:crypto';

/** What the erasure and the ingest check need: the pepper every process shares. */
export interface Suppression {
  pepper: string;
}

export function suppressionId(identityKey: string, pepper: string): string {
  return createHmac('sha256', `panorama-suppression:${pepper}`).update(identityKey).digest('hex');
}

/** Which of these identity keys were erased and suppressed. One `mget`, real-time. */
export async function suppressedKeys(
  es: Client,
  index: string,
  keys: string[],
  suppression: Suppression,
): Promise<Set<string>> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Set();
  const ids = unique.map((k) => suppressionId(k, suppression.pepper));
  let answer;
  try {
    answer = await es.mget({ index, ids, _source: false });
  } catch (error) {
    // No suppression index yet (mappings not applied): nothing is suppressed.
    if (error instanceof errors.ResponseError && error.meta.statusCode === 404) return new Set();
    throw error;
  }
  const hit = new Set<string>();
  answer.docs.forEach((doc, i) => {
    if ('found' in doc && doc.found) hit.add(unique[i]);
  });
  return hit;
}

/**
 * Puts the keys on the list; entries are searchable by `mget` as soon as the
 * bulk returns (real-time), so an ingest job that reads the list afterwards
 * drops the person. Entries hold the erasure time only.
 */
export async function suppressKeys(
  es: Client,
  index: string,
  keys: string[],
  suppression: Suppression,
): Promise<number> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return 0;
  const erasedAt = new Date().toISOString();
  const answer = await es.bulk({
    operations: unique.flatMap((k) => [
      { index: { _index: index, _id: suppressionId(k, suppression.pepper) } },
      { erasedAt },
    ]),
  });
  const failed = answer.items.find((item) => item.index?.error);
  // The id is a hash and the key is not named: the error type only.
  if (failed)
    throw new Error(
      `the suppression list could not be written (${failed.index?.error?.type ?? 'unknown error'}): nothing was erased`,
    );
  return unique.length;
}
