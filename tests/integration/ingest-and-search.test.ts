import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

function order(
  id: string,
  customer: Record<string, unknown>,
  data: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    source: 'shop',
    id,
    type: 'order',
    occurredAt: '2026-10-02T14:12:00Z',
    customer,
    data: { orderNumber: `A-${id}`, total: 100, currency: 'EUR', status: 'paid', ...data },
    ...extra,
  };
}

async function ingest(touchpoints: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
  return res.body;
}

async function search(q: string) {
  const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
    role: 'agent',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    total: number;
    items: { id: string; name: string; highlight: Record<string, string[]> }[];
  };
}

async function profileOf(id: string) {
  const res = await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });
  expect(res.status).toBe(200);
  return res.body;
}

describe('ingest to search', () => {
  it('when a touchpoint is ingested, the customer is found by name, email, phone in another writing and order number', async () => {
    await ingest([
      order('1001', {
        customerNumber: 'K-102934',
        email: 'Anna.Schmidt@Example.de',
        phone: '+49 170 1234567',
        firstName: 'Anna',
        lastName: 'Schmidt',
        address: { street: 'Lindenstr. 4', postalCode: '80331', city: 'München', country: 'DE' },
      }),
    ]);
    for (const q of [
      'Anna Schmidt',
      'anna.schmidt@example.de',
      '0170 1234567',
      '0049-170-1234567',
      'A-1001',
      'k102934',
      'Ana Schmitd',
      'schmidt münchen',
      'schmidt muenchen',
    ]) {
      const found = await search(q);
      expect(found.items[0]?.name, `query ${q}`).toBe('Anna Schmidt');
    }
    const byPhone = await search('0170 1234567');
    expect(Object.keys(byPhone.items[0].highlight)).toContain('phone');
  });

  it('when the same touchpoint arrives twice, it counts once', async () => {
    const tp = order(
      '2001',
      { email: 'twice@example.com', firstName: 'Tom', lastName: 'Twice' },
      { total: 50 },
    );
    await ingest([tp]);
    await ingest([tp, tp]);
    const [hit] = (await search('twice@example.com')).items;
    const profile = await profileOf(hit.id);
    expect(profile.kpis.orderCount).toBe(1);
    expect(profile.kpis.lifetimeValue).toBe(50);
  });

  it('when a lower version arrives after a higher one, it is ignored', async () => {
    const customer = { email: 'versions@example.com', lastName: 'Version' };
    await ingest([order('3001', customer, { total: 300 }, { version: 3 })]);
    await ingest([order('3001', customer, { total: 100 }, { version: 2 })]);
    const [hit] = (await search('versions@example.com')).items;
    expect((await profileOf(hit.id)).kpis.lifetimeValue).toBe(300);
    const stored = await p.request('GET', '/api/v1/touchpoints/shop/3001', { role: 'agent' });
    expect(stored.body.touchpoint.data.total).toBe(300);
  });

  it('when a touchpoint is deleted, its contribution to the profile is gone', async () => {
    const customer = { email: 'deleted@example.com', lastName: 'Deleted' };
    await ingest([order('4001', customer, { total: 10 }), order('4002', customer, { total: 20 })]);
    await ingest([{ ...order('4002', customer), deleted: true, version: undefined }]);
    const [hit] = (await search('deleted@example.com')).items;
    const profile = await profileOf(hit.id);
    expect(profile.kpis.orderCount).toBe(1);
    expect(profile.kpis.lifetimeValue).toBe(10);
    expect(
      (await p.request('GET', '/api/v1/touchpoints/shop/4002', { role: 'agent' })).status,
    ).toBe(404);
  });

  it('when touchpoints link email A, phone P and then A+P, they end as one profile and the merged id answers 308', async () => {
    await ingest([order('5001', { email: 'merge.a@example.com', lastName: 'Merge' })]);
    await ingest([order('5002', { phone: '+49 171 5550001', lastName: 'Merge' })]);
    const a = (await search('merge.a@example.com')).items[0].id;
    const b = (await search('+49 171 5550001')).items[0].id;
    expect(a).not.toBe(b);
    await ingest([
      order('5003', { email: 'merge.a@example.com', phone: '0171 5550001', lastName: 'Merge' }),
    ]);
    const afterA = (await search('merge.a@example.com')).items;
    const afterP = (await search('01715550001')).items;
    expect(afterA.length).toBe(1);
    expect(afterA[0].id).toBe(afterP[0].id);
    const survivor = afterA[0].id;
    const loser = survivor === a ? b : a;
    const redirect = await p.request('GET', `/api/v1/customers/${loser}`, { role: 'agent' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(`/api/v1/customers/${survivor}`);
    const merged = await profileOf(survivor);
    expect(merged.kpis.orderCount).toBe(3);
    expect(merged.mergedFrom).toEqual([loser]);
  });

  it('when a batch has bad items, the good ones are accepted and each bad one is listed with its path and not written', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: {
        touchpoints: [
          order('6001', { email: 'good@example.com', lastName: 'Good' }),
          { ...order('6002', { email: 'bad@example.com' }), occurredAt: 'yesterday' },
          order('6003', {}),
          { ...order('6004', { email: 'bad2@example.com' }), data: { total: 'a lot' } },
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.body.rejected[0].errors[0].path).toBe('occurredAt');
    expect(res.body.rejected[1].errors[0].path).toBe('customer');
    expect(res.body.rejected[2].errors.map((e: { path: string }) => e.path)).toContain(
      'data.total',
    );
    await p.waitUntilIndexed();
    expect(
      (await p.request('GET', '/api/v1/touchpoints/shop/6001', { role: 'agent' })).status,
    ).toBe(200);
    for (const id of ['6002', '6003', '6004']) {
      expect(
        (await p.request('GET', `/api/v1/touchpoints/shop/${id}`, { role: 'agent' })).status,
      ).toBe(404);
    }
    expect((await search('bad@example.com')).total).toBe(0);
  });

  it('when no item is valid, the answer is 400 and lists them', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [{ source: 'BAD SOURCE' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected[0].errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['source', 'id', 'type']),
    );
  });

  it('accepts NDJSON and reports a broken line by its index', async () => {
    const lines = [
      JSON.stringify(order('7001', { email: 'ndjson@example.com', lastName: 'Lines' })),
      '{not json',
    ].join('\n');
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      raw: lines,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      accepted: 1,
      rejected: [{ index: 1, errors: [{ path: '', message: 'this line is not valid JSON' }] }],
    });
  });

  it('refuses more than 5,000 touchpoints with 413', async () => {
    const many = Array.from({ length: 5_001 }, (_, i) =>
      order(`big-${i}`, { email: 'big@example.com' }),
    );
    const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: many });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('pages the timeline newest first with a cursor', async () => {
    const customer = { email: 'timeline@example.com', lastName: 'Timeline' };
    await ingest(
      Array.from({ length: 5 }, (_, i) => ({
        ...order(`8${i}`, customer),
        occurredAt: `2026-0${i + 1}-01T10:00:00Z`,
      })),
    );
    const [hit] = (await search('timeline@example.com')).items;
    const first = await p.request('GET', `/api/v1/customers/${hit.id}/timeline?size=3`, {
      role: 'agent',
    });
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual(['84', '83', '82']);
    const second = await p.request(
      'GET',
      `/api/v1/customers/${hit.id}/timeline?size=3&before=${first.body.next}`,
      { role: 'agent' },
    );
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual(['81', '80']);
    expect(second.body.next).toBeNull();
  });
});

describe('access', () => {
  it('answers 401 without a token and 403 for a role that may not use the route', async () => {
    const none = await p.request('GET', '/api/v1/customers/search?q=x', { role: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const ingestOnly = await p.request('GET', '/api/v1/customers/search?q=x', { role: 'ingest' });
    expect(ingestOnly.status).toBe(403);
    expect(ingestOnly.body.error.code).toBe('forbidden');
    const agentIngest = await p.request('POST', '/api/v1/touchpoints', { role: 'agent', body: [] });
    expect(agentIngest.status).toBe(403);
  });

  it('logs a person in and accepts the token', async () => {
    const bad = await p.request('POST', '/api/v1/auth/login', {
      role: null,
      body: { username: 'agent', password: 'wrong' },
    });
    expect(bad.status).toBe(401);
    const login = await p.request('POST', '/api/v1/auth/login', {
      role: null,
      body: { username: 'agent', password: p.passwords.agent },
    });
    expect(login.status).toBe(200);
    expect(login.body.role).toBe('agent');
    const me = await fetch(`${p.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${login.body.token}` },
    });
    expect(await me.json()).toEqual({ name: 'agent', role: 'agent' });
  });

  it('serves health, readiness, metrics and the OpenAPI document without a token', async () => {
    expect((await p.request('GET', '/healthz', { role: null })).status).toBe(200);
    expect((await p.request('GET', '/readyz', { role: null })).status).toBe(200);
    const metrics = await p.request('GET', '/metrics', { role: null });
    expect(String(metrics.body)).toContain('panorama_http_request_duration_seconds');
    const openapi = await p.request('GET', '/api/openapi.json', { role: null });
    expect(Object.keys(openapi.body.paths)).toContain('/api/v1/customers/search');
  });
});
