/**
 * Rebuild every profile in place: `POST /api/v1/admin/profiles/rebuild`
 * and `npm run profiles:rebuild` mark every live customer dirty, and the
 * running indexer rebuilds them with the current fold, segments included.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDocument } from '../../domain/src/profile';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let es: Client;
let redis: Redis;
let annaId: string;

const root = path.resolve(import.meta.dirname, '../..');
const segmentName = 'Newsletter readers';

const customers = () => `${p.prefix}-customers`;
const dirtyCount = () => redis.zcard(`${p.prefix}:dirty-customers`);

async function profileOf(id: string): Promise<CustomerDocument> {
  const answer = await es.get<CustomerDocument>({ index: customers(), id });
  if (!answer._source) throw new Error(`no profile ${id}`);
  return answer._source;
}

/** Takes fields out of a stored profile behind the fold's back, as an older fold (or a hand edit) would have left it. */
async function damage(id: string): Promise<void> {
  const {
    consentGranted: _consentGranted,
    kpis: _kpis,
    segments: _segments,
    ...rest
  } = await profileOf(id);
  // Internal versioning continues from the stored external version + 1; a rebuild writes a far higher one (Redis' clock).
  await es.index({ index: customers(), id, document: rest, refresh: true });
  const damaged = await profileOf(id);
  expect(damaged.consentGranted).toBeUndefined();
  expect(damaged.kpis).toBeUndefined();
}

async function expectRestored(id: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const doc = await profileOf(id);
        return {
          consentGranted: doc.consentGranted,
          orders: doc.kpis?.orderCount,
          segments: doc.segments,
        };
      },
      { timeout: 30_000, interval: 200 },
    )
    .toEqual({ consentGranted: ['email', 'email:newsletter'], orders: 1, segments: [segmentName] });
}

beforeAll(async () => {
  p = await startPanorama();
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  es = createElasticsearch(elasticsearchUrl);
  redis = new Redis(redisUrl);
  const anna = { email: 'anna.rebuild@example.de', firstName: 'Anna', lastName: 'Rebuild' };
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'shop',
        id: 'RB-1',
        type: 'order',
        occurredAt: '2026-10-01T10:00:00Z',
        customer: anna,
        data: { orderNumber: 'RB-1', total: 20, currency: 'EUR' },
      },
      {
        source: 'crm',
        id: 'RB-C1',
        type: 'consent',
        occurredAt: '2026-10-01T11:00:00Z',
        customer: anna,
        data: { channel: 'email', granted: true, purpose: 'Newsletter' },
      },
      {
        source: 'shop',
        id: 'RB-2',
        type: 'order',
        occurredAt: '2026-10-01T10:00:00Z',
        customer: { email: 'bert.rebuild@example.de' },
        data: { orderNumber: 'RB-2', total: 5, currency: 'EUR' },
      },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
  annaId = (await p.request('GET', '/api/v1/customers/search?q=anna.rebuild@example.de')).body
    .items[0].id;
  const saved = await p.request('POST', '/api/v1/segments', {
    role: 'analyst',
    body: {
      name: segmentName,
      filter: { kind: 'terms', field: 'consentGranted', values: ['email:newsletter'] },
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  // The segment is evaluated for her by the rebuild its saving asked for.
  for (
    const deadline = Date.now() + 30_000;
    !(await profileOf(annaId)).segments.includes(segmentName);
  ) {
    if (Date.now() > deadline) throw new Error('the saved segment was not evaluated');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await p.waitUntilIndexed();
});

afterAll(async () => {
  redis?.disconnect();
  await es?.close();
  await p?.close();
});

describe('rebuilding every profile in place', () => {
  it('is for admins only: other roles get 403 and nothing is marked', async () => {
    for (const role of ['agent', 'manager', 'analyst', 'ingest'] as const) {
      const res = await p.request('POST', '/api/v1/admin/profiles/rebuild', { role, body: {} });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(
        (await p.request('GET', '/api/v1/admin/profiles/rebuild', { role })).status,
        role,
      ).toBe(403);
    }
    expect(
      (await p.request('POST', '/api/v1/admin/profiles/rebuild', { role: null, body: {} })).status,
    ).toBe(401);
    expect(await dirtyCount()).toBe(0);
  });

  it('refuses options it does not know with 400 and marks nothing', async () => {
    const res = await p.request('POST', '/api/v1/admin/profiles/rebuild', {
      body: { customers: ['x'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(await dirtyCount()).toBe(0);
  });

  it('through the endpoint: restores fields taken out of a stored profile and re-evaluates its saved segments; audited with counts only', async () => {
    await damage(annaId);
    const res = await p.request('POST', '/api/v1/admin/profiles/rebuild');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.marked).toBe(2);
    await expect
      .poll(async () => (await p.request('GET', '/api/v1/admin/profiles/rebuild')).body.pending, {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(0);
    await expectRestored(annaId);
    expect(
      (await p.request('GET', `/api/v1/customers/${annaId}`, { role: 'agent' })).body.consents,
    ).toEqual([
      expect.objectContaining({ channel: 'email', purpose: 'Newsletter', granted: true }),
    ]);

    await p.server.ctx.audit.flush(true);
    const audit = await p.request('GET', '/api/v1/audit?action=rebuild');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'rebuild',
      actor: p.actors.admin,
      route: '/admin/profiles/rebuild',
      status: 202,
      resultCount: 2,
      customerIds: [],
    });
    expect(JSON.stringify(audit.body)).not.toContain('anna');
  });

  it('through `npm run profiles:rebuild -- --wait`, with the environment every process honours', async () => {
    await damage(annaId);
    const { elasticsearchUrl, redisUrl } = serviceUrls();
    const { stdout } = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      ['scripts/rebuild-profiles.ts', '--wait', '--batch-size', '1'],
      {
        cwd: root,
        env: {
          ...process.env,
          ELASTICSEARCH_URL: elasticsearchUrl,
          REDIS_URL: redisUrl,
          PANORAMA_INDEX_PREFIX: p.prefix,
          PANORAMA_QUEUE_PREFIX: p.prefix,
        },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain('Marked 2 profiles for rebuild');
    expect(stdout).toMatch(/Rebuilt: 2 profiles, the dirty set is drained/);
    // --wait returned only once the dirty set was drained: the profile is whole again.
    const doc = await profileOf(annaId);
    expect(doc.consentGranted).toEqual(['email', 'email:newsletter']);
    expect(doc.kpis?.orderCount).toBe(1);
    await expectRestored(annaId);
    await p.server.ctx.audit.flush(true);
    const audit = await p.request('GET', '/api/v1/audit?action=rebuild');
    expect(audit.body.items.map((e: { actor: string }) => e.actor)).toContain(
      'system:profiles-rebuild',
    );
  });
});
