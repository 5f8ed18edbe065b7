/**
 * The embedded Elasticsearch: the official integ-test-zip distribution from
 * Maven Central, cached outside the clone, run with a system JDK as an
 * unprivileged user on 127.0.0.1 with security off (see DESIGN.md "Runtime").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { embeddedConfig } from './config';
import {
  forgetGroup,
  isGroupAlive,
  resolvePort,
  findFreePort,
  spawnGroup,
  stopGroup,
  tailFile,
  type Log,
} from './processes';

/** The one Elasticsearch version Panorama pins (same major as `@elastic/elasticsearch`). */
export const ELASTICSEARCH_VERSION = '8.19.21';
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ELASTICSEARCH_VERSION}:zip`;
/** Elasticsearch refuses to run as root; when we are root it runs as this system user. */
export const ELASTICSEARCH_USER = 'panorama-es';
/** JDK majors that Elasticsearch 8.19 supports (17 minimum, 24 is what it bundles elsewhere). */
const JAVA_MIN = 17;
const JAVA_MAX = 24;
const READY_TIMEOUT_MS = 120_000;

export const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Where downloaded distributions are unpacked: `PANORAMA_CACHE_DIR`, else
 * `/var/cache/panorama` for root (the unprivileged ES user cannot read /root),
 * else `~/.cache/panorama`.
 */
export function cacheDir(): string {
  const override = embeddedConfig().PANORAMA_CACHE_DIR;
  if (override) return path.resolve(override);
  return isRoot() ? '/var/cache/panorama' : path.join(homedir(), '.cache', 'panorama');
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The Maven local repository we fetch into: `PANORAMA_MAVEN_REPO`, else
 * `~/.m2/repository` of the account (from the password database, as Maven's
 * Java `user.home` is; $HOME may differ). It is passed to Maven explicitly so
 * that we always look where Maven wrote, whatever a settings.xml says.
 */
function mavenRepository(): string {
  const override = embeddedConfig().PANORAMA_MAVEN_REPO;
  if (override) return path.resolve(override);
  return path.join(userInfo().homedir, '.m2', 'repository');
}

function mavenZipPath(): string {
  const group = ['org', 'elasticsearch', 'distribution', 'integ-test-zip'];
  const artifactDir = path.join(
    mavenRepository(),
    ...group,
    'elasticsearch',
    ELASTICSEARCH_VERSION,
  );
  return path.join(artifactDir, `elasticsearch-${ELASTICSEARCH_VERSION}.zip`);
}

/**
 * Returns the home of the unpacked distribution, fetching it with Maven and
 * unpacking it on first use. Safe to call concurrently and after a crash: the
 * zip is unpacked into a temp dir and renamed into place in one step, so a
 * half-finished unzip is never mistaken for a distribution.
 */
export async function ensureElasticsearchDistribution(log: Log = () => {}): Promise<string> {
  const root = cacheDir();
  const home = path.join(root, `elasticsearch-${ELASTICSEARCH_VERSION}`);
  if (existsSync(path.join(home, 'bin', 'elasticsearch'))) return home;

  const zip = mavenZipPath();
  if (!existsSync(zip)) {
    if (!commandExists('mvn')) {
      throw new Error(
        `Elasticsearch ${ELASTICSEARCH_VERSION} is not downloaded yet and Maven ('mvn') is missing. ` +
          'Install it (Debian: apt-get install -y maven) or set ELASTICSEARCH_URL to an existing cluster.',
      );
    }
    log(`Downloading Elasticsearch ${ELASTICSEARCH_VERSION} from Maven Central`);
    const result = spawnSync(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:get',
        `-Dartifact=${ARTIFACT}`,
        '-Dtransitive=false',
        `-Dmaven.repo.local=${mavenRepository()}`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      },
    );
    if (result.status !== 0 || !existsSync(zip)) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
        .trim()
        .split('\n')
        .slice(-15)
        .join('\n');
      throw new Error(
        `Maven could not fetch ${ARTIFACT} (check network access to Maven Central):\n${output}`,
      );
    }
  }
  if (!commandExists('unzip')) {
    throw new Error(
      "The 'unzip' command is missing; install it (Debian: apt-get install -y unzip).",
    );
  }

  log(`Unpacking Elasticsearch ${ELASTICSEARCH_VERSION} into ${root}`);
  await mkdir(root, { recursive: true });
  // The unprivileged ES user must be able to traverse the cache dir.
  if (isRoot()) await chmod(root, 0o755);
  const temp = path.join(root, `.unpack-${process.pid}-${Date.now()}`);
  await mkdir(temp);
  try {
    const result = spawnSync('unzip', ['-q', zip, '-d', temp], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`unzip failed for ${zip}: ${result.stderr}`);
    await chmod(temp, 0o755);
    try {
      await rename(path.join(temp, `elasticsearch-${ELASTICSEARCH_VERSION}`), home);
    } catch (error) {
      // Another process won the race: its copy is complete (rename is atomic), use it.
      const code = (error as NodeJS.ErrnoException).code;
      if (
        !(code === 'ENOTEMPTY' || code === 'EEXIST') ||
        !existsSync(path.join(home, 'bin', 'elasticsearch'))
      )
        throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return home;
}

function javaMajor(javaHome: string): number | undefined {
  const release = path.join(javaHome, 'release');
  let version: string | undefined;
  if (existsSync(release)) {
    version = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(release, 'utf8'))?.[1];
  }
  if (!version) {
    const java = path.join(javaHome, 'bin', 'java');
    if (!existsSync(java)) return undefined;
    const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
    version = /version "([^"]+)"/.exec(`${result.stderr}${result.stdout}`)?.[1];
  }
  if (!version) return undefined;
  // "1.8.0_392" is Java 8; "17.0.15" is Java 17.
  const [first, second] = version.split('.').map((part) => Number.parseInt(part, 10));
  return first === 1 ? second : first;
}

const supported = (major: number | undefined): major is number =>
  major !== undefined && major >= JAVA_MIN && major <= JAVA_MAX;

/**
 * A JDK that can run this Elasticsearch version: `ES_JAVA_HOME` or `JAVA_HOME`
 * when they point to Java 17..24, else the newest such JDK under /usr/lib/jvm.
 */
export function findJavaHome(): string {
  const rejected: string[] = [];
  const config = embeddedConfig();
  for (const variable of ['ES_JAVA_HOME', 'JAVA_HOME'] as const) {
    const candidate = config[variable];
    if (!candidate) continue;
    const major = javaMajor(candidate);
    if (supported(major)) return candidate;
    rejected.push(`${variable}=${candidate} (Java ${major ?? 'unknown'})`);
  }

  const jvmRoot = '/usr/lib/jvm';
  const found: { home: string; major: number }[] = [];
  const seen = new Set<string>();
  if (existsSync(jvmRoot)) {
    for (const entry of readdirSync(jvmRoot)) {
      // Debian adds alias symlinks (java-1.17.0-openjdk-amd64 → java-17-openjdk-amd64); list each JDK once.
      const home = realpathSync(path.join(jvmRoot, entry));
      if (seen.has(home)) continue;
      seen.add(home);
      if (!statSync(home).isDirectory() || !existsSync(path.join(home, 'bin', 'java'))) continue;
      const major = javaMajor(home);
      if (supported(major)) found.push({ home, major });
    }
  }
  found.sort((a, b) => b.major - a.major || a.home.localeCompare(b.home));
  const best = found[0];
  if (best) return best.home;

  const ignored = rejected.length > 0 ? ` Ignored: ${rejected.join(', ')}.` : '';
  throw new Error(
    `Elasticsearch ${ELASTICSEARCH_VERSION} needs a JDK ${JAVA_MIN}..${JAVA_MAX} and none was found in ES_JAVA_HOME, ` +
      `JAVA_HOME or /usr/lib/jvm.${ignored} Install one (Debian: apt-get install -y openjdk-17-jdk-headless) ` +
      'or set ES_JAVA_HOME to it.',
  );
}

export function ensureSystemUser(user: string): { uid: number; gid: number } {
  const lookup = (): string | undefined => {
    const result = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : undefined;
  };
  if (lookup() === undefined) {
    execFileSync(
      'useradd',
      ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user],
      { stdio: 'pipe' },
    );
  }
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid);
  }
}

/** Fails early, with the fix, when the ES user could not even reach its data dir. */
export async function assertTraversable(dir: string, user: string): Promise<void> {
  let current = path.dirname(dir);
  while (true) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Elasticsearch runs as the system user '${user}', which cannot reach ${dir} because ${current} ` +
          `is not searchable by others. Run 'chmod o+x ${current}' or choose another DATA_DIR.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/** Options for {@link startElasticsearch}. */
export interface StartElasticsearchOptions {
  /** Panorama's data dir; Elasticsearch keeps everything under `<dataDir>/elasticsearch`. */
  dataDir: string;
  /** HTTP port on 127.0.0.1; 0 picks a free port. */
  port: number;
  /** JVM heap, e.g. '512m' or '1g' (npm start: PANORAMA_ES_HEAP). */
  heap: string;
  log?: Log;
  /** Aborting stops a start that is still waiting for Elasticsearch (e.g. Ctrl-C during startup). */
  signal?: AbortSignal;
}

/** A running embedded Elasticsearch. */
export interface RunningElasticsearch {
  url: string;
  /** Stops Elasticsearch gracefully (SIGTERM, SIGKILL after 30 s) and resolves once every process is gone. */
  stop(): Promise<void>;
  /** Process group id of the launcher (the server JVM is its child, in the same group). */
  pid: number;
}

function elasticsearchYml(options: {
  port: number;
  transportPort: number;
  data: string;
  logs: string;
  hasGeoip: boolean;
}): string {
  return [
    '# Written by scripts/embedded/elasticsearch.ts on every start; edits are overwritten.',
    'cluster.name: panorama',
    'node.name: panorama-embedded',
    'network.host: 127.0.0.1',
    `http.port: ${options.port}`,
    `transport.port: ${options.transportPort}`,
    'discovery.type: single-node',
    'xpack.security.enabled: false',
    `path.data: ${options.data}`,
    `path.logs: ${options.logs}`,
    // Disks on dev machines and CI runners are often nearly full; without this
    // ES marks indices read-only and Panorama would look broken for no reason.
    'cluster.routing.allocation.disk.threshold_enabled: false',
    // x-pack-core registers this one even without the ML module; off saves memory and startup time.
    'xpack.ml.enabled: false',
    // Only full distributions have ingest-geoip; the integ-test-zip rejects the
    // setting as unknown, so it is written only when the module is present.
    ...(options.hasGeoip ? ['ingest.geoip.downloader.enabled: false'] : []),
    '',
  ].join('\n');
}

interface Health {
  status?: string;
}

async function fetchHealth(url: string): Promise<Health | undefined> {
  try {
    const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return undefined;
    return (await response.json()) as Health;
  } catch {
    return undefined;
  }
}

/**
 * Starts the embedded Elasticsearch and resolves once the cluster is at least
 * yellow. Refuses when the port is taken; gives up after 120 s with the end of
 * the Elasticsearch log in the error.
 *
 * @example
 * const es = await startElasticsearch({ dataDir: '.data', port: 9200, heap: '512m', log: console.log });
 * // ... es.url is http://127.0.0.1:9200
 * await es.stop();
 */
export async function startElasticsearch({
  dataDir,
  port,
  heap,
  log = () => {},
  signal,
}: StartElasticsearchOptions): Promise<RunningElasticsearch> {
  const started = Date.now();
  const httpPort = await resolvePort(
    port,
    (taken) =>
      `Port ${taken} on 127.0.0.1 is already in use, so the embedded Elasticsearch cannot start there. ` +
      'Stop what uses it, set PANORAMA_ES_PORT to a free port, or set ELASTICSEARCH_URL to use that cluster.',
  );
  const transportPort = await findFreePort();
  const javaHome = findJavaHome();
  const home = await ensureElasticsearchDistribution(log);
  const hasGeoip = existsSync(path.join(home, 'modules', 'ingest-geoip'));

  const root = path.resolve(dataDir, 'elasticsearch');
  const config = path.join(root, 'config');
  const data = path.join(root, 'data');
  const logs = path.join(root, 'logs');
  const tmp = path.join(root, 'tmp');
  await mkdir(data, { recursive: true });
  await mkdir(logs, { recursive: true });
  // ES_TMPDIR must exist and is wiped so a crashed JVM's leftovers never pile up.
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  // Keep our own config dir so the cached distribution is never modified; the
  // keystore ES creates on first start lives here too.
  if (!existsSync(path.join(config, 'jvm.options'))) {
    await cp(path.join(home, 'config'), config, { recursive: true });
  }
  await writeFile(
    path.join(config, 'elasticsearch.yml'),
    elasticsearchYml({ port: httpPort, transportPort, data, logs, hasGeoip }),
  );

  let user: string | undefined;
  if (isRoot()) {
    user = ELASTICSEARCH_USER;
    const { uid, gid } = ensureSystemUser(user);
    await chownTree(root, uid, gid);
    await assertTraversable(root, user);
  }

  const outputFile = path.join(logs, 'console.log');
  const child = await spawnGroup(path.join(home, 'bin', 'elasticsearch'), [], {
    cwd: home,
    outputFile,
    user,
    env: {
      ...process.env,
      ES_JAVA_HOME: javaHome,
      ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
      ES_PATH_CONF: config,
      ES_TMPDIR: tmp,
    },
  });
  const pid = child.pid as number;
  let exitCode: number | null | undefined;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
  });

  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    // SIGTERM to the launcher only: it shuts the server JVM down cleanly, whereas
    // signalling both makes the launcher report "exited unexpectedly".
    await stopGroup(pid, { graceMs: 30_000, leaderOnly: true });
    forgetGroup(pid);
  };

  // The launcher defers SIGTERM until the server has started, which can take
  // many seconds; during startup we signal the server JVM directly as well.
  const stopDuringStartup = async (): Promise<void> => {
    await stopGroup(pid, { graceMs: 30_000 });
    forgetGroup(pid);
  };

  const deadline = started + READY_TIMEOUT_MS;
  while (true) {
    const health = await fetchHealth(url);
    if (health?.status === 'green' || health?.status === 'yellow') break;
    if (signal?.aborted) {
      await stopDuringStartup();
      throw new Error('The Elasticsearch start was cancelled');
    }
    if (exitCode !== undefined || !isGroupAlive(pid)) {
      const tail = await tailFile(outputFile, 40);
      throw new Error(
        `Elasticsearch exited during startup (code ${exitCode ?? 'unknown'}). Last log lines:\n${tail}`,
      );
    }
    if (Date.now() > deadline) {
      await stopDuringStartup();
      const tail = await tailFile(outputFile, 40);
      throw new Error(
        `Elasticsearch did not become ready within ${READY_TIMEOUT_MS / 1000} s on ${url}. Last log lines:\n${tail}`,
      );
    }
    await sleep(500);
  }
  log(
    `Elasticsearch ${ELASTICSEARCH_VERSION} ready at ${url} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { url, stop, pid };
}
