/**
 * An admin manages users and API keys; changes take effect at once,
 * are stored in the shared accounts index (scrypt hashes, keys as SHA-256),
 * and are audited without secrets.
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

/** Everything the accounts index holds, as text. */
async function storedAccounts(): Promise<string> {
  const es = createElasticsearch(serviceUrls().elasticsearchUrl);
  const answer = await es.search({ index: `${p.prefix}-accounts`, size: 1_000 });
  await es.close();
  // The document id last: a user's source has an `id` of its own (the immutable account id).
  return JSON.stringify(answer.hits.hits.map((h) => ({ ...(h._source as object), id: h._id })));
}

async function login(username: string, password: string) {
  return p.request('POST', '/api/v1/auth/login', { role: null, body: { username, password } });
}

async function asToken(token: string, method: string, route: string) {
  const res = await fetch(`${p.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status;
}

describe('user administration', () => {
  it('lets an admin create a user who can then log in with the role given; the password is stored as a scrypt hash', async () => {
    const created = await p.request('POST', '/api/v1/admin/users', {
      body: { username: 'new.agent', role: 'agent', password: 'a-long-password-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: 'new.agent', role: 'agent', password: null });
    const session = await login('new.agent', 'a-long-password-1');
    expect(session.status).toBe(200);
    expect(session.body.role).toBe('agent');
    const stored = await storedAccounts();
    expect(stored).toContain('"id":"user:new.agent"');
    expect(stored).not.toContain('a-long-password-1');
    expect(stored).toMatch(/"username":"new.agent","role":"agent","passwordHash":"scrypt\$/);
    const list = await p.request('GET', '/api/v1/admin/users');
    expect(list.body.items).toEqual(
      expect.arrayContaining([{ username: 'new.agent', role: 'agent' }]),
    );
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
  });

  it('generates a password once when none is given', async () => {
    const created = await p.request('POST', '/api/v1/admin/users', {
      body: { username: 'gen.user', role: 'analyst' },
    });
    expect(created.status).toBe(201);
    expect(created.body.password).toMatch(/^\S{16}$/);
    expect((await login('gen.user', created.body.password)).status).toBe(200);
  });

  it('changes a role with immediate effect on tokens already issued', async () => {
    const token = (await login('new.agent', 'a-long-password-1')).body.token as string;
    expect(await asToken(token, 'GET', '/api/v1/dashboard')).toBe(403);
    expect(
      (await p.request('PUT', '/api/v1/admin/users/new.agent', { body: { role: 'manager' } }))
        .status,
    ).toBe(200);
    expect(await asToken(token, 'GET', '/api/v1/dashboard')).toBe(200);
    expect(
      (await p.request('PUT', '/api/v1/admin/users/new.agent', { body: { role: 'agent' } })).status,
    ).toBe(200);
  });

  it('changes a password and refuses tokens issued before', async () => {
    const token = (await login('new.agent', 'a-long-password-1')).body.token as string;
    expect(await asToken(token, 'GET', '/api/v1/customers/search?q=x')).toBe(200);
    const changed = await p.request('PUT', '/api/v1/admin/users/new.agent', {
      body: { role: 'analyst', password: 'another-password-2' },
    });
    expect(changed.status).toBe(200);
    // The password changed too: the old token is refused, a new login works.
    expect(await asToken(token, 'GET', '/api/v1/me')).toBe(401);
    expect((await login('new.agent', 'a-long-password-1')).status).toBe(401);
    expect((await login('new.agent', 'another-password-2')).status).toBe(200);
  });

  it('deletes a user: the login and every token of it stop working', async () => {
    const token = (
      await login(
        'gen.user',
        (
          await p.request('PUT', '/api/v1/admin/users/gen.user', {
            body: { password: 'known-password-3' },
          })
        ).status === 200
          ? 'known-password-3'
          : '',
      )
    ).body.token as string;
    expect((await p.request('DELETE', '/api/v1/admin/users/gen.user')).status).toBe(200);
    expect(await asToken(token, 'GET', '/api/v1/me')).toBe(401);
    expect((await login('gen.user', 'known-password-3')).status).toBe(401);
  });

  it('creates an API key shown once, lists it by name and hint only, and revokes it', async () => {
    const created = await p.request('POST', '/api/v1/admin/api-keys', {
      body: { name: 'shop feed', role: 'ingest' },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(await asToken(key, 'GET', '/api/v1/ingest/status')).toBe(200);
    const list = await p.request('GET', '/api/v1/admin/api-keys');
    expect(list.body.items).toEqual(
      expect.arrayContaining([{ name: 'shop feed', role: 'ingest', hint: key.slice(-4) }]),
    );
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(await storedAccounts()).not.toContain(key);
    // Keys from the environment are listed but can only be removed there.
    const fromEnvironment = (list.body.items as { name: string }[]).find(
      (k) => k.name === `key …${p.keys.agent.slice(-4)}`,
    );
    expect(fromEnvironment).toBeDefined();
    expect(
      (
        await p.request(
          'DELETE',
          `/api/v1/admin/api-keys/${encodeURIComponent(fromEnvironment!.name)}`,
        )
      ).status,
    ).toBe(409);
    expect(
      (await p.request('DELETE', `/api/v1/admin/api-keys/${encodeURIComponent('shop feed')}`))
        .status,
    ).toBe(200);
    expect(await asToken(key, 'GET', '/api/v1/ingest/status')).toBe(401);
  });

  it('refuses bad input with details, duplicates with 409, removing the last admin, and every role but admin', async () => {
    const bad = await p.request('POST', '/api/v1/admin/users', {
      body: { username: 'X Y', role: 'god', password: 'short' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'password',
      'role',
      'username',
    ]);
    expect(
      (
        await p.request('POST', '/api/v1/admin/users', {
          body: { username: 'new.agent', role: 'agent' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await p.request('PUT', '/api/v1/admin/users/admin', { body: { role: 'agent' } })).status,
    ).toBe(409);
    expect((await p.request('DELETE', '/api/v1/admin/users/nobody')).status).toBe(404);
    for (const role of ['agent', 'manager', 'analyst', 'ingest'] as const) {
      expect((await p.request('GET', '/api/v1/admin/users', { role })).status, role).toBe(403);
      expect(
        (
          await p.request('POST', '/api/v1/admin/api-keys', {
            role,
            body: { name: 'x1', role: 'admin' },
          })
        ).status,
        role,
      ).toBe(403);
    }
  });

  it('audits every change without passwords or keys', async () => {
    await p.server.ctx.audit.flush(true);
    const res = await p.request('GET', '/api/v1/audit?action=user-admin&size=50');
    expect(res.body.total).toBeGreaterThanOrEqual(6);
    const text = JSON.stringify(res.body);
    for (const secret of ['a-long-password-1', 'another-password-2', 'known-password-3', 'scrypt$'])
      expect(text).not.toContain(secret);
  });
});
