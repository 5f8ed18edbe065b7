import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { applyMappings } from '../../mappings/apply';
import { definitions } from '../../mappings/definitions';
import { loadIdentityRules } from '../../store/src/identity/identity-rules';
import { recomputeRollupDay } from '../../store/src/rollups/recompute-rollups';
import { dayOf } from '../../domain/src/analytics/touchpoint-rollups';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

describe('mappings:apply', () => {
  it('when applied again, nothing changes', async () => {
    const results = await applyMappings({
      elasticsearchUrl: serviceUrls().elasticsearchUrl,
      prefix: p.prefix,
    });
    expect(new Set(results.map((r) => r.action))).toEqual(new Set(['unchanged']));
  });

  it('when a mapping version is bumped, the new index is built beside the old one, filled, and the alias swapped', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'crm',
          id: 'M-1',
          type: 'profile',
          occurredAt: '2026-01-01T00:00:00Z',
          customer: { customerNumber: 'K-1', firstName: 'Mira', lastName: 'Migration' },
          data: { segment: 'VIP' },
        },
        {
          source: 'shop',
          id: 'M-2',
          type: 'order',
          occurredAt: '2026-02-01T00:00:00Z',
          version: 7,
          customer: { customerNumber: 'K-1' },
          data: { orderNumber: 'M-2', total: 42, currency: 'EUR' },
        },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();

    const bumped = definitions.map((d) => ({
      ...d,
      definition: { ...d.definition, version: d.definition.version + 1 },
    }));
    const results = await applyMappings(
      { elasticsearchUrl: serviceUrls().elasticsearchUrl, prefix: p.prefix },
      bumped,
    );
    expect(new Set(results.map((r) => r.action))).toEqual(new Set(['migrated']));

    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    for (const name of ['customers', 'identities', 'touchpoints'] as const) {
      const aliases = await es.indices.getAlias({ name: `${p.prefix}-${name}` });
      const version = definitions.find((d) => d.name === name)!.definition.version + 1;
      expect(Object.keys(aliases)).toEqual([`${p.prefix}-${name}-v${version}`]);
    }
    await es.close();

    const found = await p.request('GET', '/api/v1/customers/search?q=K-1', { role: 'agent' });
    expect(found.body.total).toBe(1);
    const profile = await p.request('GET', `/api/v1/customers/${found.body.items[0].id}`, {
      role: 'agent',
    });
    expect(profile.body.segment).toBe('VIP');
    expect(profile.body.kpis.lifetimeValue).toBe(42);
    // External versions survive the copy: a stale resend is still refused.
    await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'shop',
          id: 'M-2',
          type: 'order',
          occurredAt: '2026-02-01T00:00:00Z',
          version: 6,
          customer: { customerNumber: 'K-1' },
          data: { orderNumber: 'M-2', total: 1, currency: 'EUR' },
        },
      ],
    });
    await p.waitUntilIndexed();
    const after = await p.request('GET', `/api/v1/customers/${found.body.items[0].id}`, {
      role: 'agent',
    });
    expect(after.body.kpis.lifetimeValue).toBe(42);
  });

  it('when touchpoints migrate, the fields derived from each record are computed again and the rollups count them', async () => {
    // Rollups are recomputed here, not by the indexer's loop in between.
    await p.indexers[0].rollups.close();
    const occurredAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'shop',
          id: 'M-3',
          type: 'order',
          occurredAt,
          version: 1,
          customer: { customerNumber: 'K-3' },
          data: { orderNumber: 'M-3', total: 77, currency: 'EUR', channel: 'phone' },
        },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    // As an older indexer stored it: without the facts (and channel) that today's code derives.
    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    const names = p.server.ctx.names;
    const stored = await es.get<Record<string, unknown>>({
      index: names.touchpoints,
      id: 'shop:M-3',
    });
    await es.index({
      index: names.touchpoints,
      id: 'shop:M-3',
      version: 1,
      version_type: 'external_gte',
      document: { ...stored._source, facts: {}, channel: null },
      refresh: true,
    });
    await recomputeRollupDay({ es, names }, dayOf(occurredAt));
    const phoneOrders = async () => {
      await es.indices.refresh({ index: names.touchpointRollups });
      const answer = await es.search<{ count: number; facts: { amount?: number } }>({
        index: names.touchpointRollups,
        query: {
          bool: {
            filter: [
              { term: { granularity: 'day' } },
              { term: { type: 'order' } },
              { term: { 'facts.salesChannel': 'phone' } },
            ],
          },
        },
      });
      return answer.hits.hits.map((h) => h._source!);
    };
    expect(await phoneOrders()).toEqual([]);

    // The earlier test moved every index one version up; now only the touchpoints move.
    const defs = definitions.map((d) => ({
      ...d,
      definition: {
        ...d.definition,
        version: d.definition.version + (d.name === 'touchpoints' ? 10 : 1),
      },
    }));
    const results = await applyMappings(
      { elasticsearchUrl: serviceUrls().elasticsearchUrl, prefix: p.prefix },
      defs,
    );
    expect(results.filter((r) => r.action === 'migrated').map((r) => r.alias)).toEqual([
      names.touchpoints,
    ]);

    const copied = await es.get<{
      facts: Record<string, unknown>;
      channel: string | null;
      version?: number;
    }>({ index: names.touchpoints, id: 'shop:M-3' });
    expect(copied._source?.facts).toMatchObject({
      amount: 77,
      currency: 'EUR',
      salesChannel: 'phone',
    });
    expect(copied._source?.channel).toBe('phone');
    expect(await phoneOrders()).toEqual([
      expect.objectContaining({ count: 1, facts: expect.objectContaining({ amount: 77 }) }),
    ]);
    await es.close();
  });

  it('when identities migrate, a "not the same person" mark stored with only its first id gets both', async () => {
    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    const names = p.server.ctx.names;
    // As marks were written before both ids were stored; and one as they are written now.
    await es.index({
      index: names.identities,
      id: 'notsame:c-old-a|c-old-b',
      document: {
        key: 'notsame:c-old-a|c-old-b',
        kind: 'notsame',
        customerId: 'c-old-a',
        createdAt: '2026-11-01T00:00:00Z',
      },
    });
    await es.index({
      index: names.identities,
      id: 'notsame:c-new-a|c-new-b',
      document: {
        key: 'notsame:c-new-a|c-new-b',
        kind: 'notsame',
        customerId: ['c-new-a', 'c-new-b'],
        createdAt: '2026-11-20T00:00:00Z',
      },
      refresh: true,
    });
    const byCustomer = async (id: string) =>
      (
        await es.search({
          index: names.identities,
          query: {
            bool: { filter: [{ term: { kind: 'notsame' } }, { term: { customerId: id } }] },
          },
        })
      ).hits.hits.map((h) => h._id);
    expect(await byCustomer('c-old-b')).toEqual([]);

    // Touchpoints were moved 10 versions up by the test before; now the identities move too.
    const defs = definitions.map((d) => ({
      ...d,
      definition: {
        ...d.definition,
        version:
          d.definition.version + (d.name === 'touchpoints' || d.name === 'identities' ? 10 : 1),
      },
    }));
    const results = await applyMappings(
      { elasticsearchUrl: serviceUrls().elasticsearchUrl, prefix: p.prefix },
      defs,
    );
    expect(results.filter((r) => r.action === 'migrated').map((r) => r.alias)).toEqual([
      names.identities,
    ]);

    await es.indices.refresh({ index: names.identities });
    // Either side finds the old mark now (a split of either, an erasure of either).
    expect(await byCustomer('c-old-b')).toEqual(['notsame:c-old-a|c-old-b']);
    expect(
      (
        await es.get<{ customerId: string[] }>({
          index: names.identities,
          id: 'notsame:c-old-a|c-old-b',
        })
      )._source?.customerId,
    ).toEqual(['c-old-a', 'c-old-b']);
    expect(
      (
        await es.get<{ customerId: string[] }>({
          index: names.identities,
          id: 'notsame:c-new-a|c-new-b',
        })
      )._source?.customerId,
    ).toEqual(['c-new-a', 'c-new-b']);
    await es.close();
  });
  it("a migrated profile is folded with the indexers' identity rules: their source priority still decides the name", async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'crm',
          id: 'P-1',
          type: 'profile',
          occurredAt: '2026-01-01T00:00:00Z',
          customer: { customerNumber: 'K-77', firstName: 'Anna', lastName: 'Priorität' },
          data: {},
        },
        {
          source: 'shop',
          id: 'P-2',
          type: 'profile',
          occurredAt: '2026-03-01T00:00:00Z',
          customer: { customerNumber: 'K-77', firstName: 'Anne', lastName: 'Priorität' },
          data: {},
        },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    const firstName = async () => {
      const found = await p.request('GET', '/api/v1/customers/search?q=K-77', { role: 'admin' });
      expect(found.body.total).toBe(1);
      const profile = await p.request('GET', `/api/v1/customers/${found.body.items[0].id}`, {
        role: 'admin',
      });
      return profile.body.firstName as string | undefined;
    };
    // config/identity-rules.json puts crm before shop: the older CRM name wins over the newer shop one.
    expect(await firstName()).toBe('Anna');

    const current = definitions.find((d) => d.name === 'customers')!.definition.version;
    const live = await createElasticsearch(serviceUrls().elasticsearchUrl).indices.getAlias({
      name: `${p.prefix}-customers`,
    });
    const liveVersion = Number(/-v(\d+)/.exec(Object.keys(live)[0])![1]);
    expect(liveVersion).toBeGreaterThanOrEqual(current);
    const bumped = definitions
      .filter((d) => d.name === 'customers')
      .map((d) => ({ ...d, definition: { ...d.definition, version: liveVersion + 1 } }));
    const [applied] = await applyMappings(
      {
        elasticsearchUrl: serviceUrls().elasticsearchUrl,
        prefix: p.prefix,
        identityRules: loadIdentityRules(),
      },
      bumped,
    );
    expect(applied.action).toBe('migrated');
    expect(await firstName()).toBe('Anna');
  });
});
