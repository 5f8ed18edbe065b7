/**
 * Use case: accept a batch of touchpoints. Each item is validated alone; the
 * valid ones are queued in one atomic `addBulk` (so "accepted" means durably
 * in Redis, AOF on), the invalid ones are reported with their index and
 * nothing of them is written.
 */
import type { Queue } from 'bullmq';
import type { IngestAnswer } from '../../../domain/src/api';
import { toFieldErrors, touchpointSchema, type Touchpoint } from '../../../domain/src/contract';
import { AppError } from '../errors';

export const MAX_TOUCHPOINTS_PER_REQUEST = 5_000;
/** Touchpoints per job: large enough for efficient bulk writes, small enough to retry cheaply. */
const JOB_SIZE = 500;

export async function enqueueTouchpoints(queue: Queue, items: unknown[]): Promise<IngestAnswer> {
  if (items.length > MAX_TOUCHPOINTS_PER_REQUEST) {
    throw tooMany(items.length);
  }
  const accepted: Touchpoint[] = [];
  const rejected: IngestAnswer['rejected'] = [];
  items.forEach((item, index) => {
    if (item instanceof ParseFailure) {
      rejected.push({ index, errors: [{ path: '', message: item.message }] });
      return;
    }
    const result = touchpointSchema.safeParse(item);
    if (result.success) accepted.push(result.data);
    else rejected.push({ index, errors: toFieldErrors(result.error) });
  });
  if (accepted.length > 0) {
    const jobs = [];
    for (let i = 0; i < accepted.length; i += JOB_SIZE) {
      jobs.push({ name: 'ingest-batch', data: { touchpoints: accepted.slice(i, i + JOB_SIZE) } });
    }
    try {
      await queue.addBulk(jobs);
    } catch (error) {
      throw new AppError(
        503,
        'queue_unavailable',
        'The ingest queue (Redis) is not reachable; nothing was accepted. Retry shortly.',
        undefined,
        { cause: error },
      );
    }
  }
  return { accepted: accepted.length, rejected };
}

/** An NDJSON line that is not JSON: reported as that item's error. */
export class ParseFailure {
  constructor(readonly message: string) {}
}

/**
 * Splits an NDJSON body into items, keeping unparsable lines as failures at
 * their index. The lines are counted first, so a body with more touchpoints
 * than a request may carry is refused before any line is parsed (a 10 MB
 * body of tiny lines would otherwise cost a million `JSON.parse` calls).
 */
export function parseNdjson(text: string): unknown[] {
  const lines = countLines(text, MAX_TOUCHPOINTS_PER_REQUEST + 1);
  if (lines > MAX_TOUCHPOINTS_PER_REQUEST)
    throw tooMany(`more than ${MAX_TOUCHPOINTS_PER_REQUEST}`);
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return new ParseFailure('this line is not valid JSON');
      }
    });
}

/** Non-blank lines of `text`, counting stops at `stopAt`. */
function countLines(text: string, stopAt: number): number {
  let count = 0;
  let start = 0;
  while (start <= text.length && count < stopAt) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (/\S/.test(text.slice(start, stop))) count++;
    if (end === -1) break;
    start = end + 1;
  }
  return count;
}

function tooMany(count: string | number): AppError {
  return new AppError(
    413,
    'payload_too_large',
    `At most ${MAX_TOUCHPOINTS_PER_REQUEST} touchpoints per request; this one has ${count}. Split it.`,
  );
}
