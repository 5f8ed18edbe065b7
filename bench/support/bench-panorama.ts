/**
 * A whole Panorama (mappings, one indexer, the API on a free port) in the
 * benchmark's process, under its own index prefix and queue names, against
 * the Elasticsearch and Redis given by `ELASTICSEARCH_URL` / `REDIS_URL`
 * (default: the local dev services on 9250 / 6350). `close()` removes the
 * indices and queue keys it created, unless `keep` is set.
 */
import { randomBytes } from 'node:crypto';
import type { IngestStatus } from '../../domain/src/api';
import { startIndexer, type IndexerOptions, type RunningIndexer } from '../../indexers/src/indexer';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { applyMappings } from '../../mappings/apply';
import { startServer, type RunningServer, type ServerOptions } from '../../server/src/server';

export interface WaitOptions {
  stallMs?: number;
  /** Called about every 30 s with the ingest status while waiting. */
  onProgress?: (status: IngestStatus) => void;
}

export interface BenchPanorama {
  url: string;
  prefix: string;
  elasticsearchUrl: string;
  redisUrl: string;
  server: RunningServer;
  indexers: RunningIndexer[];
  /** An admin API key (admin may use every route). */
  key: string;
  get(route: string): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- benchmark reads arbitrary JSON answers
  post(route: string, body: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
  /** Starts one more indexer of the same installation (its options as the first ones'). */
  startIndexer(): RunningIndexer;
  /** Resolves when nothing waits or runs; fails only when the backlog stops shrinking for `stallMs` (default 10 min). */
  waitUntilIndexed(options?: WaitOptions): Promise<void>;
  close(options?: { keep?: boolean }): Promise<void>;
}

export function benchServiceUrls(): { elasticsearchUrl: string; redisUrl: string } {
  return {
    elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9250',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6350',
  };
}

export async function startBenchPanorama(
  options: {
    prefix?: string;
    indexers?: number;
    withIndexer?: boolean;
    ingestConcurrency?: number;
    rebuildConcurrency?: number;
    rebuildBatch?: number;
    /** Times the steps of the indexers' jobs and batches (IndexerOptions). */
    stepTimers?: IndexerOptions['stepTimers'];
    /** Probabilistic matching of the indexers (IndexerOptions); default: on, default thresholds. */
    matching?: IndexerOptions['matching'];
  } = {},
): Promise<BenchPanorama> {
  const { elasticsearchUrl, redisUrl } = benchServiceUrls();
  const prefix = options.prefix ?? `bench${randomBytes(3).toString('hex')}`;
  await applyMappings({ elasticsearchUrl, prefix });
  const key = `admin-bench-${randomBytes(8).toString('hex')}`;
  // Unset tunables: startIndexer() takes the production defaults of indexers/src/config.ts, not the smaller ones of the tests.
  const indexerOptions = {
    elasticsearchUrl,
    redisUrl,
    indexPrefix: prefix,
    queuePrefix: prefix,
    ingestConcurrency: options.ingestConcurrency,
    rebuildConcurrency: options.rebuildConcurrency,
    rebuildBatch: options.rebuildBatch,
    stepTimers: options.stepTimers,
    matching: options.matching,
  };
  const indexers =
    options.withIndexer === false
      ? []
      : Array.from({ length: options.indexers ?? 1 }, () => startIndexer(indexerOptions));
  const serverOptions = {
    elasticsearchUrl,
    redisUrl,
    indexPrefix: prefix,
    queuePrefix: prefix,
    port: 0,
    webDist: null,
    auth: {
      secret: randomBytes(32).toString('hex'),
      users: [],
      apiKeys: [{ role: 'admin' as const, key }],
      tokenTtlMs: 3_600_000,
    },
    log: () => {},
    // A benchmark is one client sending thousands of requests a minute: no rate limit.
    hardening: { apiPerMinute: 0 },
  };
  const server = await startServer(serverOptions as ServerOptions);
  const headers = { authorization: `Bearer ${key}` };
  const get: BenchPanorama['get'] = async (route) => {
    const res = await fetch(`${server.url}${route}`, { headers, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const post: BenchPanorama['post'] = async (route, body) => {
    const res = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    url: server.url,
    prefix,
    elasticsearchUrl,
    redisUrl,
    server,
    indexers,
    key,
    get,
    post,
    startIndexer() {
      // Matching on: a later indexer is the one a benchmark adds to match (the first may have ingested without).
      const indexer = startIndexer({ ...indexerOptions, matching: undefined });
      indexers.push(indexer);
      return indexer;
    },
    async waitUntilIndexed({ stallMs = 10 * 60_000, onProgress }: WaitOptions = {}) {
      // Gives up only when the backlog stops shrinking: a big data set may take hours on 2 cores.
      let least = Infinity;
      let stalledSince = Date.now();
      let reported = Date.now();
      for (;;) {
        const status = (await get('/api/v1/ingest/status')).body as IngestStatus;
        const backlog = status.waiting + status.active;
        if (backlog === 0) return;
        if (backlog < least) {
          least = backlog;
          stalledSince = Date.now();
        }
        if (Date.now() - stalledSince > stallMs)
          throw new Error(`backlog stopped shrinking for ${stallMs} ms: ${JSON.stringify(status)}`);
        if (onProgress && Date.now() - reported > 30_000) {
          reported = Date.now();
          onProgress(status);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close({ keep = false } = {}) {
      await server.close();
      await Promise.all(indexers.map((i) => i.close()));
      if (keep) return;
      await removePrefixData(elasticsearchUrl, redisUrl, prefix);
    },
  };
}
