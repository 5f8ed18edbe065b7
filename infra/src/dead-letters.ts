/**
 * Dead letters: touchpoints that were accepted (or queued before a rule
 * existed) but that Elasticsearch can never store, e.g. a value that breaks
 * the mapping. The indexer sets each one aside here instead of retrying its
 * whole batch for days, so its neighbours are stored and `ingest/status`
 * reaches 0; admins list them (`GET /api/v1/ingest/dead-letters`) to fix the
 * source.
 *
 * A capped Redis sorted set, not an index: it needs no mapping (a mapping is
 * what failed), is trimmed to the newest `DEAD_LETTER_CAP` in the same call
 * that adds, and re-adding the same failure (a retried job) only moves its
 * time (the entry is the member, the time its score).
 *
 * An entry holds no personal data: source, touchpoint id, type, a reason code
 * and a machine detail (Elasticsearch's error type, or the path of the field
 * that failed validation), occurredAt, and when. Never Elasticsearch's
 * `reason` text or zod's message: they quote the value.
 */
import type { Redis } from 'ioredis';

export const DEAD_LETTER_CAP = 10_000;

export type DeadLetterReason =
  /** Fails the touchpoint contract as it is now (queued before a rule existed). */
  | 'invalid_touchpoint'
  /** `source:id` longer than an Elasticsearch document id may be. */
  | 'id_too_long'
  /** The external version (version or occurredAt in ms) is not one Elasticsearch takes. */
  | 'invalid_version'
  /** Elasticsearch refused the document itself (400: mapping, parsing, an over-long term). */
  | 'rejected_by_elasticsearch';

export interface DeadLetter {
  source: string;
  id: string;
  type: string;
  reason: DeadLetterReason;
  /** Machine detail: an Elasticsearch error type chain or a field path, never a value. */
  detail: string;
  occurredAt: string | null;
  /** When it was set aside (ISO-8601). */
  at: string;
}

/** What an indexer knows of a touchpoint it sets aside; anything not of the expected shape is replaced. */
export interface DeadLetterInput {
  touchpoint: unknown;
  reason: DeadLetterReason;
  detail: string;
}

export async function addDeadLetters(
  redis: Redis,
  key: string,
  letters: DeadLetterInput[],
  now = Date.now(),
): Promise<void> {
  if (letters.length === 0) return;
  const members = letters.flatMap((letter) => [now, JSON.stringify(entryOf(letter))]);
  await redis
    .multi()
    .zadd(key, ...members)
    .zremrangebyrank(key, 0, -(DEAD_LETTER_CAP + 1))
    .exec()
    .then((results) => {
      const failed = results?.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    });
}

export async function countDeadLetters(redis: Redis, key: string): Promise<number> {
  return redis.zcard(key);
}

/** The newest `size` dead letters, newest first. */
export async function listDeadLetters(
  redis: Redis,
  key: string,
  size: number,
): Promise<DeadLetter[]> {
  const flat = await redis.zrevrange(key, 0, size - 1, 'WITHSCORES');
  const letters: DeadLetter[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const entry = JSON.parse(flat[i]) as Omit<DeadLetter, 'at'>;
    letters.push({ ...entry, at: new Date(Number(flat[i + 1])).toISOString() });
  }
  return letters;
}

/** The stored member: fixed key order (so the same failure is the same member), each field bounded and of its expected form. */
function entryOf({ touchpoint, reason, detail }: DeadLetterInput): Omit<DeadLetter, 'at'> {
  const tp = (touchpoint && typeof touchpoint === 'object' ? touchpoint : {}) as Record<
    string,
    unknown
  >;
  const text = (value: unknown, max: number, pattern?: RegExp): string | null =>
    typeof value === 'string' && value.length > 0 && (!pattern || pattern.test(value))
      ? value.slice(0, max)
      : null;
  return {
    source: text(tp.source, 40, /^[a-z0-9_-]{1,40}$/) ?? '?',
    id: text(tp.id, 200) ?? '?',
    type: text(tp.type, 40, /^[a-z_]{1,40}$/) ?? '?',
    reason,
    detail: /^[A-Za-z0-9_.<> ?()-]{0,200}$/.test(detail) ? detail : '?',
    occurredAt: text(tp.occurredAt, 40, /^[0-9T:.+-]+Z?$/),
  };
}
