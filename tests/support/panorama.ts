/**
 * Starts a whole Panorama in the test process against the real
 * Elasticsearch and Redis of the test run: its own index prefix and queue
 * names (so test files never see each other's data), mappings applied, one
 * indexer and the API on a free port.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import type { IngestStatus, Role } from '../../domain/src/api';
import { startIndexer, type IndexerOptions, type RunningIndexer } from '../../indexers/src/indexer';
import type { IndexLayout } from '../../infra/src/index-layout';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { applyMappings } from '../../mappings/apply';
import { apiKeyHash } from '../../server/src/auth/account-store';
import { environmentKeyName } from '../../server/src/auth/authenticate';
import { hashPassword } from '../../server/src/auth/passwords';
import { startServer, type RunningServer, type ServerOptions } from '../../server/src/server';

export interface TestPanorama {
  url: string;
  prefix: string;
  server: RunningServer;
  indexers: RunningIndexer[];
  /** API keys per role. */
  keys: Record<Role, string>;
  /** How the audit (and notes, segments) name each role's API key: `env-key:<role>:<8 hex of its SHA-256>`. */
  actors: Record<Role, string>;
  /** Passwords of the test users (username = role). */
  passwords: Record<Role, string>;
  request(
    method: string,
    route: string,
    options?: {
      body?: unknown;
      role?: Role | null;
      headers?: Record<string, string>;
      raw?: string;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  /** Waits until everything accepted so far is searchable. */
  waitUntilIndexed(timeoutMs?: number): Promise<void>;
  /** Another indexer of the same installation; `overrides` change its options (e.g. `matching`). */
  startAnotherIndexer(overrides?: Partial<IndexerOptions>): RunningIndexer;
  /** A second API process of the same installation (same secret, keys and pepper; its first start's accounts already seeded); closed with the rest. */
  startAnotherApi(server?: Partial<Pick<ServerOptions, 'hardening'>>): Promise<RunningServer>;
  close(): Promise<void>;
}

export function serviceUrls(): { elasticsearchUrl: string; redisUrl: string } {
  const elasticsearchUrl =
    (inject('elasticsearchUrl' as never) as string | undefined) ?? process.env.ELASTICSEARCH_URL;
  const redisUrl = (inject('redisUrl' as never) as string | undefined) ?? process.env.REDIS_URL;
  if (!elasticsearchUrl || !redisUrl)
    throw new Error(
      'the test run provides no Elasticsearch/Redis (see tests/support/global-setup.ts)',
    );
  return { elasticsearchUrl, redisUrl };
}

const roleList: Role[] = ['ingest', 'agent', 'manager', 'analyst', 'admin'];

export async function startPanorama(
  options: {
    webDist?: string | null;
    indexers?: number;
    /** Server options to override (hardening, privacy, audit, log). */
    server?: Partial<Pick<ServerOptions, 'hardening' | 'privacy' | 'audit' | 'log'>>;
    /** The indexers' log (the log test reads it); default: silent. */
    indexerLog?: IndexerOptions['log'];
    /** Shards and replicas of the indices (the multi-shard test); default: one shard each, `auto` replicas. */
    layout?: IndexLayout;
    /** Probabilistic matching of the indexers (thresholds, sizes, or `false` for none); default: on, default thresholds. */
    matching?: IndexerOptions['matching'];
  } = {},
): Promise<TestPanorama> {
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  const prefix = `t${randomBytes(4).toString('hex')}`;
  await applyMappings({ elasticsearchUrl, prefix, layout: options.layout });
  const keys = Object.fromEntries(
    roleList.map((r) => [r, `${r}-key-${randomBytes(8).toString('hex')}`]),
  ) as Record<Role, string>;
  const passwords = Object.fromEntries(
    roleList.map((r) => [r, `pw-${r}-${randomBytes(4).toString('hex')}`]),
  ) as Record<Role, string>;
  const users = await Promise.all(
    roleList
      .filter((r) => r !== 'ingest')
      .map(async (role) => ({
        username: role,
        role,
        passwordHash: await hashPassword(passwords[role]),
      })),
  );
  // Suppression of erased identifiers is on, as in every process by default: the API and the indexers share a pepper.
  const suppressionPepper = randomBytes(32).toString('base64url');
  const indexerOptions: IndexerOptions = {
    elasticsearchUrl,
    redisUrl,
    indexPrefix: prefix,
    queuePrefix: prefix,
    // Two rebuild loops of 100, as the tests have always run; a real indexer takes indexerDefaults (config.ts).
    rebuildConcurrency: 2,
    rebuildBatch: 100,
    log: options.indexerLog,
    suppressionPepper,
    replicas: options.layout?.replicas,
    matching: options.matching,
  };
  const indexers = Array.from({ length: options.indexers ?? 1 }, () =>
    startIndexer(indexerOptions),
  );
  const apiOptions = (secret: string, seeded: typeof users): ServerOptions => ({
    elasticsearchUrl,
    redisUrl,
    indexPrefix: prefix,
    queuePrefix: prefix,
    port: 0,
    webDist: options.webDist === undefined ? null : options.webDist,
    auth: {
      secret,
      users: seeded,
      apiKeys: roleList.map((role) => ({ role, key: keys[role] })),
      tokenTtlMs: 3_600_000,
    },
    log: () => {},
    // Tests send far more than a person would: rate limits only where a test sets them.
    hardening: { apiPerMinute: 0, loginPerMinute: 1_000 },
    ...options.server,
    privacy: { suppressErased: true, suppressionPepper, ...options.server?.privacy },
  });
  const server = await startServer(apiOptions(randomBytes(32).toString('hex'), users));
  const otherApis: RunningServer[] = [];

  const request: TestPanorama['request'] = async (method, route, opts = {}) => {
    const role = opts.role === undefined ? 'admin' : opts.role;
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (role) headers.authorization = `Bearer ${keys[role]}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${server.url}${route}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (metrics, HTML)
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };

  return {
    url: server.url,
    prefix,
    server,
    indexers,
    keys,
    actors: Object.fromEntries(
      roleList.map((r) => [r, environmentKeyName(r, apiKeyHash(keys[r]))]),
    ) as Record<Role, string>,
    passwords,
    request,
    async startAnotherApi(overrides = {}) {
      const other = await startServer({ ...apiOptions(server.ctx.auth.secret, []), ...overrides });
      otherApis.push(other);
      return other;
    },
    startAnotherIndexer(overrides = {}) {
      const indexer = startIndexer({ ...indexerOptions, ...overrides });
      indexers.push(indexer);
      return indexer;
    },
    async waitUntilIndexed(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await request('GET', '/api/v1/ingest/status');
        const status = body as IngestStatus;
        if (status.waiting === 0 && status.active === 0) return;
        if (Date.now() > deadline)
          throw new Error(`not indexed after ${timeoutMs} ms: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await Promise.all(otherApis.map((api) => api.close()));
      await server.close();
      await Promise.all(indexers.map((i) => i.close()));
      await removePrefixData(elasticsearchUrl, redisUrl, prefix);
    },
  };
}

export const webDist = path.resolve(import.meta.dirname, '../../web/dist');
