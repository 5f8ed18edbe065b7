/**
 * Issue 6: a fuzz test. Thousands of malformed or hostile touchpoints and
 * queries (wrong types, huge strings, deep nesting, unicode edge cases,
 * injection attempts), generated from a fixed seed so a failure replays.
 * Every malformed request must answer 4xx with the contract's error body,
 * never 5xx; the process keeps running; nothing is written.
 *
 * FUZZ_TOUCHPOINTS (default 10,000) sets how many hostile touchpoints are sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
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
  (tp) => (tp.source = pick([123, null, true, {}, [], 'UPPER', 'with space', 'x'.repeat(41), '', 'shöp', '\u0000', '$where', pick(hostile) + '!'])),
  (tp) => (tp.id = pick([null, 42, {}, [], '', 'x'.repeat(201), 'y'.repeat(100_000)])),
  (tp) => (tp.type = pick(['unknown', 'ORDER', '', null, 7, ['order'], { $ne: null }, pick(hostile) + '#'])),
  (tp) => (tp.occurredAt = pick(['yesterday', '', 0, 1_700_000_000, null, '2026-13-45T25:61:00Z', '2026-10-02', { $gt: '' }, pick(hostile)])),
  (tp) => (tp.version = pick([-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2, {}, [1]])),
  (tp) => (tp.deleted = pick(['yes', 1, 'true', {}])),
  (tp) => (tp.customer = pick([null, 'fuzz@example.com', [], {}, { firstName: 'No Identifier' }, { email: 5 }, { email: 'x'.repeat(400) }, { phone: 'x'.repeat(61) }, { email: 'a@b.c', birthDate: 'long ago' }, { email: 'a@b.c', address: 'street' }, { email: 'a@b.c', customerNumber: '' }, { email: 'a@b.c', firstName: 'x'.repeat(501) }])),
  (tp) => (tp.customer = { email: 'a@b.c', address: deep(50 + Math.floor(random() * 500)) }),
  (tp) => (tp.data = pick([null, 'data', [], 42, { orderNumber: 'F', total: 'a lot', currency: 'EUR' }, { orderNumber: 'F', total: 1, currency: 'EURO' }, { total: 1, currency: 'EUR' }, { orderNumber: 'F', total: Infinity as unknown as number, currency: 'EUR' }, { orderNumber: 'F', total: 1, currency: 'EUR', items: 'many' }, { orderNumber: 'F', total: 1, currency: 'EUR', items: [deep(100)] }])),
  (tp) => {
    tp.type = 'ticket';
    tp.data = { ticketNumber: pick(hostile), subject: 'x', status: pick(['reopened', '', 5, null]) };
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
    Object.defineProperty(tp, '__proto__', { value: { isAdmin: true }, enumerable: true, configurable: true, writable: true });
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
  role: 'ingest' | 'agent' | 'analyst' | 'admin' | null;
  raw?: string;
  contentType?: string;
  /** Touchpoints in this request. */
  touchpoints: number;
  /** A well-formed request with hostile content may succeed (e.g. a search for "<script>"): it must still never be 5xx. */
  mayPass?: boolean;
}

function touchpointProbe(): Probe {
  const count = random() < 0.3 ? 1 : 1 + Math.floor(random() * 40);
  const items = Array.from({ length: count }, hostileTouchpoint);
  const wrap = random() < 0.5;
  return { method: 'POST', route: '/api/v1/touchpoints', role: 'ingest', raw: JSON.stringify(wrap ? { touchpoints: items } : items), touchpoints: count };
}

function ndjsonProbe(): Probe {
  const count = 1 + Math.floor(random() * 20);
  const lines = Array.from({ length: count }, () => (random() < 0.3 ? pick(['{not json', '[', '"string"', 'null', '1e309', '\u0000', '}{']) : JSON.stringify(hostileTouchpoint())));
  return { method: 'POST', route: '/api/v1/touchpoints', role: 'ingest', raw: lines.join('\n'), contentType: 'application/x-ndjson', touchpoints: count };
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
  const contentType = pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/x-ndjson']);
  return { method: 'POST', route: '/api/v1/touchpoints', role: 'ingest', raw, contentType, touchpoints: 0 };
}

/** Percent-encodes; a lone surrogate goes out as its (invalid) UTF-8 bytes, which the server must survive too. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').split('%').map((part, i) => (i === 0 ? encodeURIComponent(part) : `${part.slice(0, 2)}${encodeURIComponent(part.slice(2))}`)).join('%');
  }
}
function queryProbe(): Probe {
  const kind = Math.floor(random() * 9);
  switch (kind) {
    case 0:
      return { method: 'GET', route: `/api/v1/customers/search?q=${enc('x'.repeat(201 + Math.floor(random() * 10_000)))}`, role: 'agent', touchpoints: 0 };
    case 1:
      return { method: 'GET', route: `/api/v1/customers/search?q=a&size=${enc(pick(['0', '-1', '101', 'abc', '1e9', '', '[]', 'NaN', '2.5']))}`, role: 'agent', touchpoints: 0 };
    case 2:
      return { method: 'GET', route: `/api/v1/customers/search?q=a&from=${enc(pick(['-1', '10001', '9950&size=100', '10000&size=100', 'x', '1e12', '9999999999999999999']))}`, role: 'agent', touchpoints: 0 };
    case 3:
      return { method: 'GET', route: `/api/v1/customers/search?q=a&f.${enc(pick(['unknown', 'search.names', '__proto__', 'constructor', 'x'.repeat(300), pick(hostile)]))}=x`, role: 'analyst', touchpoints: 0 };
    case 4:
      // Bracket keys are not `q` for Express 5's simple query parser: ignored like any unknown parameter, so this may pass.
      return { method: 'GET', route: `/api/v1/customers/search?q[]=a&q[]=b&q[$ne]=c`, role: 'agent', touchpoints: 0, mayPass: true };
    case 5:
      return { method: 'GET', route: `/api/v1/customers/${enc(pick(['../../_search', '*', '_all', 'x'.repeat(65), 'a b', '%00', '<script>', "' OR 1=1"]))}/timeline?types=${enc(pick(['order', 'nope', '*', '']))}`, role: 'agent', touchpoints: 0 };
    case 6:
      return { method: 'GET', route: `/api/v1/customers/abc123/timeline?size=${enc(pick(['0', '201', 'x', '-5']))}&types=${enc(pick(['order,nope', 'ORDER', '__proto__']))}`, role: 'agent', touchpoints: 0 };
    case 7:
      return { method: 'GET', route: `/api/v1/audit?${pick(['action=peek', 'size=0', 'size=1000', 'from=yesterday', 'to=1', 'offset=-1', 'customerId=' + enc('a b*'), 'actor=', 'unknown=1'])}`, role: 'admin', touchpoints: 0 };
    default:
      // Well-formed searches with hostile text: they may answer 200 (with no hits), never 5xx.
      return { method: 'GET', route: `/api/v1/customers/search?q=${enc(pick(hostile).slice(0, 200))}&size=${1 + Math.floor(random() * 100)}&from=${Math.floor(random() * 9_900)}`, role: 'agent', touchpoints: 0, mayPass: true };
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
  return { method: 'POST', route: '/api/v1/auth/login', role: null, raw: JSON.stringify(body), touchpoints: 0 };
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

    const figures = { requests: 0, touchpoints, status4xx: 0, status2xx: 0, status5xx: 0, other: 0, crashes: 0, unclear: 0, ms: 0 };
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        const headers: Record<string, string> = {};
        if (probe.raw !== undefined) headers['content-type'] = probe.contentType ?? 'application/json';
        let res;
        try {
          res = await p.request(probe.method, probe.route, { role: probe.role, raw: probe.raw, headers });
        } catch (error) {
          figures.crashes++;
          failures.push(`${probe.method} ${probe.route.slice(0, 120)}: ${(error as Error).message}`);
          continue;
        }
        figures.requests++;
        if (res.status >= 500) {
          figures.status5xx++;
          failures.push(`${res.status} ${probe.method} ${probe.route.slice(0, 120)} ${String(probe.raw ?? '').slice(0, 120)} → ${JSON.stringify(res.body).slice(0, 200)}`);
        } else if (res.status >= 400) {
          figures.status4xx++;
          const message = res.body?.error?.message;
          if (typeof message !== 'string' || message.length < 10) {
            // A batch answer lists each rejected item instead of one message.
            if (!(Array.isArray(res.body?.rejected) && res.body.rejected.every((r: { errors: unknown[] }) => r.errors.length > 0))) {
              figures.unclear++;
              failures.push(`unclear ${res.status} ${probe.route.slice(0, 80)} → ${JSON.stringify(res.body).slice(0, 200)}`);
            }
          }
        } else if (res.status >= 200 && res.status < 300) {
          figures.status2xx++;
          if (!probe.mayPass) failures.push(`accepted ${res.status} ${probe.method} ${probe.route.slice(0, 80)} ${String(probe.raw ?? '').slice(0, 300)}`);
        } else figures.other++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    figures.ms = Date.now() - started;
    console.log(`[fuzz] ${JSON.stringify(figures)}`);

    expect(failures.filter((f) => /^5\d\d /.test(f)).slice(0, 10)).toEqual([]);
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
      expect((await es.count({ index: `${p.prefix}-${index}` })).count, index).toBe(0);
    }
    await es.close();
  });
});
