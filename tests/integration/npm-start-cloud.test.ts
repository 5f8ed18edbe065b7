/**
 * `npm start` given only ELASTICSEARCH_CLOUD_ID uses that deployment: it
 * starts no embedded Elasticsearch, and when the deployment cannot be
 * reached it says so and exits instead of running on a local cluster.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findFreePort } from '../../scripts/embedded/processes';
import { serviceUrls } from '../support/panorama';

const root = path.resolve(import.meta.dirname, '../..');

it('with only ELASTICSEARCH_CLOUD_ID, starts no embedded Elasticsearch and names the unreachable deployment', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-start-cloud-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // A cloud id is `<name>:base64(<host>$<es uuid>$<kibana uuid>)`; .invalid never resolves.
      ELASTICSEARCH_CLOUD_ID: `panorama:${Buffer.from('cloud.invalid$0123abcd$4567ef').toString('base64')}`,
      ELASTICSEARCH_API_KEY: 'bm90LWEta2V5',
      REDIS_URL: serviceUrls().redisUrl,
      DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
      PANORAMA_DEMO: '0',
    };
    delete env.ELASTICSEARCH_URL;
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => start.once('exit', resolve));

    expect(output).toContain('Using the Elastic Cloud deployment of ELASTICSEARCH_CLOUD_ID');
    expect(output).not.toMatch(/Elasticsearch .*ready at http:\/\/127\.0\.0\.1/);
    expect(output).toContain('cloud.invalid');
    expect(code).not.toBe(0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);
