/**
 * Protection by construction, tried as an attacker would: every route of
 * /api/v1 declares its policy (a route without one stops the API), every role
 * on every route, the path spellings Express would also match, HEAD, caching,
 * the README's route × role table, stream tickets and caps.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import { apiRoutes } from '../../server/src/app';
import {
  assertEveryRoutePoliced,
  routesOf,
  routeTable,
  shownTo,
  strictRouter,
} from '../../server/src/privacy/route-policy';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let id: string;
const roles: Role[] = ['ingest', 'agent', 'manager', 'analyst', 'admin'];

beforeAll(async () => {
  p = await startPanorama();
  const accepted = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'crm',
        id: 'P-1',
        type: 'profile',
        occurredAt: '2026-10-01T10:00:00Z',
        customer: {
          customerNumber: 'K-77001',
          email: 'wilhelmina.zauberkraut@example.org',
          phone: '+49 170 7700123',
          firstName: 'Wilhelmina',
          lastName: 'Zauberkraut',
          birthDate: '1979-03-14',
          address: { street: 'Quittenweg 17', postalCode: '80331', city: 'München', country: 'DE' },
        },
        data: { segment: 'gold' },
      },
      {
        source: 'desk',
        id: 'T-1',
        type: 'ticket',
        occurredAt: '2026-10-02T10:00:00Z',
        customer: { customerNumber: 'K-77001' },
        data: { ticketNumber: 'TCK-1', subject: 'Parcel never arrived', status: 'open' },
      },
    ],
  });
  expect(accepted.status).toBe(202);
  await p.waitUntilIndexed();
  const found = await p.request('GET', '/api/v1/customers/search?q=K-77001', { role: 'admin' });
  id = found.body.items[0].id;
}, 180_000);

afterAll(async () => {
  await p?.close();
});

const auditOf = async (action: string) => {
  await p.server.ctx.audit.flush(true);
  const res = await p.request('GET', `/api/v1/audit?customerId=${id}&action=${action}&size=200`, {
    role: 'admin',
  });
  return res.body.items as { actor: string; method: string; route: string }[];
};

describe('every route declares its policy', () => {
  it('walks the router stack: each /api/v1 route has a policy on its first handler', () => {
    const routes = routesOf(apiRoutes(p.server.ctx));
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('refuses to start an API with a route registered without a policy', () => {
    const router = strictRouter();
    router.get('/customers/:id/secret', (_req, res) => {
      res.json({ everything: true });
    });
    expect(() => assertEveryRoutePoliced(router)).toThrow(/GET \/customers\/:id\/secret/);
  });

  it('the README shows the table the policies make', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(routeTable(routesOf(apiRoutes(p.server.ctx))));
  });
});

describe('every role on every route', () => {
  // Routes that change or erase: only refused callers are sent (the gate decides before any work).
  const changes = (method: string) => method !== 'GET';
  const pathOf = (path: string) =>
    `/api/v1${path}`
      .replace(':id/undo', 'aunknown1/undo')
      .replace(':source', 'crm')
      .replace(':username', 'nobody')
      .replace(':name', 'nokey')
      .replace(/:id/g, path.startsWith('/segments') ? 'no-such-segment' : id);

  it('a role the policy does not name gets 403, no credentials 401, and a named role gets past the gate', async () => {
    const routes = routesOf(apiRoutes(p.server.ctx));
    const problems: string[] = [];
    for (const route of routes) {
      const spec = route.policy!;
      if (spec.roles === 'public') continue;
      const url = pathOf(route.path) + (route.path.endsWith('/stream') ? '?range=24h' : '');
      const anonymous = await p.request(route.method, url, {
        role: null,
        body: route.method === 'GET' ? undefined : {},
      });
      if (anonymous.status !== 401)
        problems.push(`${route.method} ${route.path} without credentials: ${anonymous.status}`);
      for (const role of roles) {
        const allowed = spec.roles.includes(role);
        if (allowed && (changes(route.method) || route.path.endsWith('/stream'))) continue;
        const res = await p.request(route.method, url, {
          role,
          body: route.method === 'GET' ? undefined : {},
        });
        if (!allowed && (res.status !== 403 || res.body?.error?.code !== 'forbidden'))
          problems.push(`${route.method} ${route.path} as ${role}: ${res.status}, expected 403`);
        // A guard may still refuse a request it reads as an oracle (its own 403); the gate itself must let the role in.
        const refusedByGate =
          res.status === 403 && String(res.body?.error?.message).includes('may not use this route');
        if (allowed && (res.status === 401 || refusedByGate || res.status >= 500))
          problems.push(
            `${route.method} ${route.path} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`,
          );
        if (shownTo(spec, role) === '403' && allowed)
          problems.push(`${route.method} ${route.path}: table and policy disagree for ${role}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('path spellings an attacker tries', () => {
  it('another case or a trailing slash is a 404 for every role, never the answer without its policy', async () => {
    const variants: [string, string][] = [
      ['GET', '/api/v1/Customers/search?q=Zauberkraut'],
      ['GET', '/api/v1/CUSTOMERS/search?q=Zauberkraut'],
      ['GET', `/api/v1/customers/${id}/Timeline`],
      ['GET', `/api/v1/CUSTOMERS/${id}`],
      ['GET', '/api/v1/Touchpoints/desk/T-1'],
      ['GET', `/API/V1/customers/${id}`],
      ['GET', `/api/V1/customers/${id}`],
      ['GET', '/api/v1/customers/search/?q=Zauberkraut'],
      ['GET', `/api/v1/customers/${id}/`],
      ['GET', `/api/v1/customers/${id}/timeline/`],
      ['POST', '/api/v1/Analytics/query'],
      ['POST', '/api/v1/Exports/customers'],
      ['HEAD', `/api/v1/Customers/${id}`],
      ['GET', '/api/v1/Identity/duplicates'],
      ['GET', '/api/v1/identity/duplicates/'],
      ['HEAD', '/api/v1/identity/Duplicates'],
      ['POST', '/api/v1/identity/duplicates/Decisions'],
      ['POST', '/api/v1/identity/duplicates/decisions/'],
      ['GET', '/api/v1/identity/duplicates/Labels?format=csv'],
      ['GET', '/api/v1/identity/duplicates/labels/?format=json'],
    ];
    for (const role of ['manager', 'analyst'] as Role[]) {
      for (const [method, url] of variants) {
        const res = await p.request(method, url, {
          role,
          body: method === 'POST' ? { page: { size: 10 } } : undefined,
        });
        expect(res.status, `${role} ${method} ${url}`).toBe(404);
        if (method !== 'HEAD')
          expect(res.body?.error?.code, `${role} ${method} ${url}`).toBe('not_found');
        expect(JSON.stringify(res.body ?? '')).not.toMatch(
          /Zauberkraut|Wilhelmina|zauberkraut@|Quittenweg/,
        );
      }
    }
  });

  it('a percent-encoded id reaches the same policy: masked for a manager, and audited', async () => {
    const encoded = `%${id.charCodeAt(0).toString(16)}${id.slice(1)}`;
    const res = await p.request('GET', `/api/v1/customers/${encoded}`, { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(JSON.stringify(res.body)).not.toMatch(
      /Zauberkraut|Wilhelmina|wilhelmina\.zauberkraut|Quittenweg|1979-03-14|7700123/,
    );
    const timeline = await p.request('GET', `/api/v1/customers/${encoded}/timeline`, {
      role: 'analyst',
    });
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).not.toMatch(/Zauberkraut|Wilhelmina|Quittenweg/);
    const views = await auditOf('view');
    expect(views.some((e) => e.actor === p.actors.manager && e.route === '/customers/{id}')).toBe(
      true,
    );
    const timelines = await auditOf('timeline');
    expect(timelines.some((e) => e.actor === p.actors.analyst)).toBe(true);
  });

  it('an encoded slash or a decoded id that is no id is a 404', async () => {
    for (const url of [
      `/api/v1/customers/%2F${id}`,
      `/api/v1/customers/${id}%2Ftimeline`,
      '/api/v1/customers/..%2F..%2Faudit',
    ]) {
      const res = await p.request('GET', url, { role: 'manager' });
      expect(res.status, url).toBe(404);
    }
  });

  it('HEAD goes through the same policy as GET: refused to ingest, audited for a manager, no body', async () => {
    expect((await p.request('HEAD', `/api/v1/customers/${id}`, { role: 'ingest' })).status).toBe(
      403,
    );
    expect((await p.request('HEAD', `/api/v1/customers/${id}`, { role: null })).status).toBe(401);
    const res = await p.request('HEAD', `/api/v1/customers/${id}`, { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
    const views = await auditOf('view');
    expect(views.some((e) => e.method === 'HEAD' && e.actor === p.actors.manager)).toBe(true);
    const search = await p.request('HEAD', '/api/v1/customers/search?q=&f.segment=gold', {
      role: 'analyst',
    });
    expect(search.status).toBe(200);
  });

  it('answers that may carry personal data are never cached', async () => {
    for (const url of [
      `/api/v1/customers/${id}`,
      `/api/v1/customers/${id}/timeline`,
      '/api/v1/customers/search?q=K-77001',
    ]) {
      const res = await p.request('GET', url, { role: 'agent' });
      expect(res.headers.get('cache-control'), url).toBe('no-store');
    }
    const refused = await p.request('GET', `/api/v1/customers/${id}`, { role: 'ingest' });
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('live dashboard streams', () => {
  const openStream = async (ticket: string, signal: AbortSignal) =>
    fetch(`${p.url}/api/v1/analytics/dashboard/stream?range=24h&ticket=${ticket}`, { signal });
  const ticketFor = async (authorization: string) => {
    const res = await fetch(`${p.url}/api/v1/auth/stream-ticket`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: string }).ticket;
  };
  const eventsOf = (res: Response) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    return async (pattern: RegExp, timeoutMs: number): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text) && Date.now() < deadline) {
        const next = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now()))),
        ]);
        if (!next || next.done) break;
        text += decoder.decode(next.value, { stream: true });
      }
      return text;
    };
  };

  it("closes a removed user's open stream within seconds", async () => {
    const created = await p.request('POST', '/api/v1/admin/users', {
      role: 'admin',
      body: { username: 'watcher', role: 'manager', password: 'a-long-password-1' },
    });
    expect(created.status).toBe(201);
    const login = await p.request('POST', '/api/v1/auth/login', {
      role: null,
      body: { username: 'watcher', password: 'a-long-password-1' },
    });
    const controller = new AbortController();
    const res = await openStream(await ticketFor(`Bearer ${login.body.token}`), controller.signal);
    expect(res.status).toBe(200);
    const until = eventsOf(res);
    expect(await until(/event: panels/, 20_000)).toContain('event: panels');
    const removedAt = Date.now();
    expect(
      (await p.request('DELETE', '/api/v1/admin/users/watcher', { role: 'admin' })).status,
    ).toBe(200);
    expect(await until(/event: revoked/, 10_000)).toContain('event: revoked');
    expect(Date.now() - removedAt).toBeLessThan(8_000);
    controller.abort();
  });

  it('allows at most five open streams per principal', async () => {
    const controller = new AbortController();
    const open: Response[] = [];
    for (let i = 0; i < 5; i++)
      open.push(await openStream(await ticketFor(`Bearer ${p.keys.analyst}`), controller.signal));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await openStream(await ticketFor(`Bearer ${p.keys.analyst}`), controller.signal);
    expect(sixth.status).toBe(429);
    expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe(
      'too_many_requests',
    );
    // Another principal has its own budget.
    const other = await openStream(await ticketFor(`Bearer ${p.keys.manager}`), controller.signal);
    expect(other.status).toBe(200);
    controller.abort();
  });
});
