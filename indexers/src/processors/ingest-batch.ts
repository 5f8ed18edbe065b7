/**
 * Processor of `ingest-batch` jobs: a batch of accepted touchpoints.
 *
 * Store → resolve → mark dirty, all idempotent, so a retried job (after a
 * crash or a passing Elasticsearch error) has exactly the effect of one run.
 * Identity is resolved before storing so each stored touchpoint carries its
 * customer; the profile rebuild happens later, batched, in the rebuild loop.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import {
  touchpointKey,
  touchpointSchema,
  type StoredTouchpoint,
  type Touchpoint,
} from '../../../domain/src/contract';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../../domain/src/identity-keys';
import { suppressedKeys } from '../../../infra/src/suppression';
import type { IndexerContext } from '../context';
import { signatureOf } from '../../../store/src/identity/identity-rules';
import { readLinkDocs } from '../../../store/src/identity/identity-links';
import { resolveIdentities } from '../identity/resolve-identities';
import { storedTimesOf } from '../../../store/src/touchpoint-days';
import { markDirty } from '../../../store/src/dirty-set';
import { externalVersion, writeTouchpoints } from '../../../store/src/touchpoint-store';
import { SafeError } from '../../../infra/src/safe-error';
import { addDeadLetters, type DeadLetterInput } from '../../../infra/src/dead-letters';
import { untimedSteps, type StepTimers } from '../../../infra/src/step-timer';

/** The job's shape; each touchpoint is then validated alone, so one that breaks a rule added since it was queued costs only itself. */
export const ingestBatchSchema = z.object({ touchpoints: z.array(z.unknown()).min(1) });
export type IngestBatch = { touchpoints: Touchpoint[] };

export interface IngestBatchResult {
  written: number;
  stale: number;
  customers: number;
  /** Touchpoints set aside as dead letters (infra/src/dead-letters.ts): they can never be stored. */
  deadLetters?: number;
}

export interface IngestBatchOptions {
  /**
   * Times the steps of a job that stores touchpoints, for `bench:freshness`
   * (default: untimed): `readsMs` (suppression list, identity links and stored
   * versions, side by side), `identityMs`, `storeMs`, `markMs`.
   */
  stepTimers?: StepTimers;
}

/**
 * Tries after which a batch whose every touchpoint Elasticsearch refuses is set
 * aside anyway (writeTouchpoints `rejectAll`): with the queue's exponential
 * backoff from 1 s, about 7 s for an index fault to show in the failed
 * attempts and the log before the records become dead letters.
 */
const TRIES_BEFORE_REJECTING_ALL = 3;

export async function processIngestBatch(
  ctx: IndexerContext,
  job: Pick<Job, 'data' | 'id'> & { attemptsMade?: number },
  options: IngestBatchOptions = {},
): Promise<IngestBatchResult> {
  const parsed = ingestBatchSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new SafeError(
      'invalid_batch',
      `job ${job.id} carries no batch of touchpoints: ${describeIssue(parsed.error.issues[0])}`,
      { unrecoverable: true },
    );
  }
  const valid: Touchpoint[] = [];
  const invalid: DeadLetterInput[] = [];
  for (const item of parsed.data.touchpoints) {
    const result = touchpointSchema.safeParse(item);
    if (result.success) valid.push(result.data);
    else
      invalid.push({
        touchpoint: item,
        reason: 'invalid_touchpoint',
        detail: describeIssue(result.error.issues[0]),
      });
  }
  // Written before anything else: a retry of this job finds them again and only moves their time.
  await addDeadLetters(ctx.redis, ctx.queues.deadLetters, invalid);
  const result = await processTouchpoints(
    ctx,
    valid,
    (job.attemptsMade ?? 0) >= TRIES_BEFORE_REJECTING_ALL,
    options.stepTimers ?? untimedSteps,
  );
  return invalid.length > 0 || result.deadLetters
    ? { ...result, deadLetters: invalid.length + (result.deadLetters ?? 0) }
    : result;
}

/** Where and which rule only: zod's texts may quote values and keys. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'no details';
  const path = issue.path
    .map((p) =>
      typeof p === 'number' ? p : /^[A-Za-z0-9_]{1,40}$/.test(String(p)) ? String(p) : '?',
    )
    .join('.');
  return `${path || '(root)'} (${issue.code})`;
}

async function processTouchpoints(
  ctx: IndexerContext,
  valid: Touchpoint[],
  rejectAll: boolean,
  stepTimers: StepTimers,
): Promise<IngestBatchResult> {
  if (valid.length === 0) return { written: 0, stale: 0, customers: 0 };
  const touchpoints = latestPerKey(valid);
  const withKeys = touchpoints.map((tp) => {
    const key = touchpointKey(tp);
    const keys = identityKeys(tp);
    // A record with no usable identifier (e.g. only an invalid email) still
    // belongs to exactly one customer, the same one every time it is resent.
    return { tp, key, identityKeys: keys.length > 0 ? keys : [`tp:${key}`] };
  });
  const steps = stepTimers();
  // Three independent real-time reads side by side (one round trip instead of three): the suppression
  // list, the identity links of every key the resolution may ask for, and the stored versions the write
  // replaces (their rollup hours are recomputed).
  const linkKeys = new Set(withKeys.flatMap((w) => [...w.identityKeys, `tp:${w.key}`]));
  const [suppressed, linkDocs, replacedTimes] = await Promise.all([
    // Erased people stay erased: touchpoints with an identifier on the suppression list are dropped.
    ctx.suppression
      ? suppressedKeys(
          ctx.es,
          ctx.names.suppressions,
          withKeys.flatMap((w) => w.identityKeys),
          ctx.suppression,
        )
      : new Set<string>(),
    readLinkDocs(ctx, [...linkKeys]),
    storedTimesOf(
      ctx.es,
      ctx.names.touchpoints,
      withKeys.map((w) => w.key),
    ),
  ]);
  if (suppressed.size > 0)
    withKeys.splice(
      0,
      withKeys.length,
      ...withKeys.filter((w) => !w.identityKeys.some((k) => suppressed.has(k))),
    );
  if (withKeys.length === 0) return { written: 0, stale: 0, customers: 0 };
  steps.lap('readsMs');
  const customerOf = await resolveIdentities(
    ctx,
    withKeys.map(({ tp, key, identityKeys }) => ({
      key,
      identityKeys,
      person: signatureOf(tp.customer),
    })),
    undefined,
    { prefetched: { keys: linkKeys, docs: linkDocs } },
  );
  steps.lap('identityMs');
  const indexedAt = new Date().toISOString();
  const stored: StoredTouchpoint[] = withKeys.map(({ tp, key, identityKeys }) => ({
    ...tp,
    key,
    customerId: customerOf.get(key) ?? '',
    identityKeys,
    channel: touchpointChannel(tp),
    direction: touchpointDirection(tp),
    indexedAt,
  }));
  const { written, stale, rejected } = await writeTouchpoints(ctx, stored, {
    replacedTimes,
    rejectAll,
  });
  steps.lap('storeMs');
  await addDeadLetters(ctx.redis, ctx.queues.deadLetters, rejected);
  if (rejected.length > 0)
    ctx.log(
      'touchpoints set aside as dead letters',
      { count: rejected.length, reasons: [...new Set(rejected.map((r) => r.detail))].slice(0, 5) },
      'warn',
    );
  await markDirty(
    ctx.redis,
    ctx.queues.dirty,
    written.map((tp) => tp.customerId),
  );
  steps.lap('markMs');
  steps.end();
  return {
    written: written.length,
    stale: stale.length,
    customers: new Set(written.map((t) => t.customerId)).size,
    ...(rejected.length > 0 ? { deadLetters: rejected.length } : {}),
  };
}

/** Within one batch, the same record may come several times: keep the winner by the contract's rule. */
function latestPerKey(touchpoints: Touchpoint[]): Touchpoint[] {
  const byKey = new Map<string, Touchpoint>();
  for (const tp of touchpoints) {
    const key = touchpointKey(tp);
    const seen = byKey.get(key);
    if (!seen || externalVersion(tp) >= externalVersion(seen)) byKey.set(key, tp);
  }
  return [...byKey.values()];
}
