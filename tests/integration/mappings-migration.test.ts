import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { applyMappings } from '../../mappings/apply';
import { definitions } from '../../mappings/definitions';
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
    const results = await applyMappings({ elasticsearchUrl: serviceUrls().elasticsearchUrl, prefix: p.prefix });
    expect(new Set(results.map((r) => r.action))).toEqual(new Set(['unchanged']));
  });

  it('when a mapping version is bumped, the new index is built beside the old one, filled, and the alias swapped', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        { source: 'crm', id: 'M-1', type: 'profile', occurredAt: '2026-01-01T00:00:00Z', customer: { customerNumber: 'K-1', firstName: 'Mira', lastName: 'Migration' }, data: { segment: 'VIP' } },
        { source: 'shop', id: 'M-2', type: 'order', occurredAt: '2026-02-01T00:00:00Z', version: 7, customer: { customerNumber: 'K-1' }, data: { orderNumber: 'M-2', total: 42, currency: 'EUR' } },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();

    const bumped = definitions.map((d) => ({ ...d, definition: { ...d.definition, version: d.definition.version + 1 } }));
    const results = await applyMappings({ elasticsearchUrl: serviceUrls().elasticsearchUrl, prefix: p.prefix }, bumped);
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
    const profile = await p.request('GET', `/api/v1/customers/${found.body.items[0].id}`, { role: 'agent' });
    expect(profile.body.segment).toBe('VIP');
    expect(profile.body.kpis.lifetimeValue).toBe(42);
    // External versions survive the copy: a stale resend is still refused.
    await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [{ source: 'shop', id: 'M-2', type: 'order', occurredAt: '2026-02-01T00:00:00Z', version: 6, customer: { customerNumber: 'K-1' }, data: { orderNumber: 'M-2', total: 1, currency: 'EUR' } }],
    });
    await p.waitUntilIndexed();
    const after = await p.request('GET', `/api/v1/customers/${found.body.items[0].id}`, { role: 'agent' });
    expect(after.body.kpis.lifetimeValue).toBe(42);
  });
});
