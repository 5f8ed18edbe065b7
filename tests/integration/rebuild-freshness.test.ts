/**
 * The parts of the rebuild loop that bench:freshness shaped: claims sized by
 * the backlog, one refresh shared by all loops, idle loops woken by markDirty.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { indexerDefaults } from '../../indexers/src/config';
import type { IndexerContext } from '../../indexers/src/context';
import { processIngestBatch } from '../../indexers/src/processors/ingest-batch';
import { claimDirty, countDirty, markDirty, releaseDirty } from '../../store/src/dirty-set';
import { startRebuildLoop } from '../../indexers/src/rebuild/rebuild-loop';
import { SharedRefresh } from '../../indexers/src/rebuild/shared-refresh';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames, queueNames } from '../../infra/src/names';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { createRedis } from '../../infra/src/redis';
import { recordSteps } from '../../infra/src/step-timer';
import { applyMappings } from '../../mappings/apply';
import { serviceUrls } from '../support/panorama';

let es: Client;
let redis: Redis;
let ctx: IndexerContext;
const prefix = `t${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  await applyMappings({ elasticsearchUrl, prefix });
  es = createElasticsearch(elasticsearchUrl);
  redis = createRedis(redisUrl, 'worker');
  ctx = { es, redis, names: indexNames(prefix), queues: queueNames(prefix), log: () => {} };
});
afterAll(async () => {
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  await redis?.quit();
  await es?.close();
  await removePrefixData(elasticsearchUrl, redisUrl, prefix);
});

describe('claims follow the backlog', () => {
  it('when few customers wait, each loop takes its share; a large backlog goes in full batches', async () => {
    const key = `${prefix}:claims-${randomBytes(3).toString('hex')}`;
    await markDirty(
      redis,
      key,
      Array.from({ length: 40 }, (_, i) => `c${String(i).padStart(3, '0')}`),
    );
    await new Promise((r) => setTimeout(r, 30));

    const first = await claimDirty(redis, key, 500, { spread: 4, least: 1 });
    expect(first.ids).toHaveLength(10); // 40 waiting over 4 loops
    expect(first.waitedMs).toBeGreaterThanOrEqual(25);
    const second = await claimDirty(redis, key, 6, { spread: 4, least: 1 });
    expect(second.ids).toHaveLength(6); // ceil(30 / 4) = 8, but never more than the batch size
    const third = await claimDirty(redis, key, 500, { spread: 4, least: 50 });
    expect(third.ids).toHaveLength(24); // at least 50 asked, all 24 left taken
    const none = await claimDirty(redis, key, 500, { spread: 4, least: 1 });
    expect(none.ids).toEqual([]);
    // Without spread, a claim takes the batch size, as before.
    await markDirty(redis, key, ['x1', 'x2', 'x3']);
    expect((await claimDirty(redis, key, 2)).ids).toEqual(['x1', 'x2']);

    for (const claim of [first, second, third]) await releaseDirty(redis, key, claim);
    expect(await countDirty(redis, key)).toEqual({ waiting: 1, active: 2 });
  });

  it('a customer marked again while its batch is leased stays dirty after the release', async () => {
    const key = `${prefix}:lease-${randomBytes(3).toString('hex')}`;
    await markDirty(redis, key, ['a', 'b']);
    const claim = await claimDirty(redis, key, 500, { spread: 4, least: 10 });
    expect(claim.ids.sort()).toEqual(['a', 'b']);
    await markDirty(redis, key, ['b']);
    await releaseDirty(redis, key, claim);
    expect(await countDirty(redis, key)).toEqual({ waiting: 1, active: 0 });
  });
});

describe('one refresh shared by all loops', () => {
  it('however many loops ask at once, at most two refreshes run, and each sees what was written before it asked', async () => {
    const refresh = new SharedRefresh(es, ctx.names.touchpoints);
    await es.index({
      index: ctx.names.touchpoints,
      id: 'shared:1',
      document: { key: 'shared:1', customerId: 'shared-a' },
    });
    const asked = performance.now();
    await Promise.all(Array.from({ length: 12 }, () => refresh.after(asked)));
    expect(refresh.count).toBeLessThanOrEqual(2);
    const found = await es.count({
      index: ctx.names.touchpoints,
      query: { term: { customerId: 'shared-a' } },
    });
    expect(found.count).toBe(1);

    // A write after that refresh started needs a new one.
    const before = refresh.count;
    await es.index({
      index: ctx.names.touchpoints,
      id: 'shared:2',
      document: { key: 'shared:2', customerId: 'shared-b' },
    });
    await refresh.after(performance.now());
    expect(refresh.count).toBe(before + 1);
    const second = await es.count({
      index: ctx.names.touchpoints,
      query: { term: { customerId: 'shared-b' } },
    });
    expect(second.count).toBe(1);
  });
});

describe('idle loops wake up on markDirty', () => {
  it('a new touchpoint is rebuilt and searchable at once although the loop would poll only once a minute', async () => {
    const batches: Record<string, number>[] = [];
    const loop = startRebuildLoop(ctx, {
      concurrency: 2,
      batchSize: 50,
      minBatch: indexerDefaults.rebuildMinBatch,
      idleMs: 60_000,
      stepTimers: recordSteps((steps) => batches.push(steps)),
    });
    try {
      // Let both loops find nothing and fall asleep.
      await new Promise((r) => setTimeout(r, 1_000));
      const started = Date.now();
      const email = `wake-${randomBytes(3).toString('hex')}@freshness.example.de`;
      await processIngestBatch(ctx, {
        id: 'wake-1',
        data: {
          touchpoints: [
            {
              source: 'crm',
              id: `wake-${email}`,
              type: 'profile',
              occurredAt: '2026-11-01T10:00:00Z',
              customer: { email, firstName: 'Wanda', lastName: 'Wakeup' },
              data: {},
            },
          ],
        },
      });
      for (;;) {
        const found = await es
          .count({ index: ctx.names.customers, query: { term: { 'emails.value': email } } })
          .catch(() => ({ count: 0 }));
        // The batch's figures are handed over a moment after its release.
        const released = (await countDirty(redis, ctx.queues.dirty)).active === 0;
        if (found.count === 1 && released && batches.length > 0) break;
        if (Date.now() - started > 30_000)
          throw new Error('the profile did not become searchable within 30 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(batches.length).toBeGreaterThanOrEqual(1);
      const batch = batches[0];
      expect(batch.customers).toBe(1);
      // Each step is timed (the benchmark reports them).
      for (const step of [
        'waitedMs',
        'claimMs',
        'redirectsMs',
        'refreshTouchpointsMs',
        'readMs',
        'foldMs',
        'writeMs',
        'visibleMs',
        'segmentsMs',
        'releaseMs',
        'dirtyToVisibleMs',
      ]) {
        expect(batch[step]).toBeGreaterThanOrEqual(0);
      }
      expect(loop.refreshes().customers).toBeGreaterThanOrEqual(1);
    } finally {
      await loop.close();
    }
  });
});
