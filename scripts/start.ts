/**
 * `npm start`: one command from a fresh clone to a running Panorama.
 *
 * Elasticsearch and Redis (embedded unless ELASTICSEARCH_URL / REDIS_URL are
 * set) → mappings → web UI build when stale → credentials → indexer and API as
 * child processes → demo data on a fresh store → a box with where to log in.
 * Ctrl-C (or `npm run stop`) stops the API, the indexer, Redis and
 * Elasticsearch gracefully, in that order.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  forgetGroup,
  isPortTaken,
  readLivePid,
  removePidFile,
  spawnGroup,
  stopGroup,
  writePidFile,
  type ProcessName,
} from './embedded/processes';
import { startServices, type RunningServices } from './embedded/services';
import { buildWebIfStale } from './embedded/web-build';
import { childLogFormat, readStartConfig, type StartConfig } from './start-config';

const root = fileURLToPath(new URL('..', import.meta.url));

function readConfig(): { config: StartConfig; passedOn: NodeJS.ProcessEnv } {
  const read = readStartConfig(process.env);
  if (read.ok) return read;
  console.error('Panorama cannot start, the environment has problems:');
  for (const problem of read.problems) console.error(`  - ${problem}`);
  process.exit(1);
}

const useColor = process.stdout.isTTY === true;
const paint = (code: number, text: string): string =>
  useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
const step = (message: string): void => console.log(`${paint(36, '›')} ${message}`);

interface Child {
  name: 'api' | 'indexer';
  process: ChildProcess;
  pid: number;
  exited: boolean;
}

const children: Child[] = [];
let services: RunningServices | undefined;
let servicesStarting: Promise<RunningServices> | undefined;
let shuttingDown = false;
/** Aborted on shutdown so a slow Elasticsearch start does not delay Ctrl-C. */
const startAborted = new AbortController();
let dataDir = '';

function prefixOutput(child: ChildProcess, label: string, color: number): void {
  const tag = paint(color, `[${label}]`);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => console.log(`${tag} ${line}`));
  }
}

/** Waits before restarting a child that died: 1 s, doubling to 30 s; back to 1 s once it ran a minute. */
const restartDelaysMs = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
const healthyAfterMs = 60_000;

/**
 * Starts a child and keeps it running: when it dies on its own (a crash,
 * `kill -9`), a line says so and it is started again after a backoff, while
 * the rest of Panorama keeps serving. Only a shutdown stops it for good.
 */
async function spawnChild(
  name: Child['name'],
  entry: string,
  env: NodeJS.ProcessEnv,
  color: number,
  restarts = 0,
): Promise<Child> {
  // `node --import tsx` rather than the tsx CLI: one process per service, so
  // SIGTERM reaches the service's own shutdown handler without a relay.
  const child = await spawnGroup(process.execPath, ['--import', 'tsx', entry], { cwd: root, env });
  const record: Child = { name, process: child, pid: child.pid as number, exited: false };
  const startedAt = Date.now();
  prefixOutput(child, name, color);
  child.once('exit', (code, signal) => {
    record.exited = true;
    forgetGroup(record.pid);
    if (shuttingDown) return;
    const ranLong = Date.now() - startedAt >= healthyAfterMs;
    const attempt = ranLong ? 0 : restarts;
    const delayMs = restartDelaysMs[Math.min(attempt, restartDelaysMs.length - 1)];
    console.error(
      paint(
        31,
        `The ${name} exited unexpectedly (${signal ?? `code ${code}`}); restarting it in ${delayMs / 1000} s`,
      ),
    );
    void sleep(delayMs).then(async () => {
      if (shuttingDown) return;
      try {
        await spawnChild(name, entry, env, color, attempt + 1);
        step(`The ${name} is running again`);
      } catch (error) {
        void shutdown(`The ${name} could not be restarted: ${(error as Error).message}`, 1);
      }
    });
  });
  await writePidFile(dataDir, name, record.pid);
  const index = children.findIndex((candidate) => candidate.name === name);
  if (index >= 0) children[index] = record;
  else children.push(record);
  return record;
}

async function waitForReady(baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (shuttingDown) return;
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(3_000) });
      if (response.ok) return;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(
    `The API did not become ready within ${timeoutMs / 1000} s (last answer: ${last})`,
  );
}

function printBox(lines: string[]): void {
  const width = Math.max(...lines.map((line) => line.length));
  const border = '─'.repeat(width + 2);
  console.log(`\n┌${border}┐`);
  for (const line of lines) console.log(`│ ${line.padEnd(width)} │`);
  console.log(`└${border}┘\n`);
}

/**
 * Stops everything in dependency order: the API first (no new work comes in),
 * then the indexer (it finishes or returns its jobs), then Redis and
 * Elasticsearch. A second Ctrl-C skips the grace periods.
 */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (shuttingDown) {
    console.log('Forcing stop.');
    process.exit(exitCode || 130); // the exit hook SIGTERMs every group we started
  }
  shuttingDown = true;
  startAborted.abort();
  if (exitCode !== 0) console.error(paint(31, reason));
  step(`Stopping Panorama${exitCode === 0 ? ` (${reason})` : ''}; press Ctrl-C again to force`);
  for (const name of ['api', 'indexer'] as const) {
    const child = children.find((candidate) => candidate.name === name);
    if (!child) continue;
    if (!child.exited) {
      await stopGroup(child.pid, { graceMs: 20_000, leaderOnly: true });
      forgetGroup(child.pid);
    }
    await removePidFile(dataDir, name);
  }
  if (!services && servicesStarting) {
    services = await servicesStarting.catch(() => undefined);
  }
  await services?.stop();
  await removePidFile(dataDir, 'panorama');
  step('Stopped');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const { config, passedOn } = readConfig();
  dataDir = path.resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const baseUrl = `http://127.0.0.1:${config.PORT}`;

  const running = await readLivePid(dataDir, 'panorama', 'start.ts');
  if (running !== undefined) {
    console.error(
      `Panorama already runs from ${dataDir} (pid ${running}) at ${baseUrl}. ` +
        "Stop it with 'npm run stop', or use another DATA_DIR.",
    );
    process.exit(1);
  }
  if (await isPortTaken(config.PORT)) {
    console.error(`Port ${config.PORT} on 127.0.0.1 is already in use; set PORT to a free port.`);
    process.exit(1);
  }
  // Stale pid files from a crashed run would confuse `npm run stop`.
  for (const name of ['api', 'indexer'] satisfies ProcessName[]) await removePidFile(dataDir, name);
  await writePidFile(dataDir, 'panorama', process.pid);
  process.on('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  const shownDataDir = path.relative(process.cwd(), dataDir);
  step(
    `Starting Elasticsearch and Redis (data in ${shownDataDir.startsWith('..') ? dataDir : shownDataDir || '.'})`,
  );
  servicesStarting = startServices({
    dataDir,
    esPort: config.PANORAMA_ES_PORT,
    redisPort: config.PANORAMA_REDIS_PORT,
    esHeap: config.PANORAMA_ES_HEAP,
    elasticsearchUrl: config.ELASTICSEARCH_URL,
    elasticsearchCloud: Boolean(config.ELASTICSEARCH_CLOUD_ID),
    redisUrl: config.REDIS_URL,
    log: (line) => step(line),
    signal: startAborted.signal,
  });
  services = await servicesStarting;
  const { elasticsearchUrl, redisUrl } = services;
  // An existing cluster with its credentials and CA (the children read the same variables); the embedded one as it is.
  const { elasticsearchSettingsOf } = await import('../infra/src/connection-env');
  const elasticsearch =
    config.ELASTICSEARCH_URL || config.ELASTICSEARCH_CLOUD_ID
      ? elasticsearchSettingsOf(config)
      : { url: elasticsearchUrl ?? '' };
  if (shuttingDown) return;

  // The sentence naming what to fix (credentials, CA, privileges) rather than a failed migration.
  const { checkConnections } = await import('../infra/src/connection-check');
  await checkConnections({
    elasticsearch,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    warn: (message) => step(`Warning: ${message}`),
  });
  if (shuttingDown) return;

  step('Applying index mappings');
  // Dynamic imports keep this file loadable when a module has a problem
  // unrelated to the step being run, and load the ES client only when needed.
  const { applyMappings } = await import('../mappings/apply');
  const { indexLayoutOf } = await import('../infra/src/index-layout');
  const { loadIdentityRules } = await import('../store/src/identity/identity-rules');
  await applyMappings({
    elasticsearch,
    prefix: config.PANORAMA_INDEX_PREFIX,
    layout: indexLayoutOf(config),
    identityRules: loadIdentityRules(config.PANORAMA_IDENTITY_RULES),
    log: (line) => step(line),
  });
  if (shuttingDown) return;

  if (!(await buildWebIfStale(root, step))) step('Web UI is up to date');

  step('Ensuring credentials');
  const { ensureCredentials } = await import('../server/src/auth/credentials');
  const credentials = await ensureCredentials(dataDir);
  if (shuttingDown) return;
  // The suppression list's pepper, made now (0600, beside the credentials) so the indexer, started first, finds it.
  const { pepperOfProcess, pepperPath } = await import('../infra/src/suppression-pepper');
  const pepper = await pepperOfProcess('api', {
    elasticsearch,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    dataDir,
    suppressErased: config.PANORAMA_SUPPRESS_ERASED,
    envPepper: config.PANORAMA_SUPPRESSION_PEPPER,
  });
  if (shuttingDown) return;

  step(`Starting the indexer and the API on port ${config.PORT}`);
  const childEnv: NodeJS.ProcessEnv = {
    ...passedOn,
    ...(elasticsearchUrl ? { ELASTICSEARCH_URL: elasticsearchUrl } : {}),
    REDIS_URL: redisUrl,
    PORT: String(config.PORT),
    DATA_DIR: dataDir,
    PANORAMA_LOG_FORMAT: childLogFormat(config, process.stdout.isTTY === true),
  };
  await spawnChild('indexer', 'indexers/src/main.ts', childEnv, 35);
  await spawnChild('api', 'server/src/main.ts', childEnv, 33);
  await waitForReady(baseUrl);
  if (shuttingDown) return;

  const demoMarker = path.join(dataDir, 'demo-loaded');
  if (config.PANORAMA_DEMO !== '0' && !existsSync(demoMarker)) {
    step(
      `Loading the demo data set (${config.PANORAMA_DEMO_CUSTOMERS.toLocaleString('en')} customers)`,
    );
    const { loadDemo } = await import('./demo/load');
    await loadDemo({
      baseUrl,
      apiKey: credentials.ingestKey,
      customers: config.PANORAMA_DEMO_CUSTOMERS,
    });
    if (shuttingDown) return;
    await writeFile(demoMarker, `${new Date().toISOString()}\n`);
  }

  // The API copied the file's accounts into the shared accounts index; a password an admin changed there is not shown.
  const { initialLogins } = await import('../server/src/auth/credentials');
  const logins = await initialLogins({
    dataDir,
    elasticsearch,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
  }).catch(() => credentials.users);
  const known = logins.filter((user) => user.password !== null);
  const lines = [`Panorama is running at ${baseUrl}`, ''];
  for (const user of known)
    lines.push(`  log in as ${user.username} / ${user.password} (${user.role})`);
  if (known.length < logins.length) {
    const others = logins.filter((user) => user.password === null).map((user) => user.username);
    lines.push(`  (${others.join(', ')}: passwords were changed and are not shown)`);
  }
  lines.push(
    '',
    `Credentials: ${credentials.path}`,
    pepper === null
      ? 'Suppression of erased identifiers: off (PANORAMA_SUPPRESS_ERASED=0)'
      : `Suppression pepper: ${config.PANORAMA_SUPPRESSION_PEPPER ? 'PANORAMA_SUPPRESSION_PEPPER' : pepperPath(dataDir)} (keep it with the credentials)`,
    'Ctrl-C stops everything; `npm run stop` stops a background run',
  );
  printBox(lines);
}

main().catch((error: unknown) => {
  // A start cancelled by Ctrl-C fails on purpose; the shutdown already under way ends the process.
  if (shuttingDown) return;
  const message = error instanceof Error ? error.message : String(error);
  void shutdown(`Panorama could not start: ${message}`, 1);
});
