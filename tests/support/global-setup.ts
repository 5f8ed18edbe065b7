/**
 * Starts the real Elasticsearch and Redis that integration and e2e tests use
 * (unless ELASTICSEARCH_URL / REDIS_URL point to existing ones), in a fresh
 * temp data dir on free ports, and hands their URLs to the tests through
 * `inject('elasticsearchUrl')` / `inject('redisUrl')` and process.env.
 * The e2e project also builds the web UI first when web/src changed.
 *
 * Set PANORAMA_KEEP_TEST_DATA=1 to keep the temp dir (and the ES log) after the run.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startServices, type RunningServices } from '../../scripts/embedded/services';
import { buildWebIfStale } from '../../scripts/embedded/web-build';

const root = fileURLToPath(new URL('../..', import.meta.url));
const log = (line: string): void => console.log(`[test services] ${line}`);

interface SharedServices {
  services: Promise<{ running: RunningServices; dataDir: string }>;
  users: number;
}

// When one vitest run covers several projects, each calls this setup; they
// share one set of services instead of starting an Elasticsearch per project.
const shared = globalThis as typeof globalThis & { panoramaTestServices?: SharedServices };

async function start(): Promise<{ running: RunningServices; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-test-'));
  // mkdtemp makes it 0700; Elasticsearch runs as an unprivileged user when we are root.
  await chmod(dataDir, 0o755);
  try {
    const running = await startServices({
      dataDir,
      esPort: 0,
      redisPort: 0,
      esHeap: '768m',
      elasticsearchUrl: process.env.ELASTICSEARCH_URL || undefined,
      redisUrl: process.env.REDIS_URL || undefined,
      log,
    });
    return { running, dataDir };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared.panoramaTestServices ??= { services: start(), users: 0 };
  const state = shared.panoramaTestServices;
  state.users += 1;
  const { running } = await state.services;
  // The tests start their own cluster or take ELASTICSEARCH_URL; never a cloud deployment.
  const elasticsearchUrl = running.elasticsearchUrl;
  if (!elasticsearchUrl)
    throw new Error('The tests need ELASTICSEARCH_URL or the embedded cluster');

  project.provide('elasticsearchUrl', elasticsearchUrl);
  project.provide('redisUrl', running.redisUrl);
  process.env.ELASTICSEARCH_URL = elasticsearchUrl;
  process.env.REDIS_URL = running.redisUrl;

  if (project.name === 'e2e') await buildWebIfStale(root, log);

  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    shared.panoramaTestServices = undefined;
    const { running: services, dataDir } = await state.services;
    await services.stop();
    if (process.env.PANORAMA_KEEP_TEST_DATA === '1') log(`Kept test data in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  };
}
