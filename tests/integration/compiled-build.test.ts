/**
 * The compiled processes of `npm run build:server` run on their own: the
 * bundles are laid out the way the Docker image holds them (dist/, config/,
 * web/dist and node_modules, no TypeScript sources) in a temp dir, the
 * migration applies the mappings, and the API and an indexer started with
 * `node` take a touchpoint through to search — against the real
 * Elasticsearch and Redis of the test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { buildServer, outDir, root, type BuiltBundle } from '../../scripts/build-server';
import { readCredentials } from '../../server/src/auth/credentials';
import { serviceUrls } from '../support/panorama';

const prefix = `t${randomBytes(4).toString('hex')}`;
const { elasticsearchUrl, redisUrl } = serviceUrls();
const marker = `<!doctype html><title>panorama ${prefix}</title>`;
let image = '';
let built: BuiltBundle[] = [];
const running: ChildProcess[] = [];
let apiUrl = '';
let apiPort = 0;
let indexer: ChildProcess | null = null;

interface Started {
  child: ChildProcess;
  /** The output until the awaited line. */
  output: string;
  line: string;
}

/** Runs `node <image>/dist/<file>` until a line of its output matches `until` (or it exits with 0 when `until` is null). */
function run(
  file: string,
  until: RegExp | null,
  env: Record<string, string> = {},
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(image, outDir, file)], {
      cwd: image,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ELASTICSEARCH_URL: elasticsearchUrl,
        REDIS_URL: redisUrl,
        PANORAMA_INDEX_PREFIX: prefix,
        PANORAMA_QUEUE_PREFIX: prefix,
        DATA_DIR: path.join(image, 'data'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = until && output.split('\n').find((l) => until.test(l));
      if (line) resolve({ child, output, line });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!until && code === 0) resolve({ child, output, line: '' });
      else reject(new Error(`${file} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** A port free right now: the health check needs the API's PORT, so it cannot be 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `node dist/healthcheck.js <mode>` with the environment of that process: its exit code and output. */
function healthcheck(
  mode: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(image, outDir, 'healthcheck.js'), mode], {
      cwd: image,
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
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  built = await buildServer();
  image = await mkdtemp(path.join(tmpdir(), 'panorama-image-'));
  await cp(path.join(root, outDir), path.join(image, outDir), { recursive: true });
  await cp(path.join(root, 'config'), path.join(image, 'config'), { recursive: true });
  await mkdir(path.join(image, 'web/dist'), { recursive: true });
  await writeFile(path.join(image, 'web/dist/index.html'), marker);
  await symlink(path.join(root, 'node_modules'), path.join(image, 'node_modules'), 'dir');

  await run('migrate.js', null);
  // The API first: its first start writes the credentials and the suppression pepper the indexer needs.
  apiPort = await freePort();
  const api = await run('api.js', /api listening/, {
    PORT: String(apiPort),
    PANORAMA_HOST: '0.0.0.0',
  });
  apiUrl = `http://127.0.0.1:${apiPort}`;
  expect(api.line).toContain(`:${apiPort}`);
  indexer = (await run('indexer.js', /indexer started/)).child;
});

afterAll(async () => {
  await Promise.all(running.map(stop));
  await removePrefixData(elasticsearchUrl, redisUrl, prefix);
  if (image) await rm(image, { recursive: true, force: true });
});

describe('the compiled processes', () => {
  it('import only packages that are production dependencies, so `npm ci --omit=dev` is enough to run them', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(built.map((b) => b.name).sort()).toEqual(['api', 'healthcheck', 'indexer', 'migrate']);
    for (const bundle of built) {
      expect(bundle.packages.length, bundle.name).toBeGreaterThan(0);
      const missing = bundle.packages.filter((p) => !(p in pkg.dependencies));
      expect(missing, `${bundle.out} imports packages outside "dependencies"`).toEqual([]);
    }
  });

  it('answer /readyz with 200 and serve the web UI from web/dist beside dist/', async () => {
    const ready = await fetch(`${apiUrl}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
    const page = await fetch(`${apiUrl}/customers`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(marker);
  });

  it('take a touchpoint ingested with the generated ingest key through to a customer an agent finds', async () => {
    const credentials = await readCredentials(path.join(image, 'data'));
    const ingestKey = credentials?.apiKeys.find((k) => k.role === 'ingest')?.key;
    const agentPassword = credentials?.users.find((u) => u.username === 'agent')?.initialPassword;
    expect(
      ingestKey && agentPassword,
      'credentials.json has an ingest key and an agent',
    ).toBeTruthy();

    const ingest = await fetch(`${apiUrl}/api/v1/touchpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          source: 'shop',
          id: `order-${prefix}`,
          type: 'order',
          occurredAt: '2026-10-02T14:12:00Z',
          customer: { email: `ada.${prefix}@example.de`, firstName: 'Ada', lastName: 'Kompiliert' },
          data: { orderNumber: `A-${prefix}`, total: 42, currency: 'EUR', status: 'paid' },
        },
      ]),
    });
    expect(ingest.status, await ingest.clone().text()).toBe(202);

    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent', password: agentPassword }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const deadline = Date.now() + 30_000;
    let found: { total: number; items: { name: string }[] } = { total: 0, items: [] };
    while (found.total === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const res = await fetch(`${apiUrl}/api/v1/customers/search?q=Kompiliert`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      found = (await res.json()) as typeof found;
    }
    expect(found.total).toBe(1);
    expect(found.items[0].name).toBe('Ada Kompiliert');
  });

  it('pass their health checks, and fail them once the indexer stopped or where no API listens', async () => {
    const [api, indexerUp, otherQueue] = await Promise.all([
      healthcheck('api', { PORT: String(apiPort), PANORAMA_HOST: '0.0.0.0' }),
      healthcheck('indexer', {}),
      healthcheck('indexer', { PANORAMA_QUEUE_PREFIX: `${prefix}x` }),
    ]);
    expect(api.code, api.output).toBe(0);
    expect(indexerUp.code, indexerUp.output).toBe(0);
    expect(otherQueue.code).toBe(1);
    expect(otherQueue.output).toContain(`no worker of queue ${prefix}x-ingest`);

    await stop(indexer!);
    const [stopped, wrongPort] = await Promise.all([
      healthcheck('indexer', {}),
      healthcheck('api', { PORT: String(await freePort()) }),
    ]);
    expect(stopped.code, stopped.output).toBe(1);
    expect(wrongPort.code).toBe(1);
  });
});
