/**
 * Retention per touchpoint type, enforced by a scheduled BullMQ job
 * in the indexer; profiles are rebuilt afterwards.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetention } from '../../indexers/src/retention/retention-policy';
import {
  retentionQueueName,
  startRetentionWorker,
  type RetentionWorker,
} from '../../indexers/src/retention/retention-worker';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let retention: RetentionWorker | null = null;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await retention?.close();
  if (p) {
    const queue = new Queue(retentionQueueName(p.indexers[0].ctx), {
      connection: { url: serviceUrls().redisUrl },
    });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
  await p?.close();
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const session = (id: string, email: string, occurredAt: string) => ({
  source: 'web',
  id,
  type: 'web_session',
  occurredAt,
  customer: { email },
  data: { pages: 3 },
});

describe('retention', () => {
  it('reads periods per type and refuses unknown types or units', () => {
    expect(parseRetention('web_session=395d, email=730d')).toEqual({
      web_session: 395,
      email: 730,
    });
    expect(() => parseRetention('sessions=10d')).toThrow(/type among/);
    expect(() => parseRetention('web_session=13m')).toThrow(/<type>=<days>d/);
  });

  it('deletes touchpoints older than their type allows on schedule, keeps the rest, and rebuilds the profiles', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        session('S-old', 'kept@example.com', daysAgo(500)),
        session('S-new', 'kept@example.com', daysAgo(10)),
        {
          source: 'shop',
          id: 'O-old',
          type: 'order',
          occurredAt: daysAgo(900),
          customer: { email: 'kept@example.com' },
          data: { orderNumber: 'O-old', total: 5, currency: 'EUR' },
        },
        session('S-only', 'only.web@example.com', daysAgo(600)),
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    const kept = (await p.request('GET', '/api/v1/customers/search?q=kept@example.com')).body
      .items[0].id as string;
    const onlyWeb = (await p.request('GET', '/api/v1/customers/search?q=only.web@example.com')).body
      .items[0].id as string;
    expect((await p.request('GET', `/api/v1/customers/${kept}`)).body.kpis.touchpointCount).toBe(3);

    retention = startRetentionWorker(p.indexers[0].ctx, {
      periods: { web_session: 395 },
      every: 500,
    });
    await expect
      .poll(
        async () =>
          (await p.request('GET', '/api/v1/touchpoints/web/S-old', { role: 'agent' })).status,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(404);
    await p.waitUntilIndexed();

    expect(
      (await p.request('GET', '/api/v1/touchpoints/web/S-new', { role: 'agent' })).status,
    ).toBe(200);
    expect(
      (await p.request('GET', '/api/v1/touchpoints/shop/O-old', { role: 'agent' })).status,
    ).toBe(200);
    await expect
      .poll(
        async () => (await p.request('GET', `/api/v1/customers/${kept}`)).body.kpis.touchpointCount,
        { timeout: 10_000 },
      )
      .toBe(2);
    await expect
      .poll(async () => (await p.request('GET', `/api/v1/customers/${onlyWeb}`)).status, {
        timeout: 10_000,
      })
      .toBe(404);

    // The customer with nothing left keeps no identity links either (removed at the end of the retention run,
    // which may finish after the rebuild that removed the profile).
    const es = p.indexers[0].ctx.es;
    await expect
      .poll(
        async () =>
          (
            await es.count({
              index: `${p.prefix}-identities`,
              query: { term: { customerId: onlyWeb } },
            })
          ).count,
        { timeout: 10_000 },
      )
      .toBe(0);
    expect(
      (await es.count({ index: `${p.prefix}-identities`, query: { term: { customerId: kept } } }))
        .count,
    ).toBeGreaterThan(0);

    // Written by the indexer without a refresh: searchable within a second.
    await expect
      .poll(async () => (await p.request('GET', '/api/v1/audit?action=retention')).body.total, {
        timeout: 5_000,
      })
      .toBeGreaterThanOrEqual(1);
    const audit = await p.request('GET', '/api/v1/audit?action=retention');
    expect(audit.body.items[0]).toMatchObject({ actor: 'system:retention', role: 'system' });
    expect(audit.body.items[0].customerIds).toEqual(expect.arrayContaining([kept, onlyWeb]));
  });
});
