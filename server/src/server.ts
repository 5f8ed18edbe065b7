import { Queue } from 'bullmq';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createElasticsearch,
  elasticsearchConnectionOf,
  type ElasticsearchConnectionOptions,
} from '../../infra/src/elasticsearch';
import { indexNames, queueNames } from '../../infra/src/names';
import { createRedis, redisConnectionOf, type RedisConnectionOptions } from '../../infra/src/redis';
import { accountsVersionKey, auditStreamKey } from '../../infra/src/shared-keys';
import type { Role } from '../../domain/src/api';
import { createApp, type AppOptions } from './app';
import { AccountStore } from './auth/account-store';
import { answerClientErrors } from './client-errors';
import { serverDefaults } from './config';
import type { ServerContext } from './context';
import { AuditTrail, type AuditTrailOptions } from './privacy/audit-trail';

/** How the API authenticates. */
export interface AuthOptions {
  /** Signs login tokens: the same for every API process of an installation. */
  secret: string;
  /** Login token lifetime. */
  tokenTtlMs: number;
  /**
   * Accounts of the first start (DATA_DIR/credentials.json, or a test's),
   * copied into the shared accounts index once per installation (see
   * AccountStore.seed); afterwards the index is what counts.
   */
  users: { username: string; role: Role; passwordHash: string }[];
  /** Keys with a `name` are copied in like the users (an admin manages them); keys without one (PANORAMA_API_KEYS) stay in memory. */
  apiKeys: { role: Role; key: string; name?: string }[];
  /** How long a process trusts its copy of the accounts before asking Redis whether they changed. Default 1,000 ms. */
  cacheMs?: number;
}

/** The cluster and Redis as `elasticsearchUrl` / `redisUrl` (tests) or the settings of the configuration (main.ts). */
export interface ServerOptions
  extends AppOptions, ElasticsearchConnectionOptions, RedisConnectionOptions {
  indexPrefix: string;
  queuePrefix: string;
  port: number;
  /** Default `serverDefaults.host` (127.0.0.1). */
  host?: string;
  auth: AuthOptions;
  webDist: string | null;
  /** Audit stream and flusher settings; `enabled: false` only for the benchmark's baseline. */
  audit?: AuditTrailOptions;
  /** The thresholds of probabilistic matching (PANORAMA_MATCH_*), as the indexers have them; default `matchThresholdDefaults`. */
  matchThresholds?: { review: number; autoMerge: number };
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  close(): Promise<void>;
}

/** Builds the context and listens; port 0 picks a free port (tests). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const redis = createRedis(redisConnectionOf(options), 'producer');
  redis.on('error', () => {
    // Reported per request (503) and by /readyz; ioredis reconnects by itself.
  });
  const queues = queueNames(options.queuePrefix);
  const ingestQueue = new Queue(queues.ingest, {
    connection: redis,
    defaultJobOptions: {
      attempts: 20,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  const es = createElasticsearch(elasticsearchConnectionOf(options));
  const names = indexNames(options.indexPrefix);
  const accounts = new AccountStore({
    es,
    redis,
    index: names.accounts,
    versionKey: accountsVersionKey(queues),
    cacheMs: options.auth.cacheMs,
    staticKeys: options.auth.apiKeys.filter((k) => !k.name),
  });
  await accounts.seed(
    options.auth.users,
    options.auth.apiKeys.flatMap((k) =>
      k.name ? [{ name: k.name, role: k.role, key: k.key }] : [],
    ),
  );
  const ctx: ServerContext = {
    es,
    redis,
    ingestQueue,
    names,
    queues,
    audit: new AuditTrail(
      { es, redis, index: names.audit, stream: auditStreamKey(queues) },
      { onError: (error) => options.log?.(error, 'audit flush failed'), ...options.audit },
    ),
    auth: { secret: options.auth.secret, tokenTtlMs: options.auth.tokenTtlMs, accounts },
    webDist: options.webDist,
    matchThresholds: options.matchThresholds,
  };
  const app = createApp(ctx, options);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host ?? serverDefaults.host, () => resolve(s));
    s.on('error', reject);
  });
  answerClientErrors(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Live dashboards hold server-sent-event streams open for good: after a grace second, cut what is left.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      server.closeAllConnections();
      await ctx.audit.close();
      await ingestQueue.close();
      redis.disconnect();
      await ctx.es.close();
    },
  };
}
