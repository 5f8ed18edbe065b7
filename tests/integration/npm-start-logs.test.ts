/**
 * What `npm start` shows of its children's logs: JSON lines when its output
 * is not a terminal (a pipe here, as in CI or `npm start > file`), readable
 * lines with `PANORAMA_LOG_FORMAT=pretty`, and the debug lines only at
 * `PANORAMA_LOG_LEVEL=debug`. Runs scripts/start.ts against the test run's
 * Elasticsearch and Redis (no demo data), once per setting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { findFreePort } from '../../scripts/embedded/processes';
import { serviceUrls } from '../support/panorama';

const root = path.resolve(import.meta.dirname, '../..');
const { elasticsearchUrl, redisUrl } = serviceUrls();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}, 60_000);

/** Runs `npm start` with `env` until it is ready, stops it, and returns everything it printed. */
async function outputOfStart(env: NodeJS.ProcessEnv): Promise<string> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-start-logs-'));
  let output = '';
  const start: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ELASTICSEARCH_URL: elasticsearchUrl,
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
      PANORAMA_DEMO: '0',
      PANORAMA_INDEX_PREFIX: prefix,
      PANORAMA_QUEUE_PREFIX: prefix,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => start.once('exit', resolve));
  cleanups.push(async () => {
    if (start.exitCode === null && start.signalCode === null) start.kill('SIGTERM');
    await exited;
    await removePrefixData(elasticsearchUrl, redisUrl, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });
  start.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`npm start did not become ready; it printed:\n${output}`)),
      170_000,
    );
    const check = setInterval(() => {
      if (!output.includes('Panorama is running at')) return;
      clearTimeout(deadline);
      clearInterval(check);
      resolve();
    }, 100);
  });
  start.kill('SIGTERM');
  await exited;
  return output;
}

/** The lines a child printed, without npm start's `[name] ` prefix. */
function linesOf(output: string, child: 'api' | 'indexer'): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(`[${child}] `))
    .map((line) => line.slice(child.length + 3));
}

describe("npm start's view of the logs", () => {
  it('passes the JSON lines on when its output is not a terminal, without debug lines', async () => {
    const output = await outputOfStart({ PANORAMA_LOG_FORMAT: '', PANORAMA_LOG_LEVEL: '' });
    const messages = (child: 'api' | 'indexer') =>
      linesOf(output, child)
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; level: number; name: string });
    expect(messages('indexer')).toContainEqual(
      expect.objectContaining({ msg: 'indexer started', level: 30, name: 'indexer' }),
    );
    expect(messages('api')).toContainEqual(
      expect.objectContaining({ msg: 'api listening', level: 30, name: 'api' }),
    );
    expect(output).not.toContain('indexer settings');
  }, 240_000);

  it('shows readable lines with PANORAMA_LOG_FORMAT=pretty, and the debug lines at debug', async () => {
    const output = await outputOfStart({
      PANORAMA_LOG_FORMAT: 'pretty',
      PANORAMA_LOG_LEVEL: 'debug',
    });
    const indexer = linesOf(output, 'indexer');
    const api = linesOf(output, 'api');
    expect(indexer.join('\n')).toMatch(/INFO.*\(indexer\).*indexer started/);
    expect(indexer.join('\n')).toMatch(/DEBUG.*\(indexer\).*indexer settings/);
    expect(api.join('\n')).toMatch(/INFO.*\(api\).*api listening/);
    expect([...indexer, ...api].filter((line) => line.startsWith('{"level":'))).toEqual([]);
  }, 240_000);
});
