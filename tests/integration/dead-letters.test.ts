/**
 * A touchpoint Elasticsearch can never store costs only itself: what can be
 * known up front is refused at ingest with a per-item error; what only
 * Elasticsearch can tell (a value that breaks the mapping) is set aside as a
 * dead letter while its batch's other touchpoints are stored, and
 * `ingest/status` reaches 0.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

function note(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'crm',
    id,
    type: 'note',
    occurredAt: '2026-03-01T10:00:00Z',
    customer: { customerNumber: `K-${id.slice(0, 20)}` },
    data: { text: 'called back' },
    ...extra,
  };
}

async function storedCount(query: object = { match_all: {} }): Promise<number> {
  const es = createElasticsearch(serviceUrls().elasticsearchUrl);
  try {
    await es.indices.refresh({ index: `${p.prefix}-touchpoints` });
    return (await es.count({ index: `${p.prefix}-touchpoints`, query })).count;
  } finally {
    await es.close();
  }
}

describe('touchpoints that can never be stored', () => {
  it('refuses at ingest, per item, ids, versions and timestamps Elasticsearch would refuse', async () => {
    const items = [
      note('ok-1'),
      note('€'.repeat(200)), // 200 characters, 600 bytes: longer than a document id may be
      note('old-1', { occurredAt: '1969-12-31T23:59:59Z' }), // no version: occurredAt in ms is the version, negative
      note('old-2', { occurredAt: '1969-12-31T23:59:59Z', version: 7 }), // with a version, an old date is fine
      note('frac-1', { occurredAt: '2026-03-01T10:00:00.1234567890Z' }), // 10 fraction digits: Elasticsearch cannot parse it
      note('zone-1', { occurredAt: '2026-03-01T10:00:00+19:00' }), // offset beyond ±18:00
      note('ext-1', { customer: { externalId: '€'.repeat(200) } }), // its identity link id would be too long
    ];
    const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: items });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.accepted).toBe(2);
    const rejected = Object.fromEntries(
      (res.body.rejected as { index: number; errors: { path: string }[] }[]).map((r) => [
        r.index,
        r.errors.map((e) => e.path),
      ]),
    );
    expect(rejected).toEqual({
      1: ['id'],
      2: ['occurredAt'],
      4: ['occurredAt'],
      5: ['occurredAt'],
      6: ['customer.externalId'],
    });
    await p.waitUntilIndexed();
    expect(await storedCount({ terms: { id: ['ok-1', 'old-2'] } })).toBe(2);
  });

  it('stores 499 of a batch of 500 when one breaks the mapping, sets that one aside, and reaches waiting 0', async () => {
    const before = await storedCount();
    const batch = Array.from({ length: 500 }, (_, i) => note(`batch-${i}`));
    // Accepted (a deleted record needs no valid `data`), but its channel is a keyword term over 32,766 bytes.
    batch[250] = {
      source: 'shop',
      id: 'poison-1',
      type: 'order',
      occurredAt: '2026-03-02T10:00:00Z',
      deleted: true,
      customer: { customerNumber: 'K-poison' },
      data: { channel: 'x'.repeat(40_000) },
    };
    const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: batch });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(500);
    await p.waitUntilIndexed(60_000);

    expect(await storedCount()).toBe(before + 499);
    const neighbour = await p.request('GET', '/api/v1/touchpoints/crm/batch-251', {
      role: 'agent',
    });
    expect(neighbour.status).toBe(200);
    const found = await p.request('GET', '/api/v1/customers/search?q=K-batch-499', {
      role: 'agent',
    });
    expect(found.body.total).toBeGreaterThan(0);
    expect(
      (await p.request('GET', '/api/v1/touchpoints/shop/poison-1', { role: 'agent' })).status,
    ).toBe(404);

    const status = await p.request('GET', '/api/v1/ingest/status', { role: 'ingest' });
    expect(status.body).toMatchObject({ waiting: 0, active: 0, failed: 0, deadLetters: 1 });
    const letters = await p.request('GET', '/api/v1/ingest/dead-letters?size=10');
    expect(letters.status).toBe(200);
    expect(letters.body.total).toBe(1);
    expect(letters.body.items).toEqual([
      {
        source: 'shop',
        id: 'poison-1',
        type: 'order',
        reason: 'rejected_by_elasticsearch',
        detail: expect.stringMatching(/^document_parsing_exception/),
        occurredAt: '2026-03-02T10:00:00Z',
        at: expect.any(String),
      },
    ]);
    // Elasticsearch's text previews the value; none of it is kept.
    expect(JSON.stringify(letters.body)).not.toContain('xxxxxxxx');
  });

  it('sets aside, in a job queued before a rule existed, only the touchpoints that break it', async () => {
    const queue = new Queue(`${p.prefix}-ingest`, { connection: { url: serviceUrls().redisUrl } });
    try {
      await queue.add('ingest-batch', {
        touchpoints: [
          note('queued-ok'),
          note('€'.repeat(200)),
          note('queued-old', { occurredAt: '1960-01-01T00:00:00Z' }),
        ],
      });
    } finally {
      await queue.close();
    }
    await p.waitUntilIndexed(60_000);
    expect(await storedCount({ term: { id: 'queued-ok' } })).toBe(1);
    const status = await p.request('GET', '/api/v1/ingest/status');
    expect(status.body).toMatchObject({ waiting: 0, active: 0, failed: 0, deadLetters: 3 });
    const letters = await p.request('GET', '/api/v1/ingest/dead-letters?size=2');
    expect(letters.body.total).toBe(3);
    expect(letters.body.items).toHaveLength(2);
    expect(
      letters.body.items
        .map((l: { reason: string; detail: string }) => `${l.reason} ${l.detail}`)
        .sort(),
    ).toEqual(['invalid_touchpoint id (custom)', 'invalid_touchpoint occurredAt (custom)']);
  });

  it('retries a batch whose every touchpoint is refused a few times (an index fault looks like that) before setting it aside', async () => {
    const started = Date.now();
    const poison = {
      source: 'shop',
      id: 'poison-2',
      type: 'order',
      occurredAt: '2026-03-03T10:00:00Z',
      deleted: true,
      customer: { customerNumber: 'K-poison' },
      data: { channel: 'y'.repeat(40_000) },
    };
    expect(
      (await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: [poison] })).status,
    ).toBe(202);
    await p.waitUntilIndexed(60_000);
    // Three failed tries with backoff 1 s, 2 s, 4 s before the fourth sets it aside.
    expect(Date.now() - started).toBeGreaterThan(6_000);
    const status = await p.request('GET', '/api/v1/ingest/status');
    expect(status.body).toMatchObject({ waiting: 0, active: 0, failed: 0, deadLetters: 4 });
    const [newest] = (await p.request('GET', '/api/v1/ingest/dead-letters?size=1')).body.items;
    expect(newest).toMatchObject({ id: 'poison-2', reason: 'rejected_by_elasticsearch' });
  });

  it('lists dead letters to admins only', async () => {
    for (const role of ['ingest', 'agent', 'manager', 'analyst'] as const) {
      const res = await p.request('GET', '/api/v1/ingest/dead-letters', { role });
      expect(res.status, role).toBe(403);
    }
    expect((await p.request('GET', '/api/v1/ingest/dead-letters?size=0')).status).toBe(400);
    const doc = await p.request('GET', '/api/openapi.json', { role: null });
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/ingest/dead-letters');
  });
});
