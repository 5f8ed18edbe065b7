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
import { touchpointKey, touchpointSchema, type StoredTouchpoint, type Touchpoint } from '../../../domain/src/contract';
import { identityKeys, touchpointChannel, touchpointDirection } from '../../../domain/src/identity-keys';
import { suppressedKeys } from '../../../infra/src/suppression';
import type { IndexerContext } from '../context';
import { signatureOf } from '../identity/identity-rules';
import { readLinkDocs } from '../identity/identity-links';
import { resolveIdentities } from '../identity/resolve-identities';
import { storedTimesOf } from '../rollups/touchpoint-days';
import { markDirty } from '../rebuild/dirty-set';
import { externalVersion, writeTouchpoints } from '../store/touchpoint-store';
import { SafeError } from '../../../infra/src/safe-error';

export const ingestBatchSchema = z.object({ touchpoints: z.array(touchpointSchema).min(1) });
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export interface IngestBatchResult {
  written: number;
  stale: number;
  customers: number;
  /** Where the job's time went (ms); `bench:freshness` reads them from the completed jobs. */
  timings?: { readsMs: number; identityMs: number; storeMs: number; markMs: number };
}

export async function processIngestBatch(ctx: IndexerContext, job: Pick<Job, 'data' | 'id'>): Promise<IngestBatchResult> {
  const parsed = ingestBatchSchema.safeParse(job.data);
  if (!parsed.success) {
    // The API validated every item; a payload that fails here can never succeed. Where and which rule only: zod's texts may quote values and keys.
    const issue = parsed.error.issues[0];
    throw new SafeError('invalid_batch', `job ${job.id} carries an invalid batch: ${issue ? `${issue.path.map((p) => (typeof p === 'number' ? p : /^[A-Za-z0-9_]{1,40}$/.test(String(p)) ? String(p) : '?')).join('.')} (${issue.code})` : 'no details'}`, {
      unrecoverable: true,
    });
  }
  const touchpoints = latestPerKey(parsed.data.touchpoints);
  const withKeys = touchpoints.map((tp) => {
    const key = touchpointKey(tp);
    const keys = identityKeys(tp);
    // A record with no usable identifier (e.g. only an invalid email) still
    // belongs to exactly one customer, the same one every time it is resent.
    return { tp, key, identityKeys: keys.length > 0 ? keys : [`tp:${key}`] };
  });
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  // Three independent real-time reads side by side (one round trip instead of three): the suppression
  // list, the identity links of every key the resolution may ask for, and the stored versions the write
  // replaces (their rollup hours are recomputed).
  const linkKeys = new Set(withKeys.flatMap((w) => [...w.identityKeys, `tp:${w.key}`]));
  const [suppressed, linkDocs, replacedTimes] = await Promise.all([
    // Erased people stay erased: touchpoints with an identifier on the suppression list are dropped.
    ctx.suppression ? suppressedKeys(ctx.es, ctx.names.suppressions, withKeys.flatMap((w) => w.identityKeys), ctx.suppression) : new Set<string>(),
    readLinkDocs(ctx, [...linkKeys]),
    storedTimesOf(ctx.es, ctx.names.touchpoints, withKeys.map((w) => w.key)),
  ]);
  if (suppressed.size > 0) withKeys.splice(0, withKeys.length, ...withKeys.filter((w) => !w.identityKeys.some((k) => suppressed.has(k))));
  if (withKeys.length === 0) return { written: 0, stale: 0, customers: 0 };
  const readsMs = lap();
  const customerOf = await resolveIdentities(
    ctx,
    withKeys.map(({ tp, key, identityKeys }) => ({ key, identityKeys, person: signatureOf(tp.customer) })),
    undefined,
    { prefetched: { keys: linkKeys, docs: linkDocs } },
  );
  const identityMs = lap();
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
  const { written, stale } = await writeTouchpoints(ctx, stored, { replacedTimes });
  const storeMs = lap();
  await markDirty(ctx.redis, ctx.queues.dirty, written.map((tp) => tp.customerId));
  return {
    written: written.length,
    stale: stale.length,
    customers: new Set(written.map((t) => t.customerId)).size,
    timings: { readsMs, identityMs, storeMs, markMs: lap() },
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
