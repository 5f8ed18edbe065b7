/**
 * Customers and touchpoints on three primary shards: everything whose answer
 * could depend on how documents are spread over shards (ranking, facet and
 * segment counts, exports, erasure, snapshots) answers as on one, and
 * `applyMappings` changes replicas in place and shards by migration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { estypes } from '@elastic/elasticsearch';
import { takeSnapshot } from '../../indexers/src/snapshots/take-snapshot';
import type { IndexLayout } from '../../infra/src/index-layout';
import { applyMappings } from '../../mappings/apply';
import { facetFields } from '../../server/src/customers/search-query';
import { startPanorama, type TestPanorama } from '../support/panorama';

const layout: IndexLayout = { replicas: 'auto', shards: { customers: 3, touchpoints: 3 } };
const cities = ['Leipzig', 'Köln', 'Bremen', 'Kiel', 'Passau', 'Erfurt', 'Jena'];
const segments = ['VIP', 'Standard', 'Neu'];
const firstNames = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Hanna', 'Jonas', 'Lena'];
const lastNames = ['Müller', 'Schmidt', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann'];
const CROWD = 90;

let p: TestPanorama;

function settingsOf(answer: estypes.IndicesGetSettingsResponse): estypes.IndicesIndexSettings {
  return Object.values(answer)[0]?.settings?.index ?? {};
}

async function currentIndex(alias: string): Promise<string> {
  return Object.keys(await p.server.ctx.es.indices.getAlias({ name: alias }))[0];
}

async function countOf(index: string, query?: estypes.QueryDslQueryContainer): Promise<number> {
  await p.server.ctx.es.indices.refresh({ index });
  return (await p.server.ctx.es.count({ index, query })).count;
}

beforeAll(async () => {
  p = await startPanorama({ layout });
  const crowd = Array.from({ length: CROWD }, (_, i) => ({
    source: 'crm',
    id: `C-${i}`,
    type: 'profile',
    occurredAt: '2026-10-01T09:00:00Z',
    customer: {
      customerNumber: `K-${100_000 + i}`,
      email: `kunde${i}@example.org`,
      firstName: firstNames[i % firstNames.length],
      lastName: lastNames[(i * 5) % lastNames.length],
      address: { city: cities[(i * 3) % cities.length] },
    },
    data: { segment: segments[i % segments.length] },
  }));
  const orders = Array.from({ length: CROWD }, (_, i) => ({
    source: 'shop',
    id: `O-${i}`,
    type: 'order',
    occurredAt: '2026-10-03T09:00:00Z',
    customer: { customerNumber: `K-${100_000 + i}` },
    data: { orderNumber: `O-${i}`, total: 10 + i, currency: 'EUR' },
  }));
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      ...crowd,
      ...orders,
      {
        source: 'crm',
        id: 'G-1',
        type: 'profile',
        occurredAt: '2026-10-01T09:00:00Z',
        customer: {
          customerNumber: 'K-900003',
          email: 'greta.schroeder@example.de',
          phone: '0221 5550123',
          firstName: 'Greta',
          lastName: 'Schröder',
          address: { city: 'Köln' },
        },
        data: { segment: 'VIP' },
      },
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
});
afterAll(async () => {
  await p?.close();
});

describe('with customers and touchpoints on three shards', () => {
  it('both indices are created with three primary shards and auto-expanding replicas', async () => {
    const { es, names } = p.server.ctx;
    for (const alias of [names.customers, names.touchpoints]) {
      const index = await currentIndex(alias);
      expect(index).toMatch(/-v\d+-s3$/);
      const settings = settingsOf(await es.indices.getSettings({ index }));
      expect(settings.number_of_shards).toBe('3');
      expect(settings.auto_expand_replicas).toBe('0-1');
    }
    const identities = settingsOf(
      await es.indices.getSettings({ index: await currentIndex(names.identities) }),
    );
    expect(identities.number_of_shards).toBe('1');
    expect(identities.auto_expand_replicas).toBe('0-1');
  });

  it('an agent finds the right customer first by name with a typo, phone fragment and email', async () => {
    const greta = (await p.request('GET', '/api/v1/customers/search?q=K-900003', { role: 'agent' }))
      .body.items[0].id as string;
    for (const q of [
      'Greta Schröder',
      'Greta Schröter',
      'Schroeder',
      '5550123',
      'greta.schroeder@example.de',
    ]) {
      const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
        role: 'agent',
      });
      expect(res.status, q).toBe(200);
      expect(res.body.items[0]?.id, q).toBe(greta);
    }
    // Namesakes: the crowd's "Anna Müller"s all score alike, whichever shard holds them.
    const annas = await p.request('GET', '/api/v1/customers/search?q=Anna%20M%C3%BCller', {
      role: 'agent',
    });
    const scores = (annas.body.items as { score: number; name: string }[])
      .filter((item) => item.name === 'Anna Müller')
      .map((item) => item.score);
    expect(scores.length).toBeGreaterThan(1);
    expect(Math.max(...scores) - Math.min(...scores)).toBeLessThan(1e-3);
  });

  it('facet counts are the exact counts', async () => {
    const res = await p.request('GET', '/api/v1/customers/search?q=&size=1', { role: 'admin' });
    expect(res.status).toBe(200);
    const facets = res.body.facets as Record<string, { value: string; count: number }[]>;
    const customers = p.server.ctx.names.customers;
    expect(facets.city.length).toBe(cities.length);
    for (const [name, field] of Object.entries(facetFields))
      for (const bucket of facets[name] ?? [])
        expect(bucket.count, `${name}=${bucket.value}`).toBe(
          await countOf(customers, { term: { [field]: bucket.value } }),
        );
  });

  it('an analytics terms aggregation counts each bucket exactly', async () => {
    const res = await p.request('POST', '/api/v1/analytics/query', {
      role: 'analyst',
      body: { aggs: { byCity: { type: 'terms', field: 'address.city', size: 3 } } },
    });
    expect(res.status).toBe(200);
    const buckets = res.body.aggs.byCity.buckets as { key: string; count: number }[];
    expect(buckets).toHaveLength(3);
    const customers = p.server.ctx.names.customers;
    for (const bucket of buckets)
      expect(bucket.count, bucket.key).toBe(
        await countOf(customers, { term: { 'address.city': bucket.key } }),
      );
  });

  it("a segment's member count is the exact number of its members", async () => {
    const created = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: 'Kiel', filter: { kind: 'terms', field: 'address.city', values: ['Kiel'] } },
    });
    expect(created.status).toBe(201);
    await p.waitUntilIndexed();
    const exact = await countOf(p.server.ctx.names.customers, {
      term: { 'address.city': 'Kiel' },
    });
    expect(exact).toBeGreaterThan(3);
    const listed = await p.request('GET', '/api/v1/segments', { role: 'analyst' });
    const kiel = (listed.body.items as { name: string; members: number }[]).find(
      (s) => s.name === 'Kiel',
    );
    expect(kiel?.members).toBe(exact);
  });

  it('the CSV export lists every customer once', async () => {
    const res = await p.request('POST', '/api/v1/exports/customers', {
      role: 'admin',
      body: { columns: ['id', 'name'] },
    });
    expect(res.status).toBe(200);
    const ids = String(res.body)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(',')[0]);
    expect(ids.length).toBe(CROWD + 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await countOf(p.server.ctx.names.customers));
  });

  it('the daily snapshot holds every customer, with the replicas of the installation', async () => {
    const snapshot = await takeSnapshot(p.indexers[0].ctx);
    expect(snapshot.customers).toBe(await countOf(p.server.ctx.names.customers));
    const settings = settingsOf(
      await p.server.ctx.es.indices.getSettings({ index: snapshot.index }),
    );
    expect(settings.auto_expand_replicas).toBe('0-1');
    expect(await countOf(snapshot.index)).toBe(snapshot.customers);
  });

  it('erasure removes the customer and every touchpoint, on whichever shard', async () => {
    const { names } = p.server.ctx;
    const found = await p.request('GET', '/api/v1/customers/search?q=K-100007', { role: 'admin' });
    const id = found.body.items[0].id as string;
    expect(await countOf(names.touchpoints, { term: { customerId: id } })).toBe(2);
    const erased = await p.request('DELETE', `/api/v1/customers/${id}`, { role: 'admin' });
    expect(erased.status).toBe(200);
    expect(await countOf(names.touchpoints, { term: { customerId: id } })).toBe(0);
    expect(await countOf(names.touchpoints, { term: { key: 'shop:O-7' } })).toBe(0);
    expect(await countOf(names.customers, { term: { id } })).toBe(0);
    const again = await p.request('GET', '/api/v1/customers/search?q=kunde7%40example.org', {
      role: 'admin',
    });
    expect(again.body.total).toBe(0);
  });

  it('another replica count is set in place; another shard count migrates with every document', async () => {
    const { es, names } = p.server.ctx;
    const customersBefore = await countOf(names.customers);
    const touchpointsBefore = await countOf(names.touchpoints);
    const lines: string[] = [];
    const fixed = await applyMappings({
      es,
      prefix: p.prefix,
      layout: { ...layout, replicas: 0 },
      log: (line) => lines.push(line),
    });
    expect(new Set(fixed.map((r) => r.action))).toEqual(new Set(['replicas']));
    expect(lines.some((line) => line.includes('→ 0 replicas'))).toBe(true);
    const customersIndex = await currentIndex(names.customers);
    const fixedSettings = settingsOf(await es.indices.getSettings({ index: customersIndex }));
    expect(fixedSettings.auto_expand_replicas).toBeUndefined();
    expect(fixedSettings.number_of_replicas).toBe('0');

    const twoShards = await applyMappings({
      es,
      prefix: p.prefix,
      layout: { replicas: 0, shards: { customers: 2, touchpoints: 1 } },
    });
    const byAlias = Object.fromEntries(twoShards.map((r) => [r.alias, r]));
    expect(byAlias[names.customers]).toMatchObject({ action: 'migrated', from: customersIndex });
    expect(byAlias[names.customers].index).toMatch(/-v\d+-s2$/);
    // Back to one shard: the name of before, built anew.
    expect(byAlias[names.touchpoints].action).toBe('migrated');
    expect(byAlias[names.touchpoints].index).toMatch(/-v\d+$/);
    expect(byAlias[names.identities].action).toBe('unchanged');
    for (const alias of [names.customers, names.touchpoints]) {
      const index = await currentIndex(alias);
      expect(index).toBe(byAlias[alias].index);
      expect(await es.indices.exists({ index: byAlias[alias].from! })).toBe(false);
    }
    expect(
      settingsOf(await es.indices.getSettings({ index: await currentIndex(names.customers) }))
        .number_of_shards,
    ).toBe('2');
    expect(await countOf(names.customers)).toBe(customersBefore);
    expect(await countOf(names.touchpoints)).toBe(touchpointsBefore);

    const again = await applyMappings({
      es,
      prefix: p.prefix,
      layout: { replicas: 0, shards: { customers: 2, touchpoints: 1 } },
    });
    expect(new Set(again.map((r) => r.action))).toEqual(new Set(['unchanged']));
    const search = await p.request('GET', '/api/v1/customers/search?q=Greta%20Schr%C3%B6der', {
      role: 'agent',
    });
    expect(search.body.items[0]?.name).toBe('Greta Schröder');
  });
});
