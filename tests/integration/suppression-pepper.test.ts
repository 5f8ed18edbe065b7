/**
 * The suppression list's pepper: made on first start (0600, beside the
 * credentials), the same for every process, and refused when missing or
 * not the installation's — against the real Elasticsearch, with the
 * indexer started as its own process the way `npm start` does.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames } from '../../infra/src/names';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import {
  apiSuppressionPepper,
  pepperPath,
  readPepperFile,
} from '../../infra/src/suppression-pepper';
import { applyMappings } from '../../mappings/apply';
import { serviceUrls } from '../support/panorama';

const root = path.resolve(import.meta.dirname, '../..');
const prefix = `t${randomBytes(4).toString('hex')}`;
let dataDir = '';
const { elasticsearchUrl, redisUrl } = serviceUrls();
const es = createElasticsearch(elasticsearchUrl);
const index = indexNames(prefix).suppressions;

beforeAll(async () => {
  await applyMappings({ elasticsearchUrl, prefix });
  dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-pepper-'));
});
afterAll(async () => {
  await es.close();
  await removePrefixData(elasticsearchUrl, redisUrl, prefix);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs the indexer process until it exits or prints that it started (then stops it); its exit code and output. */
function runIndexer(
  env: Record<string, string>,
): Promise<{ code: number | null; started: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'indexers/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        ELASTICSEARCH_URL: elasticsearchUrl,
        REDIS_URL: redisUrl,
        PANORAMA_INDEX_PREFIX: prefix,
        PANORAMA_QUEUE_PREFIX: prefix,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!started && output.includes('indexer started')) {
        started = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, started, output });
    });
  });
}

describe('the suppression pepper', () => {
  it('is generated on the first start of the API, kept in DATA_DIR with mode 0600, and the same on the next start', async () => {
    const first = await apiSuppressionPepper({
      enabled: true,
      envPepper: undefined,
      dataDir,
      es,
      index,
    });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(pepperPath(dataDir))).mode & 0o777).toBe(0o600);
    expect(
      await apiSuppressionPepper({ enabled: true, envPepper: undefined, dataDir, es, index }),
    ).toBe(first);
    expect(await readPepperFile(dataDir)).toBe(first);
    // The suppression index holds a check value of it, nothing else.
    const check = await es.get<{ check: string }>({ index, id: 'pepper-check' });
    expect(check._source?.check).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(check._source)).not.toContain(first);
  });

  it('makes the API refuse to start when the installation has a pepper but its file is gone, or it is given another one', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'panorama-pepper-empty-'));
    try {
      await expect(
        apiSuppressionPepper({ enabled: true, envPepper: undefined, dataDir: empty, es, index }),
      ).rejects.toThrow(/missing.*PANORAMA_SUPPRESSION_PEPPER.*PANORAMA_SUPPRESS_ERASED=0/s);
      await expect(
        apiSuppressionPepper({
          enabled: true,
          envPepper: randomBytes(32).toString('hex'),
          dataDir,
          es,
          index,
        }),
      ).rejects.toThrow(/differs/);
      // Off is off: no pepper needed, none made.
      expect(
        await apiSuppressionPepper({
          enabled: false,
          envPepper: undefined,
          dataDir: empty,
          es,
          index,
        }),
      ).toBeNull();
      expect(await readPepperFile(empty)).toBeNull();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('makes the indexer process refuse to start without a pepper, or with another one, and start with the file or with suppression off', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'panorama-pepper-none-'));
    try {
      const none = await runIndexer({ DATA_DIR: empty });
      expect(none.started).toBe(false);
      expect(none.code).toBe(1);
      expect(none.output).toMatch(
        /no pepper.*PANORAMA_SUPPRESSION_PEPPER.*PANORAMA_SUPPRESS_ERASED=0/s,
      );

      const other = await runIndexer({
        DATA_DIR: empty,
        PANORAMA_SUPPRESSION_PEPPER: randomBytes(32).toString('hex'),
      });
      expect(other.started).toBe(false);
      expect(other.code).toBe(1);
      expect(other.output).toContain('differs');

      const withFile = await runIndexer({ DATA_DIR: dataDir });
      expect(withFile.started, withFile.output).toBe(true);

      const off = await runIndexer({ DATA_DIR: empty, PANORAMA_SUPPRESS_ERASED: '0' });
      expect(off.started, off.output).toBe(true);
      expect(off.output).toContain('suppression of erased identifiers is off');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 180_000);
});
