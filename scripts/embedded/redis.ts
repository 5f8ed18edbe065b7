/**
 * The embedded Redis: Debian's redis-server on its own port and data dir, with
 * the AOF fsynced on every write so that an accepted touchpoint survives a
 * crash (CONTRACT.md "Accepted means durably queued").
 */
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  forgetGroup,
  isGroupAlive,
  resolvePort,
  spawnGroup,
  stopGroup,
  tailFile,
  type Log,
} from './processes';

const READY_TIMEOUT_MS = 20_000;

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Panorama's data dir; Redis keeps its AOF under `<dataDir>/redis`. */
  dataDir: string;
  /** Port on 127.0.0.1; 0 picks a free port. Never 6379 by default: a system Redis may live there. */
  port: number;
  log?: Log;
  /** Aborting stops a start that is still waiting for Redis. */
  signal?: AbortSignal;
}

/** A running embedded Redis. */
export interface RunningRedis {
  url: string;
  /** Stops Redis gracefully (it flushes the AOF on SIGTERM) and resolves once it is gone. */
  stop(): Promise<void>;
  pid: number;
}

function findRedisServer(): string {
  const result = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = result.status === 0 ? result.stdout.trim() : '';
  if (!found) {
    throw new Error(
      "The embedded Redis needs 'redis-server', which is not installed. " +
        'Install it (Debian: apt-get install -y redis-server) or set REDIS_URL to an existing Redis.',
    );
  }
  return found;
}

/** Sends PING over a raw socket: no client library needed, and no reconnect logic hiding failures. */
export async function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) finish(answer.startsWith('+PONG'));
    });
  });
}

/**
 * Starts redis-server bound to 127.0.0.1 and resolves once it answers PING.
 *
 * @example
 * const redis = await startRedis({ dataDir: '.data', port: 6380 });
 * // redis.url is redis://127.0.0.1:6380
 */
export async function startRedis({
  dataDir,
  port,
  log = () => {},
  signal,
}: StartRedisOptions): Promise<RunningRedis> {
  const started = Date.now();
  const binary = findRedisServer();
  const redisPort = await resolvePort(
    port,
    (taken) =>
      `Port ${taken} on 127.0.0.1 is already in use, so the embedded Redis cannot start there. ` +
      'Stop what uses it, set PANORAMA_REDIS_PORT to a free port, or set REDIS_URL to use that Redis.',
  );
  const dir = path.resolve(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const outputFile = path.resolve(dataDir, 'logs', 'redis.log');

  const child = await spawnGroup(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--daemonize',
      'no',
      // BullMQ needs its keys kept: evicting them would silently lose queued work.
      '--maxmemory-policy',
      'noeviction',
    ],
    { cwd: dir, outputFile },
  );
  const pid = child.pid as number;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    await stopGroup(pid, { graceMs: 15_000 });
    forgetGroup(pid);
  };

  while (!(await pingRedis('127.0.0.1', redisPort))) {
    if (signal?.aborted) {
      await stop();
      throw new Error('The Redis start was cancelled');
    }
    if (exited || !isGroupAlive(pid)) {
      throw new Error(
        `redis-server exited during startup. Last log lines:\n${await tailFile(outputFile, 20)}`,
      );
    }
    if (Date.now() - started > READY_TIMEOUT_MS) {
      await stop();
      throw new Error(
        `redis-server did not answer PING within ${READY_TIMEOUT_MS / 1000} s. Last log lines:\n` +
          (await tailFile(outputFile, 20)),
      );
    }
    await sleep(100);
  }
  const url = `redis://127.0.0.1:${redisPort}`;
  log(`Redis ready at ${url} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { url, stop, pid };
}
