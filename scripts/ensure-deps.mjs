#!/usr/bin/env node
/**
 * Runs before `npm start` / `npm test` / `npm run stop`, before node_modules
 * may exist, so it is plain Node ESM without dependencies; it reads
 * PANORAMA_CACHE_DIR, ES_JAVA_HOME and JAVA_HOME by the rules of
 * scripts/embedded/config.ts without its schema.
 *
 * 1. `npm ci` when node_modules is missing or older than package-lock.json.
 * 2. As root, `apt-get install -y` the system tools the run needs and lacks
 *    (one `apt-get update` first); otherwise say what to install.
 *
 * Quiet when everything is present; safe to run again.
 * Flags: --browser also ensures Chromium (implied for `npm test` and `npm run test:e2e`);
 *        --quiet only ensures node_modules (used by `npm run stop`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const lifecycle = process.env.npm_lifecycle_event ?? '';
// Keep in step with ELASTICSEARCH_VERSION in scripts/embedded/elasticsearch.ts.
const ELASTICSEARCH_VERSION = '8.19.21';

function ensureNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const stale =
    !existsSync(installed) ||
    (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
  if (!stale) return;
  console.log('Installing npm dependencies (npm ci) …');
  // The lockfile lists every platform's optional binaries (msgpackr-extract,
  // unrs-resolver), so npm ci accepts it on any machine. Should it refuse, the
  // lockfile is out of step with package.json: `npm install --package-lock-only`
  // brings it back, and the refusal below says so instead of installing other versions.
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(
      'npm ci failed (see above). If it says the lockfile is out of sync, run `npm install --package-lock-only` and commit package-lock.json.',
    );
    process.exit(result.status ?? 1);
  }
}

const has = (command) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function javaMajor(home) {
  try {
    const release = readFileSync(path.join(home, 'release'), 'utf8');
    const version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
    if (!version) return undefined;
    const [first, second] = version.split('.').map(Number);
    return first === 1 ? second : first;
  } catch {
    return undefined;
  }
}

/** Same rule as findJavaHome() in scripts/embedded/elasticsearch.ts: a JDK 17..24. */
function hasSupportedJdk() {
  const candidates = [process.env.ES_JAVA_HOME, process.env.JAVA_HOME].filter(Boolean);
  if (existsSync('/usr/lib/jvm')) {
    for (const entry of readdirSync('/usr/lib/jvm'))
      candidates.push(path.join('/usr/lib/jvm', entry));
  }
  return candidates.some((home) => {
    const major = javaMajor(home);
    return (
      major !== undefined &&
      major >= 17 &&
      major <= 24 &&
      existsSync(path.join(home, 'bin', 'java'))
    );
  });
}

function distributionCached() {
  const isRoot = process.getuid?.() === 0;
  const cache = process.env.PANORAMA_CACHE_DIR
    ? path.resolve(process.env.PANORAMA_CACHE_DIR)
    : isRoot
      ? '/var/cache/panorama'
      : path.join(homedir(), '.cache', 'panorama');
  return existsSync(
    path.join(cache, `elasticsearch-${ELASTICSEARCH_VERSION}`, 'bin', 'elasticsearch'),
  );
}

/** Debian packages this run needs and lacks, each with why. */
function missingPackages() {
  const wantsBrowser = args.has('--browser') || lifecycle === 'test' || lifecycle === 'test:e2e';
  const missing = [];
  if (!process.env.REDIS_URL && !has('redis-server'))
    missing.push(['redis-server', 'the embedded Redis']);
  if (!process.env.ELASTICSEARCH_URL) {
    if (!hasSupportedJdk())
      missing.push(['openjdk-17-jdk-headless', 'running Elasticsearch (a JDK 17..24)']);
    if (!distributionCached()) {
      if (!has('mvn')) missing.push(['maven', 'fetching Elasticsearch from Maven Central']);
      if (!has('unzip')) missing.push(['unzip', 'unpacking Elasticsearch']);
    }
  }
  if (!has('setpriv')) missing.push(['util-linux', 'stopping services when their parent dies']);
  if (wantsBrowser && !existsSync('/usr/bin/chromium'))
    missing.push(['chromium', 'the browser tests']);
  return missing;
}

function installSystemPackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const names = missing.map(([name]) => name);
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    console.warn('Panorama needs system packages that are missing:');
    for (const [name, why] of missing) console.warn(`  - ${name} (for ${why})`);
    console.warn(`Install them, e.g.: sudo apt-get install -y ${names.join(' ')}`);
    return; // the step that needs a tool fails later with its own clear message
  }
  console.log(`Installing system packages: ${names.join(', ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const command of [
    ['apt-get', ['update', '-qq']],
    ['apt-get', ['install', '-y', '-qq', ...names]],
  ]) {
    const result = spawnSync(command[0], command[1], { stdio: 'inherit', env });
    if (result.status !== 0) {
      console.error(`${command[0]} ${command[1].join(' ')} failed; see the output above.`);
      process.exit(result.status ?? 1);
    }
  }
}

ensureNodeModules();
if (!args.has('--quiet') && lifecycle !== 'stop') installSystemPackages();
