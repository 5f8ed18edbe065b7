/**
 * The Redis connection of every process. A connection is made from settings
 * (a redis:// or rediss:// URL, the password apart from it, the CA of a TLS
 * Redis) or, as before, from a bare URL.
 */
import { readFileSync } from 'node:fs';
import { readCaFile } from './ca-file';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * How to reach Redis. Each field has the environment variable of the same
 * name (infra/src/connection-env.ts), which the messages name.
 *
 * @example
 * { url: 'rediss://default@redis.internal:6380/0', password: 's3cret', caFile: '/etc/panorama/redis-ca.pem' }
 */
export interface RedisSettings {
  /** `REDIS_URL`: `redis://` or, for TLS, `rediss://`; may hold user and password (percent-encoded). */
  url: string;
  /** `REDIS_PASSWORD`: the password outside the URL, for passwords that would need encoding. */
  password?: string;
  /** `REDIS_CA_FILE`: PEM file of the CA that signed the certificate of a `rediss://` Redis. */
  caFile?: string;
}

/** Every problem of a combination of settings, naming the variables; empty when they can connect. Pure. */
export function redisSettingsProblems(settings: RedisSettings): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(settings.url);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    problems.push('REDIS_URL must be a URL like redis://127.0.0.1:6380 (rediss:// for TLS).');
    return problems;
  }
  if (url.password && settings.password) {
    problems.push(
      'REDIS_URL holds a password and REDIS_PASSWORD is set too: keep only one of them.',
    );
  }
  if (settings.caFile && url.protocol !== 'rediss:') {
    problems.push(
      'REDIS_CA_FILE is set but REDIS_URL starts with redis://: use rediss:// to connect with TLS.',
    );
  }
  return problems;
}

/**
 * The ioredis options that go with `settings.url` (`new Redis(url, options)`):
 * the password and, for rediss://, TLS trusting the CA file. Everything else
 * (host, port, user, database) stays in the URL, parsed by ioredis. Throws one
 * error listing every problem.
 */
export function redisConnectionOptions(
  settings: RedisSettings,
  readFile: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): RedisOptions {
  const problems = redisSettingsProblems(settings);
  if (problems.length > 0) throw new Error(problems.join(' '));
  const options: RedisOptions = {};
  if (settings.password) options.password = settings.password;
  if (settings.caFile) options.tls = { ca: readCaFile('REDIS_CA_FILE', settings.caFile, readFile) };
  return options;
}

function roleOptions(role: 'worker' | 'producer'): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
}

/**
 * Workers wait for Redis forever (`maxRetriesPerRequest: null`, as BullMQ
 * requires); the API's producer fails fast (`enableOfflineQueue: false`) so a
 * request answers 503 instead of hanging while Redis is down. A string is
 * `REDIS_URL` alone, as before settings existed.
 */
export function createRedis(
  connection: string | RedisSettings,
  role: 'worker' | 'producer',
): Redis {
  if (typeof connection === 'string') return new Redis(connection, roleOptions(role));
  return new Redis(connection.url, { ...redisConnectionOptions(connection), ...roleOptions(role) });
}

/**
 * The options of `redis`, for a BullMQ Worker or Queue to open a connection
 * of its own. An ioredis instance passed to BullMQ is "shared": closing the
 * worker leaves it open, reconnecting for good (and, with no listener left,
 * printing "Unhandled error event") once Redis is gone. One made from options
 * is closed with the worker.
 */
export function ownConnectionOf(redis: Redis): ConnectionOptions {
  // ioredis' retryStrategy type is narrower than BullMQ's copy of the options type; the values are ioredis' own.
  return { ...redis.options } as ConnectionOptions;
}

/**
 * How a process's options name Redis: the settings of its configuration
 * (`redis`) or, as tests and benchmarks do, a bare URL (`redisUrl`); the
 * settings win when both are given.
 */
export interface RedisConnectionOptions {
  redisUrl?: string;
  redis?: RedisSettings;
}

/** What {@link createRedis} takes for such options; throws when neither is given. */
export function redisConnectionOf(options: RedisConnectionOptions): string | RedisSettings {
  const connection = options.redis ?? options.redisUrl;
  if (connection === undefined) {
    throw new Error('REDIS_URL is not set: point it to Redis, e.g. redis://127.0.0.1:6380.');
  }
  return connection;
}
