/**
 * Hostile input never gets a 5xx: bodies that lie about their encoding or
 * charset, malformed percent-encoding in a path, and bodies with more
 * touchpoints than a request may carry each get a 4xx with the contract's
 * error body, and nothing of them is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

function touchpoint(i: number): Record<string, unknown> {
  return {
    source: 'shop',
    id: `H-${i}`,
    type: 'note',
    occurredAt: '2026-03-01T10:00:00Z',
    customer: { customerNumber: `K-${i}` },
    data: { text: 'hello' },
  };
}

/** A raw request, so the body and its headers are exactly what a hostile client sends. */
async function send(
  method: string,
  route: string,
  role: Role,
  headers: Record<string, string>,
  body?: string | Uint8Array<ArrayBuffer>,
) {
  const res = await fetch(`${p.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${p.keys[role]}`, ...headers },
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertion on the body shape says so
  }
  return { status: res.status, body: parsed };
}

function expectContractError(res: { status: number; body: unknown }, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  expect(res.body, what).toMatchObject({
    error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
  });
}

async function storedTouchpoints(): Promise<number> {
  const es = createElasticsearch(serviceUrls().elasticsearchUrl);
  try {
    await es.indices.refresh({ index: `${p.prefix}-touchpoints` });
    return (await es.count({ index: `${p.prefix}-touchpoints` })).count;
  } finally {
    await es.close();
  }
}

describe('hostile input', () => {
  const json = JSON.stringify([touchpoint(1), touchpoint(2)]);
  const ndjson = [touchpoint(3), touchpoint(4)].map((t) => JSON.stringify(t)).join('\n');

  it('answers a body that claims a compression it does not have, or an unknown one, with a 4xx and writes nothing', async () => {
    const cases: [string, Record<string, string>, string][] = [];
    for (const encoding of ['gzip', 'deflate', 'br', 'x-unknown', 'gzip, br', 'compress']) {
      cases.push([
        `json ${encoding}`,
        { 'content-type': 'application/json', 'content-encoding': encoding },
        json,
      ]);
      cases.push([
        `ndjson ${encoding}`,
        { 'content-type': 'application/x-ndjson', 'content-encoding': encoding },
        ndjson,
      ]);
    }
    for (const [what, headers, body] of cases) {
      for (const role of ['ingest', 'admin'] as const) {
        expectContractError(
          await send('POST', '/api/v1/touchpoints', role, headers, body),
          `${what} as ${role}`,
        );
      }
      // A body on a route that does not read one as touchpoints: the parser still answers before any handler.
      expectContractError(
        await send('POST', '/api/v1/analytics/query', 'analyst', headers, body),
        `${what} on analytics as analyst`,
      );
    }
    await p.waitUntilIndexed();
    expect(await storedTouchpoints()).toBe(0);
  });

  it('answers a charset the server cannot read, or bytes that are not that charset, with a 4xx and writes nothing', async () => {
    const cases: [string, Record<string, string>, string | Uint8Array<ArrayBuffer>][] = [
      ['unknown charset', { 'content-type': 'application/json; charset=klingon' }, json],
      [
        'unknown charset ndjson',
        { 'content-type': 'application/x-ndjson; charset=klingon' },
        ndjson,
      ],
      ['utf-16 claimed, utf-8 sent', { 'content-type': 'application/json; charset=utf-16' }, json],
      [
        'latin1 bytes as utf-8',
        { 'content-type': 'application/json; charset=utf-8' },
        new Uint8Array([0x5b, 0x7b, 0xe0, 0xff, 0x7d, 0x5d]),
      ],
    ];
    for (const [what, headers, body] of cases) {
      for (const role of ['ingest', 'admin'] as const) {
        const res = await send('POST', '/api/v1/touchpoints', role, headers, body);
        expect(res.status, what).not.toBe(202);
        expectContractError(res, `${what} as ${role}`);
      }
    }
    await p.waitUntilIndexed();
    expect(await storedTouchpoints()).toBe(0);
  });

  it('answers malformed percent-encoding in any path with 400 for every role', async () => {
    const paths: [string, string][] = [
      ['GET', '/api/v1/customers/%E0'],
      ['GET', '/api/v1/customers/%E0/timeline'],
      ['GET', '/api/v1/touchpoints/%E0/x'],
      ['GET', '/api/v1/touchpoints/shop/%E0'],
      ['GET', '/api/v1/segments/%E0'],
      ['GET', '/api/v1/segments/%E0/events'],
      ['DELETE', '/api/v1/segments/%E0'],
      ['PUT', '/api/v1/admin/users/%E0'],
      ['DELETE', '/api/v1/admin/users/%E0'],
      ['DELETE', '/api/v1/admin/api-keys/%E0'],
      ['POST', '/api/v1/identity/actions/%E0/undo'],
      ['GET', '/api/v1/customers/%'],
      ['GET', '/api/v1/customers/%ZZ'],
    ];
    for (const [method, route] of paths) {
      for (const role of ['admin', 'analyst', 'agent', 'manager'] as const) {
        const body =
          method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ role: 'agent' });
        const res = await send(
          method,
          route,
          role,
          body ? { 'content-type': 'application/json' } : {},
          body,
        );
        expectContractError(res, `${method} ${route} as ${role}`);
      }
    }
    // The admin change did not happen: the users are the ones the test started with.
    const users = await p.request('GET', '/api/v1/admin/users');
    expect(users.status).toBe(200);
    expect(
      (users.body as { items: { username: string; role: string }[] }).items
        .map((u) => `${u.username}:${u.role}`)
        .sort(),
    ).toEqual(['admin:admin', 'agent:agent', 'analyst:analyst', 'manager:manager']);
  });

  it('refuses more than 5,000 touchpoints per request, NDJSON lines counted before they are parsed, and writes nothing', async () => {
    const lines = Array.from({ length: 5_001 }, (_, i) =>
      JSON.stringify(touchpoint(10_000 + i)),
    ).join('\n');
    const nd = await send(
      'POST',
      '/api/v1/touchpoints',
      'ingest',
      { 'content-type': 'application/x-ndjson' },
      lines,
    );
    expect(nd.status).toBe(413);
    expectContractError(nd, 'ndjson 5,001 lines');
    expect((nd.body as { error: { code: string } }).error.code).toBe('payload_too_large');
    // Lines that are not JSON count too: the body is refused by its size alone, not after parsing 5,000 lines.
    const garbage = await send(
      'POST',
      '/api/v1/touchpoints',
      'ingest',
      { 'content-type': 'application/x-ndjson' },
      `${'{not json\n'.repeat(5_001)}`,
    );
    expect(garbage.status).toBe(413);
    // Blank lines are no touchpoints: 5,000 of them plus one item is one item.
    const blank = await send(
      'POST',
      '/api/v1/touchpoints',
      'ingest',
      { 'content-type': 'application/x-ndjson' },
      `${'\n'.repeat(5_000)}${JSON.stringify({ nope: 1 })}\n`,
    );
    expect(blank.status).toBe(400);
    expect((blank.body as { rejected: unknown[] }).rejected).toHaveLength(1);

    const array = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: Array.from({ length: 5_001 }, (_, i) => touchpoint(20_000 + i)),
    });
    expect(array.status).toBe(413);
    expect(array.body.error.code).toBe('payload_too_large');
    const wrapped = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: { touchpoints: Array.from({ length: 5_001 }, () => 1) },
    });
    expect(wrapped.status).toBe(413);
    await p.waitUntilIndexed();
    expect(await storedTouchpoints()).toBe(0);
  });

  it('still accepts an honest body after all of the above', async () => {
    const res = await send(
      'POST',
      '/api/v1/touchpoints',
      'ingest',
      { 'content-type': 'application/json' },
      json,
    );
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    expect(await storedTouchpoints()).toBe(2);
  });
});
