/**
 * The audit trail loses no acknowledged entry: not when the API process dies
 * before (or while) writing to Elasticsearch, not while Elasticsearch refuses
 * writes, and it refuses to acknowledge when Redis is gone. Real
 * Elasticsearch and Redis, each test on its own prefix and stream.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { createRedis } from '../../infra/src/redis';
import { applyMappings } from '../../mappings/apply';
import audit from '../../mappings/audit.json' with { type: 'json' };
import {
  AuditTrail,
  auditConsumerGroup,
  type AuditEntry,
  type AuditTrailOptions,
  type AuditTrailTarget,
} from '../../server/src/privacy/audit-trail';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let es: Client;
let redis: Redis;
const prefixes: string[] = [];
const trails: AuditTrail[] = [];

beforeAll(async () => {
  es = createElasticsearch(serviceUrls().elasticsearchUrl);
  redis = createRedis(serviceUrls().redisUrl, 'producer');
  await new Promise<void>((resolve) =>
    redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
  );
});
afterEach(async () => {
  for (const t of trails.splice(0)) await t.close({ drain: false });
});
afterAll(async () => {
  for (const prefix of prefixes)
    await removePrefixData(serviceUrls().elasticsearchUrl, serviceUrls().redisUrl, prefix);
  redis.disconnect();
  await es.close();
});

async function installation(): Promise<AuditTrailTarget & { prefix: string }> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  await applyMappings({ es, prefix }, [{ name: 'audit', definition: audit }]);
  return { prefix, es, redis, index: `${prefix}-audit`, stream: `${prefix}:audit-stream` };
}

function trail(target: AuditTrailTarget, options: AuditTrailOptions = {}): AuditTrail {
  const t = new AuditTrail(target, {
    flushIntervalMs: 50,
    claimIdleMs: 1_000,
    flushTimeoutMs: 20_000,
    ...options,
  });
  trails.push(t);
  return t;
}

function entry(n: number): AuditEntry {
  return {
    at: new Date().toISOString(),
    action: 'view',
    actor: 'agent',
    actorId: 'u-agent',
    role: 'agent',
    actorKind: 'user',
    customerIds: [`c-${n}`],
    route: '/customers/{id}',
    method: 'GET',
    status: 200,
    ip: '127.0.0.1',
    userAgent: 'curl/8.5',
  };
}

async function stored(index: string): Promise<{ id: string; customerId: string }[]> {
  await es.indices.refresh({ index });
  const answer = await es.search<AuditEntry>({ index, size: 1_000, query: { match_all: {} } });
  return answer.hits.hits.map((h) => ({ id: h._id ?? '', customerId: h._source!.customerIds[0] }));
}

const blockWrites = (index: string, blocked: boolean) =>
  es.indices.putSettings({ index, settings: { 'index.blocks.write': blocked } });

describe('audit trail durability', () => {
  it('entries a process appended but never wrote (it died) are written by the next process, each exactly once', async () => {
    const target = await installation();
    const dying = trail(target, { flusher: false });
    await Promise.all(Array.from({ length: 30 }, (_, i) => dying.record(entry(i))));
    await dying.close({ drain: false });
    expect(await stored(target.index)).toHaveLength(0);

    const next = trail(target);
    await next.flush();
    const docs = await stored(target.index);
    expect(docs).toHaveLength(30);
    expect(new Set(docs.map((d) => d.customerId)).size).toBe(30);
    expect(await redis.xlen(target.stream)).toBe(0);
  });

  it('entries a dead process had read (some already written, none acknowledged) are claimed by another and stored exactly once', async () => {
    const target = await installation();
    await blockWrites(target.index, true);
    const failures: unknown[] = [];
    const dying = trail(target, { onError: (e) => failures.push(e) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => dying.record(entry(i))));
    // The entries sit in the dying consumer's pending list, unacknowledged.
    await expect
      .poll(
        async () => ((await redis.xpending(target.stream, auditConsumerGroup)) as [number])[0],
        { timeout: 15_000 },
      )
      .toBe(20);
    expect(failures.length).toBeGreaterThan(0);
    await dying.close({ drain: false });

    await blockWrites(target.index, false);
    // As if its last bulk had reached Elasticsearch just before it died: 5 entries stored, not acknowledged.
    const first = (await redis.xrange(target.stream, '-', '+', 'COUNT', 5)) as [string, string[]][];
    await es.bulk({
      refresh: true,
      operations: first.flatMap(([id, fields]) => [
        { create: { _index: target.index, _id: id } },
        JSON.parse(fields[1]),
      ]),
    });

    const next = trail(target);
    await next.flush();
    const docs = await stored(target.index);
    expect(docs).toHaveLength(20);
    expect(new Set(docs.map((d) => d.customerId)).size).toBe(20);
    expect(docs.map((d) => d.id)).toEqual(expect.arrayContaining(first.map(([id]) => id)));
    expect(await redis.xlen(target.stream)).toBe(0);
    expect(((await redis.xpending(target.stream, auditConsumerGroup)) as [number])[0]).toBe(0);
  });

  it('while Elasticsearch refuses writes, entries stay in the stream and are written once it takes them again', async () => {
    const target = await installation();
    await blockWrites(target.index, true);
    const failures: unknown[] = [];
    const t = trail(target, { onError: (e) => failures.push(e) });
    for (let i = 0; i < 10; i++) await t.record(entry(i));
    await expect.poll(() => failures.length, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await redis.xlen(target.stream)).toBe(10);
    await expect(t.recordNow(entry(99))).rejects.toThrow();

    await blockWrites(target.index, false);
    await t.flush();
    const docs = await stored(target.index);
    expect(docs.map((d) => d.customerId).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c-${i}`).sort(),
    );
    expect(await redis.xlen(target.stream)).toBe(0);
  });

  it('record() rejects when Redis cannot be reached, and succeeds again only with Redis', async () => {
    const target = await installation();
    const unreachable = createRedis('redis://127.0.0.1:1', 'producer');
    unreachable.on('error', () => {});
    const t = trail({ ...target, redis: unreachable }, { flusher: false, recordTimeoutMs: 1_000 });
    await expect(t.record(entry(1))).rejects.toThrow();
    expect(t.refused).toBe(1);
    unreachable.disconnect();

    const gone = createRedis(serviceUrls().redisUrl, 'producer');
    await new Promise<void>((resolve) => gone.once('ready', () => resolve()));
    const u = trail({ ...target, redis: gone }, { flusher: false });
    await u.record(entry(2));
    gone.disconnect();
    await expect(u.record(entry(3))).rejects.toThrow();
  });

  it('entries written directly (exports, erasures) are stored at once', async () => {
    const target = await installation();
    const t = trail(target, { flusher: false });
    await t.recordNow({ ...entry(7), action: 'erase' });
    expect(await stored(target.index)).toHaveLength(1);
  });
});

describe('through the API', () => {
  let p: TestPanorama;
  beforeAll(async () => {
    p = await startPanorama();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a profile is not shown when its view cannot be audited: 503 and no personal data', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'shop',
          id: 'FC-1',
          type: 'order',
          occurredAt: '2026-10-01T10:00:00Z',
          customer: {
            email: 'fail.closed@example.com',
            firstName: 'Fenja',
            lastName: 'Geschlossen',
          },
          data: { orderNumber: 'FC-1', total: 5, currency: 'EUR' },
        },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    const found = await p.request('GET', '/api/v1/customers/search?q=fail.closed@example.com', {
      role: 'agent',
    });
    const id = found.body.items[0].id as string;

    const working = p.server.ctx.audit;
    const unreachable = createRedis('redis://127.0.0.1:1', 'producer');
    unreachable.on('error', () => {});
    p.server.ctx.audit = new AuditTrail(
      { es, redis: unreachable, index: p.server.ctx.names.audit, stream: 'unused' },
      { flusher: false, recordTimeoutMs: 1_000 },
    );
    try {
      for (const route of [`/api/v1/customers/${id}`, '/api/v1/customers/search?q=Fenja']) {
        const denied = await p.request('GET', route, { role: 'agent' });
        expect(denied.status).toBe(503);
        expect(denied.body.error.code).toBe('audit_unavailable');
        expect(JSON.stringify(denied.body)).not.toMatch(/Fenja|Geschlossen|fail\.closed/);
      }
    } finally {
      p.server.ctx.audit = working;
      unreachable.disconnect();
    }
    expect(
      (await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).body.firstName,
    ).toBe('Fenja');
  });

  it('entries hold the actor id and the User-Agent as product tokens only', async () => {
    const ua =
      'Mozilla/5.0 (X11; Linux x86_64; jane.doe@example.com) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36 Customer-4711/2.0';
    const since = new Date().toISOString();
    const res = await p.request('GET', '/api/v1/customers/search?q=x', {
      role: 'agent',
      headers: { 'user-agent': ua },
    });
    expect(res.status).toBe(200);
    await p.server.ctx.audit.flush();
    const found = await p.request(
      'GET',
      `/api/v1/audit?action=search&actor=${encodeURIComponent(p.actors.agent)}&from=${encodeURIComponent(since)}`,
    );
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      actorId: expect.any(String),
      userAgent: 'AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    });
    expect(JSON.stringify(found.body)).not.toContain('jane.doe');
  });
});

describe('audit mapping', () => {
  it('entries of before the actor id lose everything but product tokens of their User-Agent when the audit mapping is migrated', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const properties = { ...audit.mappings.properties } as Record<string, unknown>;
    delete properties.actorId;
    const v1 = { ...audit, version: 1, mappings: { ...audit.mappings, properties } };
    await applyMappings({ es, prefix }, [{ name: 'audit', definition: v1 }]);
    const old = {
      ...entry(1),
      actorId: undefined,
      userAgent: 'MyCrm/3.2.1 (contact max.mustermann@example.com; +49 170 1234567)',
    };
    await es.index({ index: `${prefix}-audit`, id: 'old-1', document: old, refresh: true });

    const results = await applyMappings({ es, prefix }, [{ name: 'audit', definition: audit }]);
    expect(results[0]).toMatchObject({
      action: 'migrated',
      index: `${prefix}-audit-v${audit.version}`,
    });
    const doc = await es.get<AuditEntry>({ index: `${prefix}-audit`, id: 'old-1' });
    expect(doc._source?.userAgent).toBe('MyCrm/3.2');
    const mapping = await es.indices.getMapping({ index: `${prefix}-audit` });
    expect(Object.values(mapping)[0].mappings.properties).toHaveProperty('actorId');
  });
});
