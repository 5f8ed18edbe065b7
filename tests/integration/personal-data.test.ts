/**
 * Audit trail, export and erasure on the real Elasticsearch and Redis.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama({ server: { privacy: { suppressErased: true } } });
});
afterAll(async () => {
  await p?.close();
});

function tp(
  id: string,
  type: string,
  customer: Record<string, unknown>,
  data: Record<string, unknown>,
  occurredAt = '2026-10-02T14:12:00Z',
) {
  return { source: 'shop', id, type, occurredAt, customer, data };
}
const order = (id: string, customer: Record<string, unknown>) =>
  tp(id, 'order', customer, {
    orderNumber: `ON-${id}`,
    total: 42,
    currency: 'EUR',
    status: 'paid',
  });

async function ingest(touchpoints: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

async function findId(q: string): Promise<string> {
  const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
    role: 'admin',
  });
  expect(res.body.items.length, `search ${q}`).toBeGreaterThan(0);
  return res.body.items[0].id as string;
}

async function auditFor(customerId: string) {
  await p.server.ctx.audit.flush(true);
  const res = await p.request('GET', `/api/v1/audit?customerId=${customerId}&size=200`, {
    role: 'admin',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    total: number;
    items: {
      action: string;
      actor: string;
      role: string;
      ip: string;
      at: string;
      customerIds: string[];
    }[];
  };
}

describe('audit trail', () => {
  it('records who searched and viewed which customer, when and from where, without the query or personal data', async () => {
    await ingest([
      order('A1', {
        email: 'audit.person@example.com',
        phone: '+49 160 4445556',
        firstName: 'Aude',
        lastName: 'Itor',
      }),
    ]);
    const id = await findId('audit.person@example.com');
    expect(
      (
        await p.request(
          'GET',
          `/api/v1/customers/search?q=${encodeURIComponent('+49 160 4445556')}`,
          { role: 'agent' },
        )
      ).status,
    ).toBe(200);
    expect((await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).status).toBe(200);
    expect(
      (await p.request('GET', `/api/v1/customers/${id}/timeline`, { role: 'manager' })).status,
    ).toBe(200);
    const audit = await auditFor(id);
    const byAction = (action: string) => audit.items.filter((e) => e.action === action);
    expect(byAction('view').map((e) => e.actor)).toContain(p.actors.agent);
    expect(byAction('search').map((e) => e.actor)).toEqual(
      expect.arrayContaining([p.actors.agent, p.actors.admin]),
    );
    expect(byAction('timeline')[0]).toMatchObject({ actor: p.actors.manager, role: 'manager' });
    expect(byAction('view')[0].ip).toMatch(/127\.0\.0\.1/);
    expect(Date.now() - Date.parse(byAction('view')[0].at)).toBeLessThan(60_000);
    const text = JSON.stringify(audit);
    for (const secret of ['audit.person', '4445556', 'Aude', 'Itor'])
      expect(text).not.toContain(secret);
  });

  it('shows on the profile who looked at the customer recently', async () => {
    const id = await findId('audit.person@example.com');
    await p.request('GET', `/api/v1/customers/${id}`, { role: 'analyst' });
    await p.server.ctx.audit.flush(true);
    const res = await p.request('GET', `/api/v1/customers/${id}/viewers`, { role: 'agent' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((v: { actor: string }) => v.actor)).toEqual(
      expect.arrayContaining([p.actors.agent, p.actors.analyst]),
    );
    expect(res.body.items[0].actor).toBe(p.actors.analyst);
  });

  it('records merges of customers by the indexer, with ids only', async () => {
    await ingest([
      order('G1', { email: 'merge.audit@example.com', firstName: 'Mia', lastName: 'Merger' }),
    ]);
    await ingest([order('G2', { phone: '+49 151 7778889', firstName: 'Mia', lastName: 'Merger' })]);
    await ingest([
      order('G3', {
        email: 'merge.audit@example.com',
        phone: '+49 151 7778889',
        firstName: 'Mia',
        lastName: 'Merger',
      }),
    ]);
    const id = await findId('merge.audit@example.com');
    const merges = (await auditFor(id)).items.filter((e) => e.action === 'merge');
    expect(merges.length).toBe(1);
    expect(merges[0]).toMatchObject({ actor: 'system:indexer', role: 'system' });
    expect(merges[0].customerIds).toContain(id);
    expect(JSON.stringify(merges)).not.toContain('merge.audit');
  });

  it('records a manual merge by an admin with who did it and the two customer ids', async () => {
    await ingest([
      order('H1', { email: 'hand.one@example.com', lastName: 'Hand' }),
      order('H2', { email: 'hand.two@example.com', lastName: 'Other' }),
    ]);
    const a = await findId('hand.one@example.com');
    const b = await findId('hand.two@example.com');
    const merged = await p.request('POST', '/api/v1/identity/merge', { body: { a, b } });
    expect(merged.status, JSON.stringify(merged.body)).toBeLessThan(300);
    await p.server.ctx.audit.flush(true);
    const res = await p.request(
      'GET',
      `/api/v1/audit?action=merge&actor=${encodeURIComponent(p.actors.admin)}`,
    );
    expect(res.body.total).toBe(1);
    expect(res.body.items[0].customerIds.sort()).toEqual([a, b].sort());
    expect(res.body.items[0].route).toBe('/identity/merge');
  });

  it('lets only admins search the audit log and rejects bad filters with details', async () => {
    expect((await p.request('GET', '/api/v1/audit', { role: 'manager' })).status).toBe(403);
    const bad = await p.request('GET', '/api/v1/audit?action=peek&size=0&from=yesterday', {
      role: 'admin',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path.split('.')[0])).toEqual(
      expect.arrayContaining(['action', 'size', 'from']),
    );
    const byActor = await p.request(
      'GET',
      `/api/v1/audit?actor=${encodeURIComponent(p.actors.manager)}&action=timeline`,
      { role: 'admin' },
    );
    expect(byActor.body.total).toBeGreaterThan(0);
    expect(byActor.body.items.every((e: { actor: string }) => e.actor === p.actors.manager)).toBe(
      true,
    );
  });
});

describe('export', () => {
  it('gives an admin everything stored about the customer: profile, touchpoints, identity links and audit entries', async () => {
    await ingest([
      order('X1', { email: 'export.me@example.com', firstName: 'Ex', lastName: 'Porter' }),
      tp(
        'X2',
        'ticket',
        { email: 'export.me@example.com', phone: '0171 2223334' },
        { ticketNumber: 'T-X2', subject: 'Where is it', status: 'open' },
      ),
    ]);
    const id = await findId('export.me@example.com');
    await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });
    await p.server.ctx.audit.flush(true);
    const res = await p.request('GET', `/api/v1/customers/${id}/export`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`customer-${id}.json`);
    expect(res.body.profile.id).toBe(id);
    expect(res.body.profile.search).toBeUndefined();
    expect(res.body.touchpoints.map((t: { id: string }) => t.id).sort()).toEqual(['X1', 'X2']);
    expect(res.body.identityLinks.map((l: { key: string }) => l.key)).toEqual(
      expect.arrayContaining(['email:export.me@example.com', 'phone:+491712223334']),
    );
    expect(
      res.body.auditEntries.some(
        (e: { action: string; actor: string }) => e.action === 'view' && e.actor === p.actors.agent,
      ),
    ).toBe(true);
    for (const role of ['agent', 'manager', 'analyst', 'ingest'] as const) {
      expect(
        (await p.request('GET', `/api/v1/customers/${id}/export`, { role })).status,
        role,
      ).toBe(403);
    }
    expect(
      (await p.request('GET', '/api/v1/customers/nobody123/export', { role: 'admin' })).status,
    ).toBe(404);
    const audit = await auditFor(id);
    expect(audit.items.some((e) => e.action === 'export' && e.actor === p.actors.admin)).toBe(true);
  });
});

describe('erasure', () => {
  const person = {
    email: 'erase.me@example.com',
    phone: '+49 170 9988776',
    customerNumber: 'K-ERASE-1',
    firstName: 'Eraldine',
    lastName: 'Vanishing',
    address: { street: 'Goneweg 9', postalCode: '10115', city: 'Berlin', country: 'DE' },
  };
  const identifiers = [
    'erase.me@example.com',
    '9988776',
    'KERASE1',
    'K-ERASE-1',
    'Eraldine',
    'Vanishing',
    'Goneweg',
  ];

  it('removes profile, touchpoints, identity links, merged ids, queued work and dirty entries; every index and the queue are searched and nothing is found', async () => {
    // Two customers first (email only, phone only), then one touchpoint links them: a merged id.
    await ingest([
      order('E1', { email: person.email, firstName: person.firstName, lastName: person.lastName }),
    ]);
    await ingest([
      order('E2', { phone: person.phone, firstName: person.firstName, lastName: person.lastName }),
    ]);
    await ingest([
      tp('E3', 'ticket', person, {
        ticketNumber: 'T-E3',
        subject: 'Bitte löschen',
        status: 'open',
      }),
    ]);
    await ingest([order('K1', { email: 'keep.me@example.com', lastName: 'Keeper' })]);
    const id = await findId(person.email);
    // A daily snapshot holds the customer too.
    const snapshot = await p.request('POST', '/api/v1/snapshots', {
      role: 'analyst',
      body: { waitMs: 20_000 },
    });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
    // Work in flight: a job that carries the person next to someone else, held in the queue.
    await p.server.ctx.ingestQueue.pause();
    const queued = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        order('E4', { customerNumber: person.customerNumber }),
        order('K2', { email: 'keep.me@example.com', lastName: 'Keeper' }),
      ],
    });
    expect(queued.status).toBe(202);
    await p.server.ctx.redis.zadd(`${p.prefix}:dirty-customers`, Date.now() + 3_600_000, id);

    const res = await p.request('DELETE', `/api/v1/customers/${id}`, { role: 'admin' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.erased).toBe(true);
    expect(res.body.customerIds.length).toBe(2);
    expect(res.body.queuedTouchpointsRemoved).toBe(1);
    await p.server.ctx.ingestQueue.resume();
    await p.waitUntilIndexed();

    expect((await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).status).toBe(404);
    for (const other of res.body.customerIds as string[]) {
      expect((await p.request('GET', `/api/v1/customers/${other}`, { role: 'agent' })).status).toBe(
        404,
      );
    }
    for (const q of [person.email, '0170 9988776', person.customerNumber, 'Eraldine Vanishing']) {
      const found = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
        role: 'admin',
      });
      expect(found.body.total, q).toBe(0);
    }
    for (const key of ['E1', 'E2', 'E3', 'E4'])
      expect(
        (await p.request('GET', `/api/v1/touchpoints/shop/${key}`, { role: 'agent' })).status,
      ).toBe(404);
    // The other person of the trimmed job was still indexed.
    expect((await p.request('GET', '/api/v1/touchpoints/shop/K2', { role: 'agent' })).status).toBe(
      200,
    );

    // Every index of this installation, every document:
    const { elasticsearchUrl, redisUrl } = serviceUrls();
    const es = createElasticsearch(elasticsearchUrl);
    await p.server.ctx.audit.flush();
    await es.indices.refresh({ index: `${p.prefix}-*` });
    const all = await es.search({ index: `${p.prefix}-*`, size: 10_000, query: { match_all: {} } });
    await es.close();
    const everything = JSON.stringify(all.hits.hits.map((h) => h._source));
    expect(all.hits.hits.length).toBeGreaterThan(0);
    for (const value of identifiers) expect(everything, value).not.toContain(value);
    expect(everything).not.toContain('+491709988776');
    // No document anywhere (snapshots included) names the erased customer ids, except the audit log's id-only
    // entries and identity actions rewritten to ids and counts (matching merges the person's records on its own).
    const erasedAction = (source: unknown) => {
      const action = source as {
        kind?: string;
        erasedAt?: string;
        touchpoints?: unknown[];
        identifier?: unknown;
        explanation?: { fields: { a: unknown; b: unknown }[] };
      };
      return (
        action.kind === 'action' &&
        !!action.erasedAt &&
        action.touchpoints?.length === 0 &&
        action.identifier === null &&
        (action.explanation?.fields ?? []).every((f) => f.a === null && f.b === null)
      );
    };
    const naming = all.hits.hits.filter(
      (h) =>
        !h._index.includes('-audit-') &&
        !erasedAction(h._source) &&
        (res.body.customerIds as string[]).some(
          (cid) => JSON.stringify(h._source).includes(cid) || h._id === cid,
        ),
    );
    expect(naming.map((h) => h._index)).toEqual([]);
    // The queue (every job state) and the dirty set:
    const queue = new Queue(`${p.prefix}-ingest`, { connection: { url: redisUrl } });
    const jobs = await queue.getJobs([
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'failed',
      'completed',
      'waiting-children',
    ]);
    await queue.close();
    const queueText = JSON.stringify(jobs.map((j) => j?.data));
    for (const value of identifiers) expect(queueText, value).not.toContain(value);
    const redis = new Redis(redisUrl);
    const dirty = await redis.zrange(`${p.prefix}:dirty-customers`, '0', '-1');
    redis.disconnect();
    for (const other of res.body.customerIds as string[]) expect(dirty).not.toContain(other);
  });

  it('is recorded in the audit log with ids and counts only', async () => {
    await p.server.ctx.audit.flush(true);
    const res = await p.request('GET', '/api/v1/audit?action=erase', { role: 'admin' });
    expect(res.body.total).toBe(1);
    const entry = res.body.items[0];
    expect(entry).toMatchObject({ action: 'erase', actor: p.actors.admin, status: 200 });
    expect(entry.customerIds.length).toBe(2);
    const text = JSON.stringify(entry);
    for (const value of identifiers) expect(text).not.toContain(value);
  });

  it('keeps an erased person erased when a source system replays its records (suppression list of hashed identifiers)', async () => {
    await ingest([
      tp('E3', 'ticket', person, {
        ticketNumber: 'T-E3',
        subject: 'Bitte löschen',
        status: 'open',
      }),
      order('E5', { email: person.email }),
    ]);
    const found = await p.request(
      'GET',
      `/api/v1/customers/search?q=${encodeURIComponent(person.email)}`,
      { role: 'admin' },
    );
    expect(found.body.total).toBe(0);
    expect((await p.request('GET', '/api/v1/touchpoints/shop/E3', { role: 'agent' })).status).toBe(
      404,
    );
    // Someone else is indexed as usual.
    await ingest([order('K3', { email: 'new.person@example.com' })]);
    expect((await p.request('GET', '/api/v1/touchpoints/shop/K3', { role: 'agent' })).status).toBe(
      200,
    );
  });

  it('answers 403 to every role but admin and 404 for an unknown id, changing nothing', async () => {
    const id = await findId('keep.me@example.com');
    for (const role of ['agent', 'manager', 'analyst', 'ingest'] as const) {
      expect((await p.request('DELETE', `/api/v1/customers/${id}`, { role })).status, role).toBe(
        403,
      );
    }
    expect(
      (await p.request('DELETE', '/api/v1/customers/nobody123', { role: 'admin' })).status,
    ).toBe(404);
    expect(
      (await p.request('DELETE', '/api/v1/customers/bad%20id!', { role: 'admin' })).status,
    ).toBe(404);
    expect((await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).status).toBe(200);
  });
});
