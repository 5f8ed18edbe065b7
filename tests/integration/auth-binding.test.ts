/**
 * Login tokens bound to the account's immutable id, rate limits that count
 * the caller and not the spelling of its header or the address it claims,
 * and password hashes upgraded to today's strength at login.
 */
import { Redis } from 'ioredis';
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { accountsVersionKey } from '../../infra/src/shared-keys';
import { AccountStore } from '../../server/src/auth/account-store';
import type { RunningServer } from '../../server/src/server';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

const limits = { apiPerMinute: 5, loginPerMinute: 3 };
let p: TestPanorama;
/** A second API process of the same installation that trusts a proxy on loopback (the test's requests come from there). */
let behindProxy: RunningServer;

beforeAll(async () => {
  p = await startPanorama({ server: { hardening: limits } });
  behindProxy = await p.startAnotherApi({ hardening: { ...limits, trustProxy: 'loopback' } });
});
afterAll(async () => {
  await p?.close();
});

/** Each test starts with fresh rate-limit counters: the budgets are small. */
beforeEach(async () => {
  const redis = new Redis(serviceUrls().redisUrl);
  const keys = await redis.keys(`${p.prefix}:rate-limit:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function call(
  method: string,
  route: string,
  options: {
    authorization?: string;
    body?: unknown;
    headers?: Record<string, string>;
    base?: string;
  } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${options.base ?? p.url}${route}`, {
    method,
    headers: {
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const login = (
  username: string,
  password: string,
  options: { headers?: Record<string, string>; base?: string } = {},
) => call('POST', '/api/v1/auth/login', { body: { username, password }, ...options });
const asAdmin = (method: string, route: string, body?: unknown) =>
  call(method, route, { authorization: `Bearer ${p.keys.admin}`, body });

async function storedUser(username: string): Promise<Record<string, unknown> | undefined> {
  const es = createElasticsearch(serviceUrls().elasticsearchUrl);
  try {
    const doc = await es.get<Record<string, unknown>>({
      index: `${p.prefix}-accounts`,
      id: `user:${username}`,
    });
    return doc._source;
  } finally {
    await es.close();
  }
}

describe('a login token', () => {
  it('of a user deleted and created again under the same name is refused; the new login works', async () => {
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', {
          username: 'x.agent',
          role: 'agent',
          password: 'first-password-1',
        })
      ).status,
    ).toBe(201);
    const first = await login('x.agent', 'first-password-1');
    expect(first.status).toBe(200);
    const oldToken: string = first.body.token;
    expect((await call('GET', '/api/v1/me', { authorization: `Bearer ${oldToken}` })).status).toBe(
      200,
    );
    const firstId = (await storedUser('x.agent'))?.id;
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);

    expect((await asAdmin('DELETE', '/api/v1/admin/users/x.agent')).status).toBe(200);
    // The same name, the same role, even the same password: another account.
    expect(
      (
        await asAdmin('POST', '/api/v1/admin/users', {
          username: 'x.agent',
          role: 'agent',
          password: 'first-password-1',
        })
      ).status,
    ).toBe(201);
    expect((await storedUser('x.agent'))?.id).not.toBe(firstId);
    const refused = await call('GET', '/api/v1/me', { authorization: `Bearer ${oldToken}` });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');

    const second = await login('x.agent', 'first-password-1');
    expect(second.status).toBe(200);
    expect(
      (await call('GET', '/api/v1/me', { authorization: `Bearer ${second.body.token}` })).body,
    ).toEqual({ name: 'x.agent', role: 'agent' });
  });

  it('with a suffix, padding or a third segment is refused', async () => {
    const session = await login('agent', p.passwords.agent);
    const token: string = session.body.token;
    for (const variant of [`${token}.x`, `${token}=`, `${token}.`]) {
      expect(
        (await call('GET', '/api/v1/me', { authorization: `Bearer ${variant}` })).status,
        variant.slice(-3),
      ).toBe(401);
    }
    expect((await call('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).status).toBe(
      200,
    );
  });
});

describe('the API rate limit', () => {
  it('counts one API key as one caller however its header is spelled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < limits.apiPerMinute; i++)
      statuses.push(
        (await call('GET', '/api/v1/me', { authorization: `Bearer ${p.keys.manager}` })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const spelling of [
      `bearer ${p.keys.manager}`,
      `BEARER ${p.keys.manager}`,
      `Bearer   ${p.keys.manager}`,
      `Bearer\t${p.keys.manager}`,
      `Bearer ${p.keys.manager}x`,
      `Bearer ${p.keys.manager} x`,
    ]) {
      const res = await call('GET', '/api/v1/me', { authorization: spelling });
      // The same key: over its budget. A changed key: nobody (401), never a fresh budget.
      expect([429, 401], JSON.stringify(spelling.replace(p.keys.manager, '<key>'))).toContain(
        res.status,
      );
      expect(res.status).not.toBe(200);
    }
    // Another caller has a budget of its own.
    expect(
      (await call('GET', '/api/v1/me', { authorization: `Bearer ${p.keys.analyst}` })).status,
    ).toBe(200);
  });

  it('counts one login token as one caller, suffixes and re-spellings included', async () => {
    const session = await login('analyst', p.passwords.analyst);
    const token: string = session.body.token;
    for (let i = 0; i < limits.apiPerMinute; i++)
      expect((await call('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).status).toBe(
        200,
      );
    for (const spelling of [
      `bearer ${token}`,
      `Bearer  ${token}`,
      `Bearer ${token}.suffix`,
      `Bearer ${token}=`,
    ]) {
      expect((await call('GET', '/api/v1/me', { authorization: spelling })).status).not.toBe(200);
    }
  });
});

describe('the login rate limit', () => {
  it('is not fooled by X-Forwarded-For when no proxy is trusted: every address claimed counts as the socket', async () => {
    const statuses: number[] = [];
    // Other usernames each time, so only the address limit can refuse.
    for (let i = 0; i < limits.loginPerMinute + 2; i++) {
      statuses.push(
        (
          await login(`nobody-${i}`, 'wrong', {
            headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('behind a trusted proxy counts the forwarded address, and failed logins per username from all addresses together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < limits.loginPerMinute + 1; i++) {
      statuses.push(
        (
          await login('manager', `wrong-${i}`, {
            base: behindProxy.url,
            headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
          })
        ).status,
      );
    }
    // Every attempt came from a new address: only the username's count refuses the fourth.
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await login('manager', p.passwords.manager, {
      base: behindProxy.url,
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // Another username from a new address is not affected.
    expect(
      (
        await login('agent', p.passwords.agent, {
          base: behindProxy.url,
          headers: { 'x-forwarded-for': '198.51.100.100' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('a password hash of the earlier format (scrypt N=2^14, no parameters in it)', () => {
  it('still logs in, is replaced by a hash at N=2^17, and the account, stored before ids existed, gets an id; tokens stay valid', async () => {
    const salt = randomBytes(16);
    const legacyHash = `scrypt$${salt.toString('base64')}$${scryptSync('legacy-password-1', salt, 32, { N: 16_384, r: 8, p: 1 }).toString('base64')}`;
    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    // As an earlier version stored it: no id, the old hash.
    await es.index({
      index: `${p.prefix}-accounts`,
      id: 'user:old.timer',
      document: {
        kind: 'user',
        username: 'old.timer',
        role: 'agent',
        passwordHash: legacyHash,
        tokenGeneration: 0,
        updatedAt: new Date().toISOString(),
      },
      refresh: 'wait_for',
    });
    await es.close();
    // Tell the API processes the accounts changed, as the store itself would.
    await p.server.ctx.redis.incr(accountsVersionKey(p.server.ctx.queues));

    expect((await login('old.timer', 'wrong-password')).status).toBe(401);
    expect((await storedUser('old.timer'))?.passwordHash).toBe(legacyHash);
    const first = await login('old.timer', 'legacy-password-1');
    expect(first.status).toBe(200);
    const stored = await storedUser('old.timer');
    expect(stored?.passwordHash).toMatch(
      /^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
    );
    expect(stored?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored?.tokenGeneration).toBe(0);

    // The same password with the new hash; the token from before the upgrade still works (same password, same sessions).
    const second = await login('old.timer', 'legacy-password-1');
    expect(second.status).toBe(200);
    expect((await storedUser('old.timer'))?.passwordHash).toBe(stored?.passwordHash);
    expect(
      (await call('GET', '/api/v1/me', { authorization: `Bearer ${first.body.token}` })).status,
    ).toBe(200);
    expect(
      (await call('GET', '/api/v1/me', { authorization: `Bearer ${second.body.token}` })).status,
    ).toBe(200);
  });
});

describe('an account stored before accounts had ids', () => {
  it('gets one id, the same for two API processes that read it at the same moment', async () => {
    const es = createElasticsearch(serviceUrls().elasticsearchUrl);
    const redis = new Redis(serviceUrls().redisUrl);
    try {
      await es.index({
        index: `${p.prefix}-accounts`,
        id: 'user:two.readers',
        document: {
          kind: 'user',
          username: 'two.readers',
          role: 'analyst',
          passwordHash: 'scrypt$AAAA$AAAA',
          tokenGeneration: 2,
          updatedAt: new Date().toISOString(),
        },
        refresh: 'wait_for',
      });
      const options = {
        es,
        redis,
        index: `${p.prefix}-accounts`,
        versionKey: accountsVersionKey(p.server.ctx.queues),
      };
      const [a, b] = await Promise.all([
        new AccountStore(options).user('two.readers', { fresh: true }),
        new AccountStore(options).user('two.readers', { fresh: true }),
      ]);
      expect(a?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(b?.id).toBe(a?.id);
      // Only the id was added: the rest of the account is as it was.
      expect(await storedUser('two.readers')).toMatchObject({
        id: a?.id,
        role: 'analyst',
        tokenGeneration: 2,
        passwordHash: 'scrypt$AAAA$AAAA',
      });
    } finally {
      redis.disconnect();
      await es.close();
    }
  });
});
