/**
 * Issue 6: security headers, CORS for the UI's origin only, rate limits on
 * login and API, body size limit, and no personal data in the logs.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { apiErrorLog } from '../../server/src/privacy/safe-log';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
const logLines: string[] = [];

beforeAll(async () => {
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  p = await startPanorama({
    server: {
      hardening: { uiOrigin: 'http://ui.example', apiPerMinute: 40, loginPerMinute: 5 },
      log: apiErrorLog(pino({ name: 'api' }, capture)),
    },
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
    const ui = await p.request('OPTIONS', '/api/v1/customers/search', { role: null, headers: { origin: 'http://ui.example', 'access-control-request-method': 'GET' } });
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://ui.example');
    const evil = await p.request('OPTIONS', '/api/v1/customers/search', { role: null, headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilGet = await p.request('GET', '/api/v1/me', { role: 'agent', headers: { origin: 'http://evil.example' } });
    expect(evilGet.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over 10 MB with 413 and the contract error body', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', raw: `[${'"x",'.repeat(2_700_000)}"x"]`, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('logs a failing Elasticsearch request without the query or any personal data', async () => {
    const { elasticsearchUrl } = serviceUrls();
    const es = createElasticsearch(elasticsearchUrl);
    // Break this installation's customers index so the next search fails inside Elasticsearch.
    const behind = Object.keys(await es.indices.getAlias({ name: `${p.prefix}-customers` }));
    await es.indices.delete({ index: behind });
    await es.close();
    const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent('lisa.geheim@example.de')}`, { role: 'agent' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const res2 = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent('+49 170 3332221 Lisa Geheim')}`, { role: 'agent' });
    expect(res2.status).toBeGreaterThanOrEqual(500);
    expect(logLines.length).toBeGreaterThan(0);
    const log = logLines.join('\n');
    expect(log).toContain('elasticsearch error');
    for (const secret of ['lisa.geheim', 'example.de', '3332221', 'Geheim', 'Lisa']) expect(log).not.toContain(secret);
  });

  it('limits login attempts per address and answers 429 with the contract error body', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await p.request('POST', '/api/v1/auth/login', { role: null, body: { username: 'agent', password: `guess-${i}` } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await p.request('POST', '/api/v1/auth/login', { role: null, body: { username: 'agent', password: p.passwords.agent } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('limits API requests per token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await p.request('GET', '/api/v1/me', { role: 'manager' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // Another token has its own budget.
    expect((await p.request('GET', '/api/v1/me', { role: 'analyst' })).status).toBe(200);
  });
});
