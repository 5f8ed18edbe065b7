/**
 * Panorama against a secured, three-node Elasticsearch (TLS on HTTP and
 * transport, security on; scripts/embedded/cluster.ts) on free ports of its
 * own, and a Redis with TLS and a password: the start-up checks accept a
 * least-privilege user through the CA file and through the CA fingerprint,
 * name the variable to fix when the CA, the password or a privilege is
 * missing, a client given three nodes carries on when the first is killed,
 * and mappings:apply creates every index and alias as that user alone. Then
 * Panorama runs for real with that user and the CA file only: an API and an
 * indexer over the three nodes and a TLS Redis ingest, find and show a
 * customer, and an API given a wrong password refuses to start.
 *
 * The cluster takes one to three minutes to start on a busy 2-core machine;
 * it and its data dir are removed in afterAll, also when a test fails.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch, type ElasticsearchSettings } from '../../infra/src/elasticsearch';
import { checkElasticsearch } from '../../infra/src/elasticsearch-check';
import { indexNames } from '../../infra/src/names';
import { createRedis, type RedisSettings } from '../../infra/src/redis';
import { checkConnections } from '../../infra/src/connection-check';
import { startIndexer } from '../../indexers/src/indexer';
import { startServer } from '../../server/src/server';
import { checkRedis } from '../../infra/src/redis-check';
import { applyMappings } from '../../mappings/apply';
import {
  createLeastPrivilegeUser,
  startSecuredCluster,
  startTlsRedis as startClusterTlsRedis,
  type LeastPrivilegeUser,
  type SecuredCluster,
  type TlsRedis,
} from '../../scripts/embedded/cluster';
import { serviceUrls } from '../support/panorama';

const prefix = `sec${randomBytes(4).toString('hex')}`;
const log = (line: string): void => console.log(`[secured cluster] ${line}`);

let dataDir: string;
let cluster: SecuredCluster;
let panorama: LeastPrivilegeUser;
let withoutManage: LeastPrivilegeUser;
const clients: Client[] = [];

function client(settings: ElasticsearchSettings): Client {
  const es = createElasticsearch(settings);
  clients.push(es);
  return es;
}

/** The least-privilege user over every node, trusting the CA file. */
function asPanorama(extra: Partial<ElasticsearchSettings> = {}): Client {
  return client({
    url: cluster.urls.join(','),
    username: panorama.username,
    password: panorama.password,
    caFile: cluster.caFile,
    ...extra,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the check to fail');
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-secured-'));
  // mkdtemp makes it 0700; Elasticsearch runs as an unprivileged user when we are root.
  await chmod(dataDir, 0o755);
  cluster = await startSecuredCluster({ dataDir, nodes: 3, heap: '256m', log });
  panorama = await createLeastPrivilegeUser(cluster, { prefix, username: 'panorama' });
  withoutManage = await createLeastPrivilegeUser(cluster, {
    prefix,
    username: 'no-manage',
    privileges: {
      cluster: ['monitor'],
      index: [{ names: [`${prefix}-*`], privileges: ['read', 'write'] }],
    },
  });
}, 420_000);

afterAll(async () => {
  await Promise.all(clients.map((es) => es.close()));
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe('checkElasticsearch on a secured cluster', () => {
  it('accepts the least-privilege user when the CA file is given', async () => {
    const check = await checkElasticsearch(asPanorama(), { prefix });
    expect(check).toMatchObject({ user: 'panorama', authenticationType: 'realm', warnings: [] });
    expect(['green', 'yellow']).toContain(check.status);
  });

  it('accepts the least-privilege user when only the CA fingerprint is given', async () => {
    const es = asPanorama({ caFile: undefined, caFingerprint: cluster.caFingerprint });
    await expect(checkElasticsearch(es, { prefix })).resolves.toMatchObject({ user: 'panorama' });
  });

  it('without the CA, names ELASTICSEARCH_CA_FILE and ELASTICSEARCH_CA_FINGERPRINT', async () => {
    const message = await failureOf(
      checkElasticsearch(asPanorama({ caFile: undefined }), { prefix }),
    );
    expect(message).toMatch(/certificate of Elasticsearch is not trusted/);
    expect(message).toContain('ELASTICSEARCH_CA_FILE');
    expect(message).toContain('ELASTICSEARCH_CA_FINGERPRINT');
  });

  it('with the fingerprint of another CA, says the fingerprint does not match', async () => {
    const message = await failureOf(
      checkElasticsearch(asPanorama({ caFile: undefined, caFingerprint: 'AB'.repeat(32) }), {
        prefix,
      }),
    );
    expect(message).toMatch(/not signed by the CA of ELASTICSEARCH_CA_FINGERPRINT/);
  });

  it('with a wrong password, says the credentials were rejected (401) and names the variables', async () => {
    const message = await failureOf(
      checkElasticsearch(asPanorama({ password: 'not-the-password' }), { prefix }),
    );
    expect(message).toMatch(/rejected the credentials \(401/);
    expect(message).toContain('ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD');
  });

  it('with an API key the cluster does not know, says the credentials were rejected (401)', async () => {
    const es = client({
      url: cluster.urls[0],
      apiKey: Buffer.from('unknown-id:unknown-key').toString('base64'),
      caFile: cluster.caFile,
    });
    const message = await failureOf(checkElasticsearch(es, { prefix }));
    expect(message).toMatch(/rejected the credentials \(401/);
    expect(message).toContain('ELASTICSEARCH_API_KEY');
  });

  it('for a user whose role lacks manage, names the missing privilege and the indices', async () => {
    const es = asPanorama({ username: withoutManage.username, password: withoutManage.password });
    const message = await failureOf(checkElasticsearch(es, { prefix }));
    expect(message).toContain(
      `user no-manage of ELASTICSEARCH_USERNAME lacks manage on ${prefix}-*`,
    );
  });

  it('a request the role does not allow is a 403 naming the privileges that would allow it', async () => {
    const es = asPanorama({ username: withoutManage.username, password: withoutManage.password });
    const { describeElasticsearchError } = await import('../../infra/src/elasticsearch');
    const error = await es.indices.create({ index: `${prefix}-refused` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeElasticsearchError(error)).toMatch(
      /lack of a privilege \(403: action \[indices:admin\/create\].*\[create_index,manage,all\]\): grant it to the role of the user of ELASTICSEARCH_USERNAME/,
    );
  });

  it('on the cluster of the test run, which has security off, reads the health alone', async () => {
    const es = client({ url: serviceUrls().elasticsearchUrl });
    await expect(checkElasticsearch(es, { prefix })).resolves.toMatchObject({
      user: null,
      authenticationType: null,
    });
  });

  it('over plain HTTP to a TLS node, says that the URL must start with https://', async () => {
    const es = client({
      url: cluster.urls[0].replace('https://', 'http://'),
      username: panorama.username,
      password: panorama.password,
    });
    const message = await failureOf(checkElasticsearch(es, { prefix }));
    expect(message).toContain('https://');
  });
});

describe('Panorama as the least-privilege user', () => {
  it('mappings:apply creates every index and alias, and a second run changes nothing', async () => {
    const es = asPanorama();
    const created = await applyMappings({ es, prefix });
    expect(new Set(created.map((r) => r.action))).toEqual(new Set(['created']));
    const again = await applyMappings({ es, prefix });
    expect(new Set(again.map((r) => r.action))).toEqual(new Set(['unchanged']));
  });

  it('may use everything else Panorama calls: bulk, get, mget, search, count, point in time, refresh, _cat/indices, delete', async () => {
    const es = asPanorama();
    const names = indexNames(prefix);
    const index = `${prefix}-snapshots-2026-01-01`;
    await es.indices.create({ index, settings: { number_of_replicas: 0 } });
    const bulk = await es.bulk({
      refresh: true,
      operations: [
        { index: { _index: index, _id: 'a' } },
        { n: 1 },
        { create: { _index: index, _id: 'b' } },
        { n: 2 },
        { update: { _index: index, _id: 'a' } },
        { doc: { n: 3 } },
      ],
    });
    expect(bulk.errors).toBe(false);
    await es.index({ index, id: 'c', document: { n: 4 } });
    await es.update({ index, id: 'c', doc: { n: 5 } });
    await es.delete({ index, id: 'c' });
    await es.indices.refresh({ index });
    expect((await es.get<{ n: number }>({ index, id: 'a' }))._source?.n).toBe(3);
    expect((await es.mget({ index, ids: ['a', 'b'] })).docs).toHaveLength(2);
    expect((await es.count({ index })).count).toBe(2);
    const pit = await es.openPointInTime({ index, keep_alive: '1m' });
    const page = await es.search({ pit: { id: pit.id, keep_alive: '1m' }, sort: ['_shard_doc'] });
    expect(page.hits.hits).toHaveLength(2);
    await expect(es.closePointInTime({ id: pit.id })).resolves.toMatchObject({ succeeded: true });
    const msearch = await es.msearch({ searches: [{ index: names.customers }, { size: 0 }] });
    expect(msearch.responses).toHaveLength(1);
    const listed = await es.cat.indices({ index: `${prefix}-snapshots-*`, format: 'json' });
    expect(listed.map((i) => i.index)).toEqual([index]);
    await es.indices.delete({ index });
    expect(await es.indices.exists({ index })).toBe(false);
  });

  it('is refused an index outside its prefix', async () => {
    const es = asPanorama();
    await expect(es.indices.create({ index: `other-${prefix}` })).rejects.toMatchObject({
      meta: { statusCode: 403 },
    });
  });
});

describe('Panorama run for real as the least-privilege user', () => {
  it('applies the mappings, runs an API and an indexer over the three nodes and a TLS Redis, ingests, finds and shows a customer', async () => {
    const elasticsearch: ElasticsearchSettings = {
      url: cluster.urls.join(','),
      username: panorama.username,
      password: panorama.password,
      caFile: cluster.caFile,
    };
    const redis: RedisSettings = {
      url: await startTlsRedis(['--maxmemory-policy', 'noeviction']),
      password,
      caFile: cluster.caFile,
    };
    const warnings: string[] = [];
    await checkConnections({
      elasticsearch,
      redis,
      indexPrefix: prefix,
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([]);
    await applyMappings({ elasticsearch, prefix });
    const suppressionPepper = randomBytes(32).toString('base64url');
    const queuePrefix = `${prefix}-run`;
    const indexer = startIndexer({
      elasticsearch,
      redis,
      indexPrefix: prefix,
      queuePrefix,
      rebuildConcurrency: 1,
      suppressionPepper,
    });
    const keys = {
      ingest: randomBytes(12).toString('hex'),
      agent: randomBytes(12).toString('hex'),
    };
    const server = await startServer({
      elasticsearch,
      redis,
      indexPrefix: prefix,
      queuePrefix,
      port: 0,
      webDist: null,
      auth: {
        secret: randomBytes(32).toString('hex'),
        users: [],
        apiKeys: [
          { role: 'ingest', key: keys.ingest },
          { role: 'agent', key: keys.agent },
        ],
        tokenTtlMs: 3_600_000,
      },
      log: () => {},
      hardening: { apiPerMinute: 0, loginPerMinute: 1_000 },
      privacy: { suppressErased: true, suppressionPepper },
    });
    const call = async (role: keyof typeof keys, method: string, route: string, body?: unknown) => {
      const res = await fetch(`${server.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${keys[role]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- the contract's JSON
    };
    try {
      const ingested = await call('ingest', 'POST', '/api/v1/touchpoints', [
        {
          source: 'shop',
          id: 'A-100234',
          type: 'order',
          occurredAt: '2026-10-02T14:12:00Z',
          customer: {
            customerNumber: 'K-102934',
            email: 'Anna.Schmidt@Example.de',
            firstName: 'Anna',
            lastName: 'Schmidt',
            address: {
              street: 'Lindenstr. 4',
              postalCode: '80331',
              city: 'München',
              country: 'DE',
            },
          },
          data: { orderNumber: 'A-100234', total: 100, currency: 'EUR', status: 'paid' },
        },
      ]);
      expect(ingested).toMatchObject({ status: 202, body: { accepted: 1 } });
      let found: { status: number; body: any } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- the contract's JSON
      for (let attempt = 0; attempt < 120; attempt += 1) {
        found = await call('agent', 'GET', '/api/v1/customers/search?q=Anna%20Schmidt');
        if (found.status === 200 && found.body.total > 0) break;
        await sleep(500);
      }
      expect(found?.status).toBe(200);
      expect(found?.body.items[0]).toMatchObject({ customerNumber: 'K-102934' });
      const profile = await call('agent', 'GET', `/api/v1/customers/${found?.body.items[0].id}`);
      expect(profile.status).toBe(200);
      expect(JSON.stringify(profile.body)).toContain('K-102934');
    } finally {
      await server.close();
      await indexer.close();
    }
  }, 120_000);

  it('an API given a wrong password refuses to start and says which variables to check', async () => {
    const tsx = path.resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
    const apiDataDir = await mkdtemp(path.join(tmpdir(), 'panorama-secured-api-'));
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(
        tsx,
        [path.resolve(import.meta.dirname, '../../server/src/main.ts')],
        {
          env: {
            PATH: process.env.PATH,
            ELASTICSEARCH_URL: cluster.urls.join(','),
            ELASTICSEARCH_USERNAME: panorama.username,
            ELASTICSEARCH_PASSWORD: 'not-the-password',
            ELASTICSEARCH_CA_FILE: cluster.caFile,
            REDIS_URL: serviceUrls().redisUrl,
            DATA_DIR: apiDataDir,
            PORT: '0',
            PANORAMA_INDEX_PREFIX: prefix,
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number }).code ?? null) : 0,
            output: stdout + stderr,
          }),
      );
    });
    await rm(apiDataDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Elasticsearch rejected the credentials \(401/);
    expect(result.output).toContain('ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD');
  }, 90_000);
});

describe('a client given three nodes', () => {
  it('when the first node is killed, carries on with the others', async () => {
    const es = asPanorama();
    await cluster.stopNode(0);
    // Several requests, so that the balancer's turn comes to the dead node too.
    for (let i = 0; i < 6; i += 1) {
      await expect(es.security.authenticate()).resolves.toMatchObject({ username: 'panorama' });
    }
    const check = await checkElasticsearch(es, { prefix });
    expect(check.user).toBe('panorama');
  }, 120_000);
});

/** The password of every Redis with TLS the tests start. */
const password = randomBytes(8).toString('hex');
const servers: TlsRedis[] = [];

/** A Redis with TLS (the cluster's certificate of its first node) and {@link password}; its rediss:// URL. */
async function startTlsRedis(args: string[]): Promise<string> {
  const redis = await startClusterTlsRedis(cluster, { dir: dataDir, password, args });
  servers.push(redis);
  return redis.url;
}

describe('checkRedis on a Redis with TLS and a password', () => {
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('connects with REDIS_CA_FILE and REDIS_PASSWORD and warns when keys may be evicted', async () => {
    const url = await startTlsRedis(['--maxmemory-policy', 'allkeys-lru']);
    const redis = createRedis({ url, password, caFile: cluster.caFile }, 'producer');
    try {
      const check = await checkRedis(redis);
      expect(check.maxmemoryPolicy).toBe('allkeys-lru');
      expect(check.warning).toMatch(/maxmemory-policy allkeys-lru\): BullMQ needs 'noeviction'/);
    } finally {
      redis.disconnect();
    }
  });

  it('with a wrong password, names REDIS_PASSWORD', async () => {
    const url = await startTlsRedis(['--maxmemory-policy', 'noeviction']);
    const redis = createRedis({ url, password: 'wrong', caFile: cluster.caFile }, 'producer');
    redis.on('error', () => {});
    try {
      await expect(checkRedis(redis)).rejects.toThrow(/REDIS_PASSWORD/);
    } finally {
      redis.disconnect();
    }
  });

  it('when CONFIG is renamed away, says the policy could not be checked', async () => {
    const url = await startTlsRedis(['--rename-command', 'CONFIG', '']);
    const redis = createRedis({ url, password, caFile: cluster.caFile }, 'producer');
    try {
      const check = await checkRedis(redis);
      expect(check.maxmemoryPolicy).toBeNull();
      expect(check.warning).toMatch(/could not be checked/);
    } finally {
      redis.disconnect();
    }
  });
});
