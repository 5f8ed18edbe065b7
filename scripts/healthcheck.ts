/**
 * The containers' health checks (Dockerfile HEALTHCHECK, docker-compose.yml),
 * built to dist/healthcheck.js: node, because the slim image has no curl.
 *
 *   node dist/healthcheck.js api      this container's API answers GET /healthz on PORT
 *   node dist/healthcheck.js indexer  an ingest worker of this container is connected to Redis
 *
 * The indexer serves no HTTP; BullMQ names each worker's Redis connection
 * after its queue, so Redis's client list shows whether one from this
 * container's addresses is there. It says the worker is connected, not that
 * jobs progress (the ingest status and the metrics tell that).
 * Exits 0 when healthy, 1 with one line saying what is wrong.
 */
import { Queue } from 'bullmq';
import { networkInterfaces } from 'node:os';
import { loadIndexerConfig } from '../indexers/src/config';
import { queueNames } from '../infra/src/names';
import { redisSettingsOf } from '../infra/src/connection-env';
import { createRedis } from '../infra/src/redis';
import { loadServerConfig } from '../server/src/config';

const timeoutMs = 4_000;

async function apiHealthy(): Promise<string | null> {
  const config = loadServerConfig();
  const host = ['0.0.0.0', '::', ''].includes(config.PANORAMA_HOST)
    ? '127.0.0.1'
    : config.PANORAMA_HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}/healthz`;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return res.ok ? null : `${url} answered ${res.status}`;
}

/** `172.18.0.7:53422` or `[::1]:53422` → the address. */
function hostOf(addr: string): string {
  return addr.slice(0, addr.lastIndexOf(':')).replace(/^\[|\]$/g, '');
}

async function indexerHealthy(): Promise<string | null> {
  const config = loadIndexerConfig();
  const own = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address),
  );
  const name = queueNames(config.PANORAMA_QUEUE_PREFIX).ingest;
  const redis = createRedis(redisSettingsOf(config), 'producer');
  const queue = new Queue(name, { connection: redis });
  try {
    const workers = await queue.getWorkers();
    const ours = workers.filter((w) => own.has(hostOf(String(w.addr ?? ''))));
    return ours.length > 0
      ? null
      : `no worker of queue ${name} from this container is connected to Redis (${workers.length} from elsewhere)`;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

const checks: Record<string, () => Promise<string | null>> = {
  api: apiHealthy,
  indexer: indexerHealthy,
};

const check = checks[process.argv[2] ?? ''];
if (!check) {
  console.error(`usage: node dist/healthcheck.js ${Object.keys(checks).join('|')}`);
  process.exit(1);
}
setTimeout(() => {
  console.error(`no answer within ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs).unref();
check().then(
  (problem) => {
    if (problem) console.error(problem);
    process.exit(problem ? 1 : 0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
