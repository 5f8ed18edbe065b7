/**
 * Several API processes behind a load balancer agree on users, API
 * keys, revoked tokens and rate limits, because all of it is shared (accounts
 * in Elasticsearch, their version and the rate-limit counters in Redis).
 * Two API instances run here against the same indices and Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/server';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

const limits = { apiPerMinute: 30, loginPerMinute: 20 };
let p: TestPanorama;
let other: RunningServer;

beforeAll(async () => {
  p = await startPanorama({ server: { hardening: limits } });
  // The second process of the same installation: same secret, same environment keys, its first start's accounts already seeded.
  other = await p.startAnotherApi({ hardening: limits });
});
afterAll(async () => {
  await p?.close();
});

const one = () => p.url;
const two = () => other.url;

async function call(
  base: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const login = (base: string, username: string, password: string) =>
  call(base, 'POST', '/api/v1/auth/login', { body: { username, password } });

/** Starts each test with fresh rate-limit counters, so the logins of one test do not use up the next one's budget. */
async function resetRateLimits(): Promise<void> {
  const redis = new Redis(serviceUrls().redisUrl);
  const keys = await redis.keys(`${p.prefix}:rate-limit:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

describe('two API processes', () => {
  it('a user created through one logs in on the other at once, and its token works on both', async () => {
    await resetRateLimits();
    const created = await call(one(), 'POST', '/api/v1/admin/users', {
      token: p.keys.admin,
      body: { username: 'shared.agent', role: 'agent', password: 'shared-password-1' },
    });
    expect(created.status).toBe(201);
    const session = await login(two(), 'shared.agent', 'shared-password-1');
    expect(session.status).toBe(200);
    expect((await call(one(), 'GET', '/api/v1/me', { token: session.body.token })).body).toEqual({
      name: 'shared.agent',
      role: 'agent',
    });
    expect(
      (await call(two(), 'GET', '/api/v1/admin/users', { token: p.keys.admin })).body.items,
    ).toEqual(expect.arrayContaining([{ username: 'shared.agent', role: 'agent' }]));
    // The first start's users (seeded once, by the first process) log in on the second too.
    expect((await login(two(), 'analyst', p.passwords.analyst)).status).toBe(200);
  });

  it('a password changed on one refuses the older tokens on the other within a second; the new password works there at once', async () => {
    await resetRateLimits();
    const token = (await login(two(), 'shared.agent', 'shared-password-1')).body.token as string;
    expect((await call(two(), 'GET', '/api/v1/me', { token })).status).toBe(200);
    const changed = await call(one(), 'PUT', '/api/v1/admin/users/shared.agent', {
      token: p.keys.admin,
      body: { password: 'shared-password-2' },
    });
    expect(changed.status).toBe(200);
    const started = Date.now();
    await expect
      .poll(async () => (await call(two(), 'GET', '/api/v1/me', { token })).status, {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(401);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect((await call(one(), 'GET', '/api/v1/me', { token })).status).toBe(401);
    expect((await login(two(), 'shared.agent', 'shared-password-1')).status).toBe(401);
    const fresh = (await login(two(), 'shared.agent', 'shared-password-2')).body.token as string;
    expect((await call(one(), 'GET', '/api/v1/me', { token: fresh })).status).toBe(200);
  });

  it('an API key made on one works on the other at once, and once revoked there is refused on the other too', async () => {
    await resetRateLimits();
    const created = await call(two(), 'POST', '/api/v1/admin/api-keys', {
      token: p.keys.admin,
      body: { name: 'feed two', role: 'ingest' },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect((await call(one(), 'GET', '/api/v1/ingest/status', { token: key })).status).toBe(200);
    expect(
      (
        await call(one(), 'DELETE', `/api/v1/admin/api-keys/${encodeURIComponent('feed two')}`, {
          token: p.keys.admin,
        })
      ).status,
    ).toBe(200);
    await expect
      .poll(
        async () => (await call(two(), 'GET', '/api/v1/ingest/status', { token: key })).status,
        { timeout: 5_000, interval: 100 },
      )
      .toBe(401);
  });

  it('three admins each demoting another at the same moment, through both processes, leave one admin: the count is taken under a shared lock', async () => {
    await resetRateLimits();
    const password = 'race-password-123';
    for (const username of ['race.one', 'race.two']) {
      expect(
        (
          await call(one(), 'POST', '/api/v1/admin/users', {
            token: p.keys.admin,
            body: { username, role: 'admin', password },
          })
        ).status,
      ).toBe(201);
    }
    const admins = async () =>
      (
        (await call(two(), 'GET', '/api/v1/admin/users', { token: p.keys.admin })).body.items as {
          username: string;
          role: string;
        }[]
      )
        .filter((u) => u.role === 'admin')
        .map((u) => u.username)
        .sort();
    expect(await admins()).toEqual(['admin', 'race.one', 'race.two']);
    const token = async (username: string) =>
      (await login(one(), username, username === 'admin' ? p.passwords.admin : password)).body
        .token as string;
    const [admin, raceOne, raceTwo] = [
      await token('admin'),
      await token('race.one'),
      await token('race.two'),
    ];
    // Each of them takes the next one's admin rights, all three at once: each alone would be allowed (three admins).
    const demote = (base: string, actor: string, username: string) =>
      call(base, 'PUT', `/api/v1/admin/users/${username}`, {
        token: actor,
        body: { role: 'agent' },
      });
    const answers = await Promise.all([
      demote(one(), admin, 'race.one'),
      demote(two(), raceOne, 'race.two'),
      demote(one(), raceTwo, 'admin'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error.message).toContain('last admin');
    expect(await admins()).toHaveLength(1);
    // Back as before, through the admin API key (a promotion needs no count).
    for (const username of ['admin', 'race.one', 'race.two'])
      await call(two(), 'PUT', `/api/v1/admin/users/${username}`, {
        token: p.keys.admin,
        body: { role: 'admin' },
      });
    for (const username of ['race.one', 'race.two'])
      expect(
        (await call(one(), 'DELETE', `/api/v1/admin/users/${username}`, { token: p.keys.admin }))
          .status,
      ).toBe(200);
    expect(await admins()).toEqual(['admin']);
  });

  it('counts login attempts from one address across both processes', async () => {
    await resetRateLimits();
    const statuses: number[] = [];
    for (let i = 0; i < limits.loginPerMinute; i++)
      statuses.push(
        (await login(i % 2 === 0 ? one() : two(), 'shared.agent', `wrong-${i}`)).status,
      );
    // Each process saw only half of the attempts, yet the next one is refused by both.
    expect(statuses.every((s) => s === 401)).toBe(true);
    const refusedOne = await login(one(), 'shared.agent', 'shared-password-2');
    const refusedTwo = await login(two(), 'shared.agent', 'shared-password-2');
    expect([refusedOne.status, refusedTwo.status]).toEqual([429, 429]);
    expect(refusedTwo.body.error.code).toBe('rate_limited');
  });

  it('counts API requests of one token across both processes', async () => {
    await resetRateLimits();
    const statuses: number[] = [];
    for (let i = 0; i < limits.apiPerMinute; i++)
      statuses.push(
        (await call(i % 2 === 0 ? one() : two(), 'GET', '/api/v1/me', { token: p.keys.manager }))
          .status,
      );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await call(two(), 'GET', '/api/v1/me', { token: p.keys.manager })).status).toBe(429);
    expect((await call(one(), 'GET', '/api/v1/me', { token: p.keys.analyst })).status).toBe(200);
  });
});

// The analyst's key: the rate-limit test above spends the manager's budget of this minute.
describe('running answers are counted over every process', () => {
  const ticket = async (url: string, key: string) => {
    const res = await fetch(`${url}/api/v1/auth/stream-ticket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { ticket: string }).ticket;
  };
  const stream = (url: string, t: string, signal: AbortSignal) =>
    fetch(`${url}/api/v1/analytics/dashboard/stream?range=24h&ticket=${t}`, { signal });

  it('a ticket from one process opens a stream on the other, and a caller has five streams in all, not five per process', async () => {
    const controller = new AbortController();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Issued by one process, redeemed by the other.
      const [issuer, opener] = i % 2 === 0 ? [one(), two()] : [two(), one()];
      statuses.push(
        (await stream(opener, await ticket(issuer, p.keys.analyst), controller.signal)).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(
      (await stream(one(), await ticket(one(), p.keys.analyst), controller.signal)).status,
    ).toBe(429);
    expect(
      (await stream(two(), await ticket(two(), p.keys.analyst), controller.signal)).status,
    ).toBe(429);
    controller.abort();
    // Closed streams give their leases back.
    await expect
      .poll(
        async () => {
          const res = await stream(
            two(),
            await ticket(one(), p.keys.analyst),
            AbortSignal.timeout(2_000),
          ).catch(() => null);
          return res?.status ?? 0;
        },
        { timeout: 10_000 },
      )
      .toBe(200);
  });
});
