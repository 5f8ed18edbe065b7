/**
 * A fuzz test. Thousands of malformed or hostile touchpoints and
 * queries (wrong types, huge strings, deep nesting, unicode edge cases,
 * injection attempts), generated from a fixed seed so a failure replays.
 * Every malformed request must answer 4xx with the contract's error body,
 * never 5xx; the process keeps running; nothing is written.
 *
 * On top, every role (and no login) sends the classes of bounded work:
 * malformed percent-encoding in every path with a parameter, bodies that
 * claim a Content-Encoding they do not have, garbage and oversized timeline
 * cursors, pages past the result window and aggregation trees too deep or too
 * large. The test logs one line to quote:
 * `fuzz: N requests, N 4xx, N 5xx, N crashes`, and one line per class.
 *
 * FUZZ_TOUCHPOINTS (default 10,000) sets how many hostile touchpoints are sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
/** One profile written straight to the index, so timeline cursors reach the cursor code instead of a 404. */
const seedCustomer = 'fuzzseed01';

beforeAll(async () => {
  p = await startPanorama();
  const es = createElasticsearch(serviceUrls().elasticsearchUrl);
  await es.index({
    index: p.server.ctx.names.customers,
    id: seedCustomer,
    document: { id: seedCustomer, name: 'Seed' },
    refresh: true,
  });
  await es.close();
});
afterAll(async () => {
  await p?.close();
});

/** mulberry32: small, seeded, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(6);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = random() < 0.5 ? { a: value } : [value];
  return value;
}

/** Strings that have broken parsers, query builders and renderers elsewhere. */
const hostile = [
  '<script>alert(1)</script>',
  '"; DROP TABLE customers; --',
  "' OR '1'='1",
  '{"query_string":{"query":"*"}}',
  '{"script":{"source":"ctx._source.x=1"}}',
  '*:*',
  '/.*/',
  'name:(a OR b) AND _exists_:email',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil\u202C',
  'a\u200Bb\u200Dc\uFEFF',
  'Z̷̧̛a̵̢̛l̸̨̛g̴̢̛o̷̧̕',
  '🧑‍🤝‍🧑🏳️‍🌈'.repeat(20),
  'ß'.repeat(300),
  'x'.repeat(5_000),
  '',
  ' ',
];

const base = () => ({
  source: 'shop',
  id: `F-${Math.floor(random() * 1e9)}`,
  type: 'order',
  occurredAt: '2026-10-02T14:12:00Z',
  customer: { email: 'fuzz@example.com', firstName: pick(hostile), lastName: pick(hostile) },
  data: { orderNumber: 'F-1', total: 10, currency: 'EUR' },
});

type Mutation = (tp: Record<string, unknown>) => void;
/** Each makes the touchpoint invalid under the contract. */
const breaking: Mutation[] = [
  (tp) =>
    (tp.source = pick([
      123,
      null,
      true,
      {},
      [],
      'UPPER',
      'with space',
      'x'.repeat(41),
      '',
      'shöp',
      '\u0000',
      '$where',
      pick(hostile) + '!',
    ])),
  (tp) => (tp.id = pick([null, 42, {}, [], '', 'x'.repeat(201), 'y'.repeat(100_000)])),
  (tp) =>
    (tp.type = pick([
      'unknown',
      'ORDER',
      '',
      null,
      7,
      ['order'],
      { $ne: null },
      pick(hostile) + '#',
    ])),
  (tp) =>
    (tp.occurredAt = pick([
      'yesterday',
      '',
      0,
      1_700_000_000,
      null,
      '2026-13-45T25:61:00Z',
      '2026-10-02',
      { $gt: '' },
      pick(hostile),
    ])),
  (tp) => (tp.version = pick([-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2, {}, [1]])),
  (tp) => (tp.deleted = pick(['yes', 1, 'true', {}])),
  (tp) =>
    (tp.customer = pick([
      null,
      'fuzz@example.com',
      [],
      {},
      { firstName: 'No Identifier' },
      { email: 5 },
      { email: 'x'.repeat(400) },
      { phone: 'x'.repeat(61) },
      { email: 'a@b.c', birthDate: 'long ago' },
      { email: 'a@b.c', address: 'street' },
      { email: 'a@b.c', customerNumber: '' },
      { email: 'a@b.c', firstName: 'x'.repeat(501) },
    ])),
  (tp) => (tp.customer = { email: 'a@b.c', address: deep(50 + Math.floor(random() * 500)) }),
  (tp) =>
    (tp.data = pick([
      null,
      'data',
      [],
      42,
      { orderNumber: 'F', total: 'a lot', currency: 'EUR' },
      { orderNumber: 'F', total: 1, currency: 'EURO' },
      { total: 1, currency: 'EUR' },
      { orderNumber: 'F', total: Infinity as unknown as number, currency: 'EUR' },
      { orderNumber: 'F', total: 1, currency: 'EUR', items: 'many' },
      { orderNumber: 'F', total: 1, currency: 'EUR', items: [deep(100)] },
    ])),
  (tp) => {
    tp.type = 'ticket';
    tp.data = {
      ticketNumber: pick(hostile),
      subject: 'x',
      status: pick(['reopened', '', 5, null]),
    };
  },
  (tp) => {
    tp.type = 'consent';
    tp.data = { channel: pick(['fax', '', null, 'EMAIL']), granted: pick(['yes', null, 1]) };
  },
  (tp) => {
    delete tp[pick(['source', 'id', 'type', 'occurredAt', 'customer'])];
  },
  (tp) => {
    // Prototype pollution through JSON keys: still must be invalid and harmless.
    Object.defineProperty(tp, '__proto__', {
      value: { isAdmin: true },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    tp.source = 'BAD SOURCE';
  },
];

function hostileTouchpoint(): Record<string, unknown> {
  const tp: Record<string, unknown> = base();
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) pick(breaking)(tp);
  return tp;
}

interface Probe {
  method: string;
  route: string;
  role: Role | null;
  raw?: string;
  contentType?: string;
  /** Extra request headers (Content-Encoding). */
  headers?: Record<string, string>;
  /** The class of hostile input, for the figures. */
  kind?: string;
  /** Touchpoints in this request. */
  touchpoints: number;
  /** A well-formed request with hostile content may succeed (e.g. a search for "<script>"): it must still never be 5xx. */
  mayPass?: boolean;
}

function touchpointProbe(): Probe {
  const count = random() < 0.3 ? 1 : 1 + Math.floor(random() * 40);
  const items = Array.from({ length: count }, hostileTouchpoint);
  const wrap = random() < 0.5;
  return {
    method: 'POST',
    route: '/api/v1/touchpoints',
    role: 'ingest',
    raw: JSON.stringify(wrap ? { touchpoints: items } : items),
    touchpoints: count,
  };
}

function ndjsonProbe(): Probe {
  const count = 1 + Math.floor(random() * 20);
  const lines = Array.from({ length: count }, () =>
    random() < 0.3
      ? pick(['{not json', '[', '"string"', 'null', '1e309', '\u0000', '}{'])
      : JSON.stringify(hostileTouchpoint()),
  );
  return {
    method: 'POST',
    route: '/api/v1/touchpoints',
    role: 'ingest',
    raw: lines.join('\n'),
    contentType: 'application/x-ndjson',
    touchpoints: count,
  };
}

function malformedBodyProbe(): Probe {
  const raw = pick([
    '{',
    '',
    'null',
    '42',
    '"touchpoints"',
    '{"touchpoints": 5}',
    '{"touchpoints": {"0": {}}}',
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    `{"touchpoints": ${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    '{"__proto__": {"polluted": true}}',
    '\uFEFF[{"source": "shop"}]',
    '[{"source":"shop","id":"1","type":"order"}',
    '[1, "a", null, true, []]',
  ]);
  const contentType = pick([
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/x-ndjson',
  ]);
  return {
    method: 'POST',
    route: '/api/v1/touchpoints',
    role: 'ingest',
    raw,
    contentType,
    touchpoints: 0,
  };
}

/** Percent-encodes; a lone surrogate goes out as its (invalid) UTF-8 bytes, which the server must survive too. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text
      .replace(/[\uD800-\uDFFF]/g, '%ED%A0%80')
      .split('%')
      .map((part, i) =>
        i === 0
          ? encodeURIComponent(part)
          : `${part.slice(0, 2)}${encodeURIComponent(part.slice(2))}`,
      )
      .join('%');
  }
}
function queryProbe(): Probe {
  const kind = Math.floor(random() * 9);
  switch (kind) {
    case 0:
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q=${enc('x'.repeat(201 + Math.floor(random() * 10_000)))}`,
        role: 'agent',
        touchpoints: 0,
      };
    case 1:
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q=a&size=${enc(pick(['0', '-1', '101', 'abc', '1e9', '', '[]', 'NaN', '2.5']))}`,
        role: 'agent',
        touchpoints: 0,
      };
    case 2:
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q=a&from=${enc(pick(['-1', '10001', '9950&size=100', '10000&size=100', 'x', '1e12', '9999999999999999999']))}`,
        role: 'agent',
        touchpoints: 0,
      };
    case 3:
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q=a&f.${enc(pick(['unknown', 'search.names', '__proto__', 'constructor', 'x'.repeat(300), pick(hostile)]))}=x`,
        role: 'analyst',
        touchpoints: 0,
      };
    case 4:
      // Bracket keys are not `q` for Express 5's simple query parser: ignored like any unknown parameter, so this may pass.
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q[]=a&q[]=b&q[$ne]=c`,
        role: 'agent',
        touchpoints: 0,
        mayPass: true,
      };
    case 5:
      return {
        method: 'GET',
        route: `/api/v1/customers/${enc(pick(['../../_search', '*', '_all', 'x'.repeat(65), 'a b', '%00', '<script>', "' OR 1=1"]))}/timeline?types=${enc(pick(['order', 'nope', '*', '']))}`,
        role: 'agent',
        touchpoints: 0,
      };
    case 6:
      return {
        method: 'GET',
        route: `/api/v1/customers/abc123/timeline?size=${enc(pick(['0', '201', 'x', '-5']))}&types=${enc(pick(['order,nope', 'ORDER', '__proto__']))}`,
        role: 'agent',
        touchpoints: 0,
      };
    case 7:
      return {
        method: 'GET',
        route: `/api/v1/audit?${pick(['action=peek', 'size=0', 'size=1000', 'from=yesterday', 'to=1', 'offset=-1', 'customerId=' + enc('a b*'), 'actor=', 'unknown=1'])}`,
        role: 'admin',
        touchpoints: 0,
      };
    default:
      // Well-formed searches with hostile text: they may answer 200 (with no hits), never 5xx.
      return {
        method: 'GET',
        route: `/api/v1/customers/search?q=${enc(pick(hostile).slice(0, 200))}&size=${1 + Math.floor(random() * 100)}&from=${Math.floor(random() * 9_900)}`,
        role: 'agent',
        touchpoints: 0,
        mayPass: true,
      };
  }
}

function loginProbe(): Probe {
  const body = pick<unknown>([
    { username: 'admin' },
    { username: 123, password: [] },
    { username: 'admin', password: 'x'.repeat(201) },
    { username: { $ne: null }, password: { $ne: null } },
    [],
    'admin:admin',
    { username: '', password: '' },
  ]);
  return {
    method: 'POST',
    route: '/api/v1/auth/login',
    role: null,
    raw: JSON.stringify(body),
    touchpoints: 0,
  };
}

const everyone: (Role | null)[] = [null, 'ingest', 'agent', 'manager', 'analyst', 'admin'];

/** Malformed percent-encodings: a lone lead byte, a truncated escape, an overlong '/', a lone surrogate, not hex. */
const badEscapes = ['%E0', '%E0%A4', '%', '%zz', '%C0%AF', '%ED%A0%80', '%FF%FE', 'a%'];

function percentPathProbes(): Probe[] {
  const routes: [string, (x: string) => string, unknown?][] = [
    ['GET', (x) => `/api/v1/customers/${x}`],
    ['GET', (x) => `/api/v1/customers/${x}?asOf=2026-01-01`],
    ['GET', (x) => `/api/v1/customers/${x}/timeline`],
    ['GET', (x) => `/api/v1/customers/${x}/export`],
    ['GET', (x) => `/api/v1/customers/${x}/viewers`],
    ['DELETE', (x) => `/api/v1/customers/${x}`],
    ['POST', (x) => `/api/v1/customers/${x}/notes`, { text: 'a note' }],
    ['GET', (x) => `/api/v1/touchpoints/${x}/x`],
    ['GET', (x) => `/api/v1/touchpoints/shop/${x}`],
    ['GET', (x) => `/api/v1/segments/${x}`],
    ['GET', (x) => `/api/v1/segments/${x}/events`],
    ['DELETE', (x) => `/api/v1/segments/${x}`],
    ['PUT', (x) => `/api/v1/admin/users/${x}`, { role: 'agent' }],
    ['DELETE', (x) => `/api/v1/admin/users/${x}`],
    ['DELETE', (x) => `/api/v1/admin/api-keys/${x}`],
    ['POST', (x) => `/api/v1/identity/actions/${x}/undo`, {}],
    ['GET', (x) => `/api/v1/${x}/search?q=a`],
  ];
  const probes: Probe[] = [];
  for (const [method, route, body] of routes) {
    for (const escape of badEscapes) {
      for (const role of everyone) {
        probes.push({
          kind: 'percent-encoding',
          method,
          route: route(escape),
          role,
          touchpoints: 0,
          ...(body !== undefined ? { raw: JSON.stringify(body) } : {}),
        });
      }
    }
  }
  return probes;
}

function contentEncodingProbes(): Probe[] {
  const routes: [string, string, unknown][] = [
    [
      '/api/v1/touchpoints',
      'ingest',
      [
        {
          source: 'shop',
          id: 'CE-1',
          type: 'order',
          occurredAt: '2026-10-02T14:12:00Z',
          customer: { email: 'ce@example.com' },
          data: { orderNumber: 'CE-1', total: 1, currency: 'EUR' },
        },
      ],
    ],
    ['/api/v1/analytics/query', 'analyst', { aggs: { a: { type: 'terms', field: 'segment' } } }],
    [
      '/api/v1/segments',
      'analyst',
      { name: 'Encoded', filter: { kind: 'exists', field: 'segment' } },
    ],
    ['/api/v1/auth/login', 'none', { username: 'admin', password: 'x' }],
    [
      '/api/v1/admin/users',
      'admin',
      { username: 'encoded', password: 'a-long-password-1', role: 'agent' },
    ],
  ];
  const probes: Probe[] = [];
  for (const [route, owner, body] of routes) {
    for (const encoding of [
      'gzip',
      'deflate',
      'br',
      'x-gzip',
      'gzip, br',
      'identity, gzip',
      'compress',
      'zstd',
    ]) {
      for (const role of owner === 'none' ? [null] : everyone) {
        const raw = pick([JSON.stringify(body), '\u001f\u008b\u0008\u0000garbage', 'x\u009c', '']);
        probes.push({
          kind: 'content-encoding',
          method: 'POST',
          route,
          role,
          raw,
          headers: { 'content-encoding': encoding },
          touchpoints: 0,
        });
      }
    }
  }
  return probes;
}

function cursorProbes(): Probe[] {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const cursors = [
    'garbage',
    '!!!',
    '%00',
    '2026-13-45',
    '1e309',
    'null',
    '[]',
    'W10',
    b64(['a', {}]),
    b64([1, 2]),
    b64([1.5, 'shop:O-1']),
    b64({ a: 1 }),
    b64([Number.MAX_SAFE_INTEGER * 4, 'k']),
    b64([1, 'x'.repeat(400)]),
    b64([1, 'k', 3]),
    b64(['__proto__', 'k']),
    'W'.repeat(499),
    'x'.repeat(501),
    'y'.repeat(20_000),
  ];
  const probes: Probe[] = [];
  for (const before of cursors) {
    for (const role of everyone) {
      for (const extra of ['', '&q=order']) {
        probes.push({
          kind: 'cursor',
          method: 'GET',
          route: `/api/v1/customers/${seedCustomer}/timeline?size=5&before=${enc(before)}${extra}`,
          role,
          touchpoints: 0,
        });
      }
    }
  }
  return probes;
}

function pageProbes(): Probe[] {
  const pages: [string, string, unknown?][] = [
    ['GET', '/api/v1/customers/search?q=a&from=9999&size=100'],
    ['GET', '/api/v1/customers/search?from=10000'],
    ['GET', '/api/v1/customers/search?q=a&from=9901&size=100'],
    ['GET', '/api/v1/audit?offset=9999'],
    ['GET', '/api/v1/audit?offset=9800&size=201'],
    ['GET', '/api/v1/audit?offset=1e9'],
    ['GET', '/api/v1/segments/fuzz/events?size=100000'],
    [
      'GET',
      '/api/v1/analytics/migration/customers?from=2026-01-01&to=2026-01-02&fromLabel=a&toLabel=b&size=100000',
    ],
    [
      'GET',
      '/api/v1/analytics/migration/customers?from=2026-01-01&to=2026-01-02&fromLabel=a&toLabel=b&size=-1',
    ],
    ['POST', '/api/v1/analytics/query', { page: { from: 10_000, size: 200 } }],
    ['POST', '/api/v1/analytics/query', { page: { from: 9_950, size: 100 } }],
    ['POST', '/api/v1/analytics/query', { page: { from: 1e12, size: 1 } }],
  ];
  const probes: Probe[] = [];
  for (const [method, route, body] of pages) {
    for (const role of everyone)
      probes.push({
        kind: 'page',
        method,
        route,
        role,
        touchpoints: 0,
        ...(body !== undefined ? { raw: JSON.stringify(body) } : {}),
      });
  }
  return probes;
}

function aggregationProbes(): Probe[] {
  const terms = (size: number, aggs?: object) => ({
    type: 'terms',
    field: pick(['segment', 'products', 'channels']),
    size,
    ...(aggs ? { aggs } : {}),
  });
  const nested = (levels: number, size: number): object =>
    levels === 0
      ? { type: 'stats', field: 'kpis.lifetimeValue' }
      : terms(size, { x: nested(levels - 1, size) });
  const wide = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [
      `w${i}`,
      terms(
        1,
        Object.fromEntries(
          Array.from({ length: 20 }, (_, j) => [
            `m${j}`,
            { type: 'cardinality', field: 'products' },
          ]),
        ),
      ),
    ]),
  );
  const bodies: string[] = [
    JSON.stringify({ aggs: { a: terms(50, { b: terms(50, { c: terms(50) }) }) } }),
    JSON.stringify({ aggs: { a: terms(200, { b: terms(200) }) } }),
    JSON.stringify({ aggs: { a: nested(6, 2) } }),
    JSON.stringify({ aggs: { a: nested(12, 200) } }),
    JSON.stringify({ aggs: wide }),
    JSON.stringify({
      aggs: {
        a: terms(200, { b: terms(10, { c: { type: 'cardinality', field: 'products' } }) }),
        b: terms(100, { p: { type: 'percentiles', field: 'kpis.lifetimeValue' } }),
      },
    }),
    JSON.stringify({
      aggs: { h: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 0 } },
    }),
    JSON.stringify({
      filter: {
        kind: 'or',
        filters: Array.from({ length: 50 }, () => ({
          kind: 'and',
          filters: Array.from({ length: 50 }, () => ({ kind: 'exists', field: 'segment' })),
        })),
      },
    }),
    `{"filter":${'{"kind":"not","filter":'.repeat(50_000)}{"kind":"exists","field":"segment"}${'}'.repeat(50_000)}}`,
    `{"aggs":{"a":${'{"type":"terms","field":"segment","aggs":{"x":'.repeat(10_000)}{"type":"stats","field":"kpis.lifetimeValue"}${'}}'.repeat(10_000)}}}`,
  ];
  // How many buckets a histogram makes depends on the values: over this test's empty index these fit and
  // may answer 200 (bounded-work.test.ts refuses them over 12,000 profiles); they must still never be 5xx.
  const fitWhileEmpty = [
    JSON.stringify({
      aggs: { h: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 1e-9 } },
    }),
    JSON.stringify({
      aggs: {
        a: terms(20, { h: { type: 'dateHistogram', field: 'kpis.lastOrderAt', interval: 'hour' } }),
      },
    }),
  ];
  const probes: Probe[] = [];
  for (const raw of fitWhileEmpty) {
    for (const role of everyone)
      probes.push({
        kind: 'aggregations',
        method: 'POST',
        route: '/api/v1/analytics/query',
        role,
        raw,
        touchpoints: 0,
        mayPass: true,
      });
  }
  for (const raw of bodies) {
    for (const role of everyone)
      probes.push({
        kind: 'aggregations',
        method: 'POST',
        route: '/api/v1/analytics/query',
        role,
        raw,
        touchpoints: 0,
      });
    probes.push({
      kind: 'aggregations',
      method: 'POST',
      route: '/api/v1/segments',
      role: 'analyst',
      raw: raw.replace(/^\{"(filter|aggs)"/, '{"name":"Fuzz","$1"'),
      touchpoints: 0,
    });
  }
  return probes;
}

describe('fuzzing the API', () => {
  it('answers every malformed or hostile touchpoint and query with a 4xx and a clear message, never a 5xx, never crashes, writes nothing', async () => {
    const target = Number(process.env.FUZZ_TOUCHPOINTS ?? 10_000);
    const probes: Probe[] = [];
    let touchpoints = 0;
    while (touchpoints < target) {
      const r = random();
      const probe = r < 0.6 ? touchpointProbe() : r < 0.8 ? ndjsonProbe() : malformedBodyProbe();
      touchpoints += probe.touchpoints;
      probes.push(probe);
    }
    const queries = Math.max(2_000, Math.round(probes.length * 0.8));
    for (let i = 0; i < queries; i++) probes.push(random() < 0.95 ? queryProbe() : loginProbe());
    probes.push(
      ...percentPathProbes(),
      ...contentEncodingProbes(),
      ...cursorProbes(),
      ...pageProbes(),
      ...aggregationProbes(),
    );

    const figures = {
      requests: 0,
      touchpoints,
      status4xx: 0,
      status2xx: 0,
      status5xx: 0,
      other: 0,
      crashes: 0,
      unclear: 0,
      ms: 0,
    };
    const byKind = new Map<
      string,
      { requests: number; status4xx: number; status5xx: number; crashes: number; other: number }
    >();
    const kindOf = (probe: Probe) => {
      const name = probe.kind ?? 'touchpoints-and-queries';
      let entry = byKind.get(name);
      if (!entry)
        byKind.set(
          name,
          (entry = { requests: 0, status4xx: 0, status5xx: 0, crashes: 0, other: 0 }),
        );
      return entry;
    };
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        const headers: Record<string, string> = { ...(probe.headers ?? {}) };
        if (probe.raw !== undefined)
          headers['content-type'] = probe.contentType ?? 'application/json';
        const kind = kindOf(probe);
        let res;
        try {
          res = await p.request(probe.method, probe.route, {
            role: probe.role,
            raw: probe.raw,
            headers,
          });
        } catch (error) {
          figures.crashes++;
          kind.crashes++;
          failures.push(
            `${probe.method} ${probe.route.slice(0, 120)}: ${(error as Error).message}`,
          );
          continue;
        }
        figures.requests++;
        kind.requests++;
        const role = probe.role ?? 'anonymous';
        if (res.status >= 500) {
          figures.status5xx++;
          kind.status5xx++;
          failures.push(
            `${res.status} [${probe.kind ?? 'base'}] ${role} ${probe.method} ${probe.route.slice(0, 120)} ${String(probe.raw ?? '').slice(0, 120)} → ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        } else if (res.status >= 400) {
          figures.status4xx++;
          kind.status4xx++;
          const error = res.body?.error;
          if (
            probe.kind &&
            !(
              typeof error?.code === 'string' &&
              typeof error?.message === 'string' &&
              Array.isArray(error?.details)
            )
          ) {
            figures.unclear++;
            failures.push(
              `no error body ${res.status} [${probe.kind}] ${role} ${probe.method} ${probe.route.slice(0, 80)} → ${JSON.stringify(res.body).slice(0, 200)}`,
            );
            continue;
          }
          const message = res.body?.error?.message;
          if (typeof message !== 'string' || message.length < 10) {
            // A batch answer lists each rejected item instead of one message.
            if (!(
              Array.isArray(res.body?.rejected) &&
              res.body.rejected.every((r: { errors: unknown[] }) => r.errors.length > 0)
            )) {
              figures.unclear++;
              failures.push(
                `unclear ${res.status} ${probe.route.slice(0, 80)} → ${JSON.stringify(res.body).slice(0, 200)}`,
              );
            }
          }
        } else if (res.status >= 200 && res.status < 300) {
          figures.status2xx++;
          if (!probe.mayPass)
            failures.push(
              `accepted ${res.status} [${probe.kind ?? 'base'}] ${role} ${probe.method} ${probe.route.slice(0, 80)} ${String(probe.raw ?? '').slice(0, 300)}`,
            );
        } else {
          figures.other++;
          kind.other++;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    figures.ms = Date.now() - started;
    console.log(
      `fuzz: ${figures.requests} requests, ${figures.status4xx} 4xx, ${figures.status5xx} 5xx, ${figures.crashes} crashes`,
    );
    for (const [name, k] of byKind)
      console.log(
        `fuzz ${name}: ${k.requests} requests, ${k.status4xx} 4xx, ${k.status5xx} 5xx, ${k.crashes} crashes${k.other ? `, ${k.other} other` : ''}`,
      );
    console.log(`[fuzz] ${JSON.stringify(figures)}`);

    expect(failures.filter((f) => /^5\d\d /.test(f)).slice(0, 30)).toEqual([]);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(figures.status5xx).toBe(0);
    expect(figures.crashes).toBe(0);
    expect(figures.touchpoints).toBeGreaterThanOrEqual(target);
    // Still alive and serving.
    expect((await p.request('GET', '/healthz', { role: null })).status).toBe(200);
    expect((await p.request('GET', '/api/v1/me', { role: 'agent' })).status).toBe(200);
    // Nothing written: no job queued, no touchpoint, identity or customer stored.
    const counts = await p.server.ctx.ingestQueue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    for (const index of ['touchpoints', 'identities', 'customers']) {
      await es.indices.refresh({ index: `${p.prefix}-${index}` });
      // The customers index holds the seeded profile only.
      expect((await es.count({ index: `${p.prefix}-${index}` })).count, index).toBe(
        index === 'customers' ? 1 : 0,
      );
    }
    await es.close();
  });
});
