/**
 * Security headers, CORS for the UI's origin only, rate limits on
 * login and API, body size limit, and no personal data in the logs.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinoIndexerLog } from '../../indexers/src/indexer';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { apiErrorLog } from '../../server/src/privacy/safe-log';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
const logLines: string[] = [];
const indexerLogLines: string[] = [];

function captureInto(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

beforeAll(async () => {
  p = await startPanorama({
    server: {
      hardening: { uiOrigin: 'http://ui.example', apiPerMinute: 40, loginPerMinute: 5 },
      log: apiErrorLog(pino({ name: 'api' }, captureInto(logLines))),
    },
    indexerLog: pinoIndexerLog(pino({ name: 'indexer' }, captureInto(indexerLogLines))),
  });
});
afterAll(async () => {
  await p?.close();
});

describe('hardening', () => {
  it('sends security headers and no x-powered-by', async () => {
    const res = await p.request('GET', '/healthz', { role: null });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("allows cross-origin calls only from the UI's origin", async () => {
    const ui = await p.request('OPTIONS', '/api/v1/customers/search', {
      role: null,
      headers: { origin: 'http://ui.example', 'access-control-request-method': 'GET' },
    });
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://ui.example');
    const evil = await p.request('OPTIONS', '/api/v1/customers/search', {
      role: null,
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilGet = await p.request('GET', '/api/v1/me', {
      role: 'agent',
      headers: { origin: 'http://evil.example' },
    });
    expect(evilGet.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over 10 MB with 413 and the contract error body', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      raw: `[${'"x",'.repeat(2_700_000)}"x"]`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('logs failing requests by id, route, status and error code only: no query, body, name, email, phone or street', async () => {
    const { elasticsearchUrl } = serviceUrls();
    const es = createElasticsearch(elasticsearchUrl);
    // Break this installation's customers index so the next search fails inside Elasticsearch.
    const alias = `${p.prefix}-customers`;
    const behind = Object.keys(await es.indices.getAlias({ name: alias }));
    await es.indices.delete({ index: behind });
    const res = await p.request(
      'GET',
      `/api/v1/customers/search?q=${encodeURIComponent('lisa.geheim@example.de')}`,
      { role: 'agent' },
    );
    expect(res.status).toBeGreaterThanOrEqual(500);
    const res2 = await p.request(
      'GET',
      `/api/v1/customers/search?q=${encodeURIComponent('+49 170 3332221 Lisa Geheim')}`,
      { role: 'agent' },
    );
    expect(res2.status).toBeGreaterThanOrEqual(500);
    // A search by name alone.
    const byName = await p.request(
      'GET',
      `/api/v1/customers/search?q=${encodeURIComponent('Gerlinde Verschwiegen')}`,
      { role: 'agent' },
    );
    expect(byName.status).toBe(502);

    // A touchpoint that fails validation, full of personal data: refused, nothing logged about it.
    const invalid = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'crm',
          id: 'LOG-1',
          type: 'order',
          occurredAt: 'Gerlinde Verschwiegen',
          customer: {
            firstName: 'Gerlinde',
            lastName: 'Verschwiegen',
            email: 'gerlinde.v@example.net',
            phone: '+49 171 9998887',
            address: { street: 'Stille Gasse 3', city: 'Schweigen' },
          },
          data: { total: 'Gerlinde Verschwiegen' },
        },
      ],
    });
    expect(invalid.status).toBe(400);

    // A 500: the customers alias on an index where tags are numbers, so Elasticsearch refuses the analyst's filter value and quotes it.
    await es.indices.create({
      index: `${alias}-broken`,
      mappings: { properties: { tags: { type: 'long' } } },
    });
    await es.indices.putAlias({ index: `${alias}-broken`, name: alias });
    await es.close();
    const failed = await p.request('POST', '/api/v1/analytics/query', {
      role: 'analyst',
      body: {
        filter: { kind: 'terms', field: 'tags', values: ['Gerlinde Verschwiegen'] },
        page: { size: 10 },
      },
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(500);
    const requestId = failed.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.body.error.message).toContain(requestId);

    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'elasticsearch error')).toEqual(
      Array.from({ length: 3 }, () =>
        expect.objectContaining({
          method: 'GET',
          route: '/api/v1/customers/search',
          status: 502,
          code: 'index_not_found_exception',
        }),
      ),
    );
    expect(lines.find((l) => l.requestId === requestId)).toMatchObject({
      msg: 'unhandled error',
      method: 'POST',
      route: '/api/v1/analytics/query',
      status: 500,
      code: 'analytics_search_failed',
    });
    // Nothing about the invalid touchpoint (a 4xx is the caller's mistake, not logged).
    expect(lines.filter((l) => l.route === '/api/v1/touchpoints')).toEqual([]);
    const log = logLines.join('\n');
    for (const secret of [
      'lisa.geheim',
      'example.de',
      '3332221',
      'Geheim',
      'Lisa',
      'Gerlinde',
      'Verschwiegen',
      'gerlinde.v',
      'example.net',
      '9998887',
      '171 999',
      'Stille Gasse',
      'Schweigen',
      'q=',
    ]) {
      expect(log, `API log carries ${secret}`).not.toContain(secret);
    }
  });

  it("logs a failed indexer job, and stores its failure in Redis, without the touchpoint's personal data", async () => {
    const { elasticsearchUrl, redisUrl } = serviceUrls();
    const es = createElasticsearch(elasticsearchUrl);
    // Point the touchpoints alias at an index that cannot take a name: Elasticsearch's refusal quotes the value.
    const alias = `${p.prefix}-touchpoints`;
    const [intact] = Object.keys(await es.indices.getAlias({ name: alias }));
    await es.indices.create({
      index: `${p.prefix}-touchpoints-broken`,
      mappings: { properties: { customer: { properties: { lastName: { type: 'long' } } } } },
    });
    await es.indices.updateAliases({
      actions: [
        { remove: { index: intact, alias } },
        { add: { index: `${p.prefix}-touchpoints-broken`, alias } },
      ],
    });
    await es.close();
    const secrets = [
      'Geheimnisvoll',
      'lisa.verborgen',
      'example.org',
      '3332229',
      'Verborgene Gasse',
      'Heimlichhausen',
      '1979-02-03',
    ];
    const accepted = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'crm',
          id: 'PII-1',
          type: 'profile',
          occurredAt: '2026-10-01T10:00:00Z',
          customer: {
            email: 'Lisa.Verborgen@example.org',
            phone: '+49 170 3332229',
            firstName: 'Lisa',
            lastName: 'Geheimnisvoll',
            birthDate: '1979-02-03',
            address: {
              street: 'Verborgene Gasse 7',
              postalCode: '99999',
              city: 'Heimlichhausen',
              country: 'DE',
            },
          },
          data: { segment: 'Premium' },
        },
      ],
    });
    expect(accepted.status).toBe(202);

    const queue = new Queue(`${p.prefix}-ingest`, { connection: { url: redisUrl } });
    const redis = new Redis(redisUrl);
    try {
      await expect
        .poll(() => indexerLogLines.join('\n'), { timeout: 20_000 })
        .toContain('ingest job failed');
      const [job] = await queue.getJobs(['delayed', 'failed', 'wait', 'active']);
      expect(job?.failedReason).toMatch(
        /store_failed: storing touchpoint 1 of 1 failed: \w*parsing_exception/,
      );
      // Everything BullMQ keeps about the queue (job hashes without their payload, the events stream, the sets), as text.
      const stored: string[] = [];
      for (const key of await redis.keys(`bull:${p.prefix}-ingest:*`)) {
        const type = await redis.type(key);
        if (type === 'hash') {
          const { data: _payload, ...rest } = await redis.hgetall(key);
          stored.push(JSON.stringify(rest));
        } else if (type === 'stream')
          stored.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        else if (type === 'zset') stored.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
        else if (type === 'list') stored.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'string') stored.push(String(await redis.get(key)));
      }
      const inRedis = stored.join('\n');
      expect(inRedis).toContain('store_failed');
      const log = indexerLogLines.join('\n');
      expect(log).toContain('store_failed');
      for (const secret of [...secrets, 'Lisa']) {
        expect(log, `indexer log carries ${secret}`).not.toContain(secret);
        expect(inRedis, `Redis carries ${secret}`).not.toContain(secret);
      }
      await job?.remove();
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('limits login attempts per address and answers 429 with the contract error body', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await p.request('POST', '/api/v1/auth/login', {
            role: null,
            body: { username: 'agent', password: `guess-${i}` },
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await p.request('POST', '/api/v1/auth/login', {
      role: null,
      body: { username: 'agent', password: p.passwords.agent },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('limits API requests per token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++)
      statuses.push((await p.request('GET', '/api/v1/me', { role: 'manager' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // Another token has its own budget.
    expect((await p.request('GET', '/api/v1/me', { role: 'analyst' })).status).toBe(200);
  });
});
