/**
 * Bounded work for every caller, on the real server: analytics requests too
 * large for Elasticsearch, garbage timeline cursors, pages past the result
 * window and an `?asOf=` over a very long history each answer a 4xx with the
 * contract's error body and a message that names the limit, never a 5xx.
 */
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { maxAsOfTouchpoints } from '../../server/src/snapshots/snapshot-repository';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let es: Client;
let customerId: string;

const at = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();
const manyProfiles = 12_000;

function expectRefused(
  res: {
    status: number;
    body: { error?: { code?: string; message?: string; details?: unknown[] } };
  },
  status = 400,
): void {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
  expect(typeof res.body.error?.code).toBe('string');
  expect(res.body.error?.message?.length ?? 0).toBeGreaterThan(10);
  expect(Array.isArray(res.body.error?.details)).toBe(true);
}

beforeAll(async () => {
  p = await startPanorama();
  es = createElasticsearch(serviceUrls().elasticsearchUrl);
  const items = Array.from({ length: 40 }, (_, i) => ({
    source: 'shop',
    id: `O-${i}`,
    type: 'order',
    occurredAt: at(-i),
    customer: { customerNumber: 'K-LONG', firstName: 'Lena', lastName: 'Lang' },
    data: { orderNumber: `O-${i}`, total: 10 + i, currency: 'EUR' },
  }));
  expect(
    (await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: items })).status,
  ).toBe(202);
  await p.waitUntilIndexed();
  const found = await p.request('POST', '/api/v1/analytics/query', {
    role: 'admin',
    body: { page: { size: 10, columns: ['customerNumber'] } },
  });
  customerId = found.body.items[0].id;
  // Profiles written straight to the index, enough to make Elasticsearch's own bucket limit (65,536) reachable:
  // ten products each and a lifetime value of their own, so products × a fine histogram is 120,000 buckets.
  const operations: object[] = [];
  for (let i = 0; i < manyProfiles; i++) {
    operations.push({ index: { _index: p.server.ctx.names.customers, _id: `bulk-${i}` } });
    operations.push({
      id: `bulk-${i}`,
      products: Array.from({ length: 10 }, (_, j) => `P${(i + j) % 20}`),
      kpis: { lifetimeValue: i * 10 },
    });
  }
  const bulk = await es.bulk({ operations, refresh: true });
  expect(bulk.errors).toBe(false);
}, 120_000);

afterAll(async () => {
  await es?.close();
  await p?.close();
});

const query = (body: unknown, role: 'analyst' | 'manager' | 'admin' = 'analyst') =>
  p.request('POST', '/api/v1/analytics/query', { role, body });
const terms = (field: string, size: number, aggs?: object) => ({
  type: 'terms',
  field,
  size,
  ...(aggs ? { aggs } : {}),
});

describe('analytics requests too large to run', () => {
  it('refuses terms of 50 under 50 under 50 for analysts and managers, naming the limit', async () => {
    for (const role of ['analyst', 'manager'] as const) {
      const res = await query(
        {
          aggs: {
            a: terms('products', 50, { b: terms('segment', 50, { c: terms('channels', 50) }) }),
          },
        },
        role,
      );
      expectRefused(res);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain('127,550 buckets');
      expect(res.body.error.message).toContain('at most 10,000');
    }
  });

  it('refuses a histogram that would exceed Elasticsearch’s bucket limit before it runs, instead of a 500', async () => {
    const res = await query({
      aggs: {
        p: terms('products', 20, {
          h: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 1 },
        }),
      },
    });
    expectRefused(res);
    expect(res.body.error.message).toContain('histogram of kpis.lifetimeValue every 1');
    expect(res.body.error.message).toContain('coarser interval');
    // The same with a coarse interval runs.
    const coarse = await query({
      aggs: {
        p: terms('products', 20, {
          h: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 20_000 },
        }),
      },
    });
    expect(coarse.status).toBe(200);
    expect(coarse.body.aggs.p.buckets).toHaveLength(20);
  });

  it('refuses a page past the first 10,000 matches', async () => {
    const res = await query({ page: { from: 10_000, size: 200 } });
    expectRefused(res);
    expect(res.body.error.message).toContain('from + size is 10,200');
    expect((await query({ page: { from: 9_990, size: 10, columns: ['name'] } })).status).toBe(200);
  });

  it('refuses a filter or aggregation tree nested a hundred thousand levels deep with 400, not a stack overflow', async () => {
    // Written as text: JSON.stringify itself recurses and would overflow first.
    const deepFilter = `${'{"kind":"not","filter":'.repeat(100_000)}{"kind":"exists","field":"segment"}${'}'.repeat(100_000)}`;
    const deepAggs = `${'{"type":"terms","field":"segment","size":1,"aggs":{"x":'.repeat(20_000)}{"type":"stats","field":"kpis.lifetimeValue"}${'}}'.repeat(20_000)}`;
    const raw = (route: string, body: string) =>
      p.request('POST', route, {
        role: 'analyst',
        raw: body,
        headers: { 'content-type': 'application/json' },
      });
    expectRefused(await raw('/api/v1/analytics/query', `{"filter":${deepFilter}}`));
    expectRefused(await raw('/api/v1/analytics/query', `{"aggs":{"a":${deepAggs}}}`));
    const segment = await raw('/api/v1/segments', `{"name":"Deep","filter":${deepFilter}}`);
    expectRefused(segment);
  });

  it('still answers what the explorer’s facets send', async () => {
    const res = await query(
      {
        aggs: {
          t0: terms('products', 8),
          h0: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 250 },
        },
      },
      'manager',
    );
    // 12,000 values 10 apart at an interval of 250: 481 buckets.
    expect(res.status).toBe(200);
    expect(res.body.aggs.h0.buckets.length).toBeGreaterThan(400);
  });
});

describe('timeline cursors', () => {
  const timeline = (before: string) =>
    p.request(
      'GET',
      `/api/v1/customers/${customerId}/timeline?size=5&before=${encodeURIComponent(before)}`,
      { role: 'agent' },
    );
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses garbage, forged and oversized cursors with 400 and the error body', async () => {
    for (const before of [
      'garbage',
      '!!!',
      'not a date',
      '2026-13-45',
      b64(['a', {}]),
      b64([1, 2]),
      b64([1.5, 'shop:O-1']),
      b64({ a: 1 }),
      b64([1, 'x'.repeat(400)]),
      'W'.repeat(499),
    ]) {
      const res = await timeline(before);
      expectRefused(res);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expectRefused(await timeline('x'.repeat(5_000)));
  });

  it('still pages with the cursor of `next` and with a timestamp', async () => {
    const first = await p.request('GET', `/api/v1/customers/${customerId}/timeline?size=5`, {
      role: 'agent',
    });
    expect(first.status).toBe(200);
    const second = await timeline(first.body.next);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(5);
    expect(second.body.items[0].occurredAt < first.body.items[4].occurredAt).toBe(true);
    expect((await timeline(at(-10))).body.items[0].id).toBe('O-10');
    expect((await timeline(at(-10).slice(0, 10))).status).toBe(200);
    const searched = await p.request(
      'GET',
      `/api/v1/customers/${customerId}/timeline?size=5&q=order&before=${encodeURIComponent('garbage')}`,
      { role: 'agent' },
    );
    expectRefused(searched);
  });
});

describe('pages past the result window', () => {
  it('refuses them on every paged route with 400 and the error body', async () => {
    expectRefused(
      await p.request('GET', '/api/v1/customers/search?q=a&from=9999&size=100', { role: 'agent' }),
    );
    expectRefused(
      await p.request('GET', '/api/v1/customers/search?q=a&from=10000', { role: 'agent' }),
    );
    expectRefused(await p.request('GET', '/api/v1/audit?offset=9999', { role: 'admin' }));
    expectRefused(await p.request('GET', '/api/v1/audit?offset=9800&size=201', { role: 'admin' }));
    expectRefused(
      await p.request(
        'GET',
        '/api/v1/analytics/migration/customers?from=2026-01-01&to=2026-01-02&fromLabel=a&toLabel=b&size=100000',
        { role: 'analyst' },
      ),
    );
  });
});

describe('a profile as of a date', () => {
  it(`refuses with 422 to fold more than ${maxAsOfTouchpoints.toLocaleString('en-US')} touchpoints, and still folds a normal history`, async () => {
    const normal = await p.request(
      'GET',
      `/api/v1/customers/${customerId}?asOf=${at(-20).slice(0, 10)}`,
      { role: 'agent' },
    );
    expect(normal.status).toBe(200);
    expect(normal.body.asOf).toBeDefined();

    const operations: object[] = [];
    for (let i = 0; i <= maxAsOfTouchpoints; i++) {
      const key = `web:bulk-${i}`;
      operations.push({ index: { _index: p.server.ctx.names.touchpoints, _id: key } });
      operations.push({
        key,
        source: 'web',
        id: `bulk-${i}`,
        type: 'web_session',
        customerId,
        occurredAt: at(-30 - (i % 300)),
        data: {},
      });
    }
    const bulk = await es.bulk({ operations, refresh: true });
    expect(bulk.errors).toBe(false);
    const started = Date.now();
    const res = await p.request(
      'GET',
      `/api/v1/customers/${customerId}?asOf=${at(-1).slice(0, 10)}`,
      { role: 'agent' },
    );
    expectRefused(res, 422);
    expect(res.body.error.code).toBe('history_too_long');
    expect(res.body.error.message).toContain('at most 20,000');
    // Counted, not read: the refusal costs one count.
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 120_000);
});
