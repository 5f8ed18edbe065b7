/**
 * Elasticsearch and Redis for one Panorama run: the embedded ones, or the
 * existing ones named by ELASTICSEARCH_URL / REDIS_URL (CONTRACT.md,
 * "Configuration every process honours").
 */
import path from 'node:path';
import { startElasticsearch } from './elasticsearch';
import { readLivePid, removePidFile, writePidFile, type Log } from './processes';
import { startRedis } from './redis';

/** Options for {@link startServices}. */
export interface StartServicesOptions {
  /** Where the embedded services keep their data; pid files go to `<dataDir>/run/`. */
  dataDir: string;
  /** HTTP port of the embedded Elasticsearch; 0 picks a free port. */
  esPort: number;
  /** Port of the embedded Redis; 0 picks a free port. */
  redisPort: number;
  /** JVM heap of the embedded Elasticsearch, e.g. '512m'. */
  esHeap: string;
  /** An existing cluster to use instead of the embedded one (ELASTICSEARCH_URL). */
  elasticsearchUrl?: string;
  /** An Elastic Cloud deployment to use instead (ELASTICSEARCH_CLOUD_ID without ELASTICSEARCH_URL): nothing embedded is started. */
  elasticsearchCloud?: boolean;
  /** An existing Redis to use instead of the embedded one (REDIS_URL). */
  redisUrl?: string;
  log?: Log;
  /** Aborting cancels a start in progress and stops what it had started. */
  signal?: AbortSignal;
}

/** The services a run uses; `stop` stops only what was started here. */
export interface RunningServices {
  /** The embedded or given cluster; null for an Elastic Cloud deployment, reached by its cloud id. */
  elasticsearchUrl: string | null;
  redisUrl: string;
  /** Stops the embedded Redis, then the embedded Elasticsearch, and removes their pid files. */
  stop(): Promise<void>;
}

/**
 * The text a live embedded service of this data dir shows in /proc, used to
 * tell our leftover process from an unrelated one that inherited its pid.
 */
export function serviceMarkers(dataDir: string): { elasticsearch: string; redis: string } {
  const root = path.resolve(dataDir);
  return {
    elasticsearch: path.join(root, 'elasticsearch', 'config'),
    redis: path.join(root, 'redis'),
  };
}

async function refuseLeftover(dataDir: string): Promise<void> {
  const markers = serviceMarkers(dataDir);
  for (const name of ['elasticsearch', 'redis'] as const) {
    const pid = await readLivePid(dataDir, name, markers[name]);
    if (pid !== undefined) {
      throw new Error(
        `An embedded ${name === 'redis' ? 'Redis' : 'Elasticsearch'} from an earlier run still uses ` +
          `${path.resolve(dataDir)} (pid ${pid}). Stop it with 'npm run stop' (same DATA_DIR) and start again.`,
      );
    }
  }
}

/**
 * Starts what is not given by URL, Elasticsearch first (it is the slow one)
 * then Redis, and records their pids. If the second fails, the first is stopped
 * again so a failed start leaves nothing behind.
 */
export async function startServices({
  dataDir,
  esPort,
  redisPort,
  esHeap,
  elasticsearchUrl,
  elasticsearchCloud = false,
  redisUrl,
  log = () => {},
  signal,
}: StartServicesOptions): Promise<RunningServices> {
  await refuseLeftover(dataDir);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse start order: Redis (work in flight) before Elasticsearch (the store).
    for (const stop of stops.reverse()) await stop();
    stops.length = 0;
  };

  try {
    let esUrl: string | null = elasticsearchUrl ?? null;
    if (esUrl) {
      log(`Using Elasticsearch at ${esUrl} (ELASTICSEARCH_URL)`);
    } else if (elasticsearchCloud) {
      log('Using the Elastic Cloud deployment of ELASTICSEARCH_CLOUD_ID');
    } else {
      const es = await startElasticsearch({ dataDir, port: esPort, heap: esHeap, log, signal });
      await writePidFile(dataDir, 'elasticsearch', es.pid);
      stops.push(async () => {
        await es.stop();
        await removePidFile(dataDir, 'elasticsearch');
      });
      esUrl = es.url;
    }

    let queueUrl = redisUrl;
    if (queueUrl) {
      log(`Using Redis at ${queueUrl} (REDIS_URL)`);
    } else {
      const redis = await startRedis({ dataDir, port: redisPort, log, signal });
      await writePidFile(dataDir, 'redis', redis.pid);
      stops.push(async () => {
        await redis.stop();
        await removePidFile(dataDir, 'redis');
      });
      queueUrl = redis.url;
    }
    if (signal?.aborted) throw new Error('The start was cancelled');
    return { elasticsearchUrl: esUrl, redisUrl: queueUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
