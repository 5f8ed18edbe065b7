/**
 * `npm start` keeps Panorama up when one of its processes dies: the indexer
 * or the API killed with `kill -9` is started again after a backoff, with a
 * line in the terminal, while the rest keeps running; a stop still stops
 * everything. Runs scripts/start.ts against the test run's Elasticsearch and
 * Redis (no demo data), the way a user runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { findFreePort, isAlive, runDir } from '../../scripts/embedded/processes';
import { serviceUrls } from '../support/panorama';

const root = path.resolve(import.meta.dirname, '../..');
const prefix = `t${randomBytes(4).toString('hex')}`;
const { elasticsearchUrl, redisUrl } = serviceUrls();
let dataDir = '';
let start: ChildProcess | undefined;
let output = '';
let port = 0;

/** Resolves when the output of `npm start` contains `text` (checked as it arrives). */
function outputShows(text: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`npm start did not print "${text}"; it printed:\n${output}`)),
      timeoutMs,
    );
    const check = setInterval(() => {
      if (!output.includes(text)) return;
      clearTimeout(deadline);
      clearInterval(check);
      resolve();
    }, 100);
  });
}

async function pidOf(name: 'api' | 'indexer'): Promise<number> {
  return Number((await readFile(path.join(runDir(dataDir), `${name}.pid`), 'utf8')).trim());
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-start-'));
  port = await findFreePort();
  start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ELASTICSEARCH_URL: elasticsearchUrl,
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      PANORAMA_DEMO: '0',
      PANORAMA_INDEX_PREFIX: prefix,
      PANORAMA_QUEUE_PREFIX: prefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await outputShows('Panorama is running at', 170_000);
}, 180_000);

afterAll(async () => {
  if (start && start.exitCode === null) {
    start.kill('SIGTERM');
    await new Promise((resolve) => start?.once('exit', resolve));
  }
  await removePrefixData(elasticsearchUrl, redisUrl, prefix);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start', () => {
  it('restarts the indexer after a kill -9, says so, and the API keeps answering meanwhile', async () => {
    const before = await pidOf('indexer');
    process.kill(before, 'SIGKILL');
    await outputShows('The indexer exited unexpectedly (SIGKILL); restarting it in 1 s');
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ready.status).toBe(200);
    await outputShows('The indexer is running again', 30_000);
    const after = await pidOf('indexer');
    expect(after).not.toBe(before);
    expect(isAlive(after)).toBe(true);
  });

  it('restarts the API after a kill -9, and it answers again on the same port', async () => {
    const before = await pidOf('api');
    process.kill(before, 'SIGKILL');
    await outputShows('The api exited unexpectedly (SIGKILL); restarting it in 1 s');
    await outputShows('The api is running again', 30_000);
    let status = 0;
    for (let attempt = 0; attempt < 120 && status !== 200; attempt++) {
      status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });

  it('stops everything on SIGTERM, restarted processes included', async () => {
    const pids = [await pidOf('api'), await pidOf('indexer')];
    const exited = new Promise<number | null>((resolve) => start?.once('exit', resolve));
    start?.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
