/**
 * A secured, multi-node Elasticsearch for tests: N nodes of the cached
 * distribution (the one scripts/embedded/elasticsearch.ts runs, with the same
 * JDK and unprivileged user) on 127.0.0.1, with security on, TLS on HTTP and
 * on the transport, and the `elastic` password set through the keystore.
 *
 * Certificates are made at run time, offline, by the distribution's own
 * `elasticsearch-certutil`: a CA (`ca --pem`), then one certificate per node
 * for 127.0.0.1 and localhost signed by it (`cert --pem --in instances.yml`).
 * Each node's HTTP certificate file holds its certificate followed by the CA,
 * so clients that pin the CA fingerprint find the CA in the chain.
 *
 * `createLeastPrivilegeUser` makes the role Panorama needs
 * (infra/src/elasticsearch-check.ts `panoramaPrivileges`) and a user with it,
 * so tests can run Panorama without `elastic`. Both live in files (file realm,
 * roles.yml): this distribution cannot create the `.security` index, so it has
 * no native users and no API keys (see createLeastPrivilegeUser).
 */
import { Client } from '@elastic/elasticsearch';
import { execFile, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  elasticsearchClientOptions,
  type ElasticsearchSettings,
} from '../../infra/src/elasticsearch';
import { panoramaPrivileges, type PanoramaPrivileges } from '../../infra/src/elasticsearch-check';
import { createRedis } from '../../infra/src/redis';
import { checkRedis } from '../../infra/src/redis-check';
import {
  ELASTICSEARCH_USER,
  assertTraversable,
  chownTree,
  ensureElasticsearchDistribution,
  ensureSystemUser,
  findJavaHome,
  isRoot,
} from './elasticsearch';
import {
  findFreePort,
  forgetGroup,
  isGroupAlive,
  isPortTaken,
  spawnGroup,
  stopGroup,
  tailFile,
  type Log,
} from './processes';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 180_000;

/** Options for {@link startSecuredCluster}. */
export interface StartSecuredClusterOptions {
  /** Everything (certificates, node configs, data, logs) goes under `<dataDir>/secured-cluster`. */
  dataDir: string;
  /** Number of nodes, all master-eligible data nodes. Default 3. */
  nodes?: number;
  /**
   * HTTP port of node 0; node i listens on `basePort + i` and its transport on
   * `basePort + nodes + i`. All must be free. Default (or 0): a free range.
   */
  basePort?: number;
  /** JVM heap of each node. Default '256m'. */
  heap?: string;
  log?: Log;
}

/** A running secured cluster. */
export interface SecuredCluster {
  /** `https://127.0.0.1:<port>` of each node, in node order. */
  urls: string[];
  /** PEM file of the CA that signed every node certificate. */
  caFile: string;
  /** SHA-256 fingerprint of the CA certificate (colon-separated hex). */
  caFingerprint: string;
  /** The password of the `elastic` superuser. */
  elasticPassword: string;
  /** Each node's config dir, whose `users`, `users_roles` and `roles.yml` the file realm reads. */
  configDirs: string[];
  /** The PEM certificate (with the CA after it) and key of each node, for other TLS servers in a test. */
  certificates: { certFile: string; keyFile: string }[];
  /** Kills node i at once (SIGKILL to its process group), as a crash would. */
  stopNode(i: number): Promise<void>;
  /** Starts node i again on its data and resolves once the cluster has all its nodes. */
  startNode(i: number): Promise<void>;
  /** Stops every running node (SIGTERM, SIGKILL after 20 s); the data stays in `dataDir`. */
  stop(): Promise<void>;
}

interface NodeDirs {
  config: string;
  data: string;
  logs: string;
  tmp: string;
}

function nodeName(i: number): string {
  return `node-${i}`;
}

function instancesYml(nodes: number): string {
  const lines = ['instances:'];
  for (let i = 0; i < nodes; i += 1) {
    lines.push(`  - name: ${nodeName(i)}`, '    ip: ["127.0.0.1"]', '    dns: ["localhost"]');
  }
  return `${lines.join('\n')}\n`;
}

function nodeYml(options: { i: number; nodes: number; basePort: number; dirs: NodeDirs }): string {
  const { i, nodes, basePort, dirs } = options;
  const seeds = Array.from({ length: nodes }, (_, j) => `"127.0.0.1:${basePort + nodes + j}"`);
  const masters = Array.from({ length: nodes }, (_, j) => `"${nodeName(j)}"`);
  return [
    '# Written by scripts/embedded/cluster.ts on every start; edits are overwritten.',
    'cluster.name: panorama-secured',
    `node.name: ${nodeName(i)}`,
    'network.host: 127.0.0.1',
    `http.port: ${basePort + i}`,
    `transport.port: ${basePort + nodes + i}`,
    `discovery.seed_hosts: [${seeds.join(', ')}]`,
    // Read only when the cluster forms for the first time; a restarted node ignores it.
    `cluster.initial_master_nodes: [${masters.join(', ')}]`,
    `path.data: ${dirs.data}`,
    `path.logs: ${dirs.logs}`,
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'xpack.ml.enabled: false',
    // The file realm and the roles file are read again this often (default 5 s).
    'resource.reload.interval.high: 1s',
    'xpack.security.enabled: true',
    'xpack.security.http.ssl.enabled: true',
    'xpack.security.http.ssl.key: certs/node.key',
    'xpack.security.http.ssl.certificate: certs/node-chain.crt',
    'xpack.security.http.ssl.certificate_authorities: [certs/ca.crt]',
    'xpack.security.transport.ssl.enabled: true',
    'xpack.security.transport.ssl.verification_mode: full',
    'xpack.security.transport.ssl.key: certs/node.key',
    'xpack.security.transport.ssl.certificate: certs/node.crt',
    'xpack.security.transport.ssl.certificate_authorities: [certs/ca.crt]',
    '',
  ].join('\n');
}

async function runTool(
  home: string,
  javaHome: string,
  tool: string,
  args: string[],
  options: { confDir?: string; input?: string } = {},
): Promise<void> {
  const env = {
    ...process.env,
    ES_JAVA_HOME: javaHome,
    ES_PATH_CONF: options.confDir,
    // C1 only: these tools run for seconds, and C2 warming up costs more than it saves.
    CLI_JAVA_OPTS: '-XX:TieredStopAtLevel=1',
  };
  const child = execFile(path.join(home, 'bin', tool), args, { cwd: home, env });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`${tool} ${args[0] ?? ''} failed (code ${code}):\n${output.join('').trim()}`);
  }
}

/**
 * The CA and one certificate per node, made by `elasticsearch-certutil` under
 * `<root>/certs`: `ca/ca.crt`, `ca/ca.key`, `node-i/node-i.{crt,key}`.
 */
async function makeCertificates(
  home: string,
  javaHome: string,
  dir: string,
  nodes: number,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // certutil resolves relative paths against the distribution: give it absolute ones.
  const caZip = path.join(dir, 'ca.zip');
  await runTool(home, javaHome, 'elasticsearch-certutil', [
    'ca',
    '--silent',
    '--pem',
    '--days',
    '30',
    '--out',
    caZip,
  ]);
  await run('unzip', ['-q', '-o', caZip, '-d', dir]);
  const instances = path.join(dir, 'instances.yml');
  await writeFile(instances, instancesYml(nodes));
  const certsZip = path.join(dir, 'nodes.zip');
  await runTool(home, javaHome, 'elasticsearch-certutil', [
    'cert',
    '--silent',
    '--pem',
    '--days',
    '30',
    '--ca-cert',
    path.join(dir, 'ca', 'ca.crt'),
    '--ca-key',
    path.join(dir, 'ca', 'ca.key'),
    '--in',
    instances,
    '--out',
    certsZip,
  ]);
  await run('unzip', ['-q', '-o', certsZip, '-d', dir]);
}

/** A keystore holding `bootstrap.password`, the `elastic` password until one is stored in the cluster. */
async function makeKeystore(
  home: string,
  javaHome: string,
  dir: string,
  password: string,
): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // --force creates the keystore as well: one JVM instead of two.
  await runTool(
    home,
    javaHome,
    'elasticsearch-keystore',
    ['add', '--force', '--stdin', 'bootstrap.password'],
    { confDir: dir, input: password },
  );
  return path.join(dir, 'elasticsearch.keystore');
}

async function takenPorts(first: number, count: number): Promise<number[]> {
  const taken: number[] = [];
  for (let port = first; port < first + count; port += 1) {
    if (await isPortTaken(port)) taken.push(port);
  }
  return taken;
}

/** The first port of `count` consecutive free ones, below the kernel's ephemeral range. */
async function findFreePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await takenPorts(first, count)).length === 0) return first;
  }
  throw new Error(`found no ${count} consecutive free ports on 127.0.0.1 between 20000 and 30000`);
}

function adminClient(settings: ElasticsearchSettings): Client {
  // One try per call and short timeouts: the readiness loop does its own retrying.
  return new Client({
    ...elasticsearchClientOptions(settings),
    maxRetries: 0,
    requestTimeout: 5_000,
  });
}

/**
 * Starts a secured cluster of `nodes` nodes and resolves once all have joined
 * and the cluster is at least yellow. A failed start stops what it started.
 *
 * @example
 * const cluster = await startSecuredCluster({ dataDir });
 * const es = createElasticsearch({ url: cluster.urls.join(','), username: 'elastic',
 *   password: cluster.elasticPassword, caFile: cluster.caFile });
 * await cluster.stop();
 */
export async function startSecuredCluster({
  dataDir,
  nodes = 3,
  basePort = 0,
  heap = '256m',
  log = () => {},
}: StartSecuredClusterOptions): Promise<SecuredCluster> {
  const started = Date.now();
  if (!basePort) basePort = await findFreePortRange(2 * nodes);
  const taken = await takenPorts(basePort, 2 * nodes);
  if (taken.length > 0) {
    throw new Error(
      `The secured cluster needs ports ${basePort}..${basePort + 2 * nodes - 1} on 127.0.0.1; ` +
        `${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} in use: choose another basePort.`,
    );
  }
  const javaHome = findJavaHome();
  const home = await ensureElasticsearchDistribution(log);
  const root = path.resolve(dataDir, 'secured-cluster');
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);

  const elasticPassword = randomBytes(12).toString('hex');
  const certs = path.join(root, 'certs');
  // The two tools are JVMs of a few seconds each: run them side by side.
  const [, keystore] = await Promise.all([
    makeCertificates(home, javaHome, certs, nodes),
    makeKeystore(home, javaHome, path.join(root, 'keystore'), elasticPassword),
  ]);
  const caFile = path.join(certs, 'ca', 'ca.crt');
  const caPem = await readFile(caFile, 'utf8');
  const caFingerprint = new X509Certificate(caPem).fingerprint256;
  log(`certificates and keystore ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const dirs: NodeDirs[] = [];
  const certificates: SecuredCluster['certificates'] = [];
  for (let i = 0; i < nodes; i += 1) {
    const nodeRoot = path.join(root, nodeName(i));
    const node: NodeDirs = {
      config: path.join(nodeRoot, 'config'),
      data: path.join(nodeRoot, 'data'),
      logs: path.join(nodeRoot, 'logs'),
      tmp: path.join(nodeRoot, 'tmp'),
    };
    dirs.push(node);
    await mkdir(node.data, { recursive: true });
    await mkdir(node.logs, { recursive: true });
    if (!existsSync(path.join(node.config, 'jvm.options'))) {
      await cp(path.join(home, 'config'), node.config, { recursive: true });
    }
    // Elasticsearch reads TLS files only from its config dir.
    const nodeCerts = path.join(node.config, 'certs');
    await mkdir(nodeCerts, { recursive: true });
    const issued = path.join(certs, nodeName(i), nodeName(i));
    await copyFile(caFile, path.join(nodeCerts, 'ca.crt'));
    await copyFile(`${issued}.key`, path.join(nodeCerts, 'node.key'));
    await copyFile(`${issued}.crt`, path.join(nodeCerts, 'node.crt'));
    const chain = `${(await readFile(`${issued}.crt`, 'utf8')).trimEnd()}\n${caPem}`;
    await writeFile(path.join(nodeCerts, 'node-chain.crt'), chain);
    certificates.push({
      certFile: path.join(nodeCerts, 'node-chain.crt'),
      keyFile: `${issued}.key`,
    });
    await copyFile(keystore, path.join(node.config, 'elasticsearch.keystore'));
    await writeFile(
      path.join(node.config, 'elasticsearch.yml'),
      nodeYml({ i, nodes, basePort, dirs: node }),
    );
  }

  let user: string | undefined;
  if (isRoot()) {
    user = ELASTICSEARCH_USER;
    const { uid, gid } = ensureSystemUser(user);
    for (let i = 0; i < nodes; i += 1) await chownTree(path.join(root, nodeName(i)), uid, gid);
    await assertTraversable(root, user);
  }

  const urls = Array.from({ length: nodes }, (_, i) => `https://127.0.0.1:${basePort + i}`);
  const running = new Map<number, { pid: number; child: ChildProcess; exitCode?: number | null }>();

  const spawnNode = async (i: number): Promise<void> => {
    const node = dirs[i];
    await rm(node.tmp, { recursive: true, force: true });
    await mkdir(node.tmp, { recursive: true });
    if (user) {
      const { uid, gid } = ensureSystemUser(user);
      await chownTree(node.tmp, uid, gid);
    }
    const child = await spawnGroup(path.join(home, 'bin', 'elasticsearch'), [], {
      cwd: home,
      outputFile: path.join(node.logs, 'console.log'),
      user,
      env: {
        ...process.env,
        ES_JAVA_HOME: javaHome,
        // C1 only: three JVMs warming up on a small machine start much sooner,
        // and a test cluster never runs long enough to miss the C2 compiler.
        ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap} -XX:TieredStopAtLevel=1`,
        ES_PATH_CONF: node.config,
        ES_TMPDIR: node.tmp,
      },
    });
    const entry: { pid: number; child: ChildProcess; exitCode?: number | null } = {
      pid: child.pid as number,
      child,
    };
    child.once('exit', (code, signal) => {
      entry.exitCode = code ?? (signal ? -1 : null);
    });
    running.set(i, entry);
  };

  const killNode = async (i: number): Promise<void> => {
    const entry = running.get(i);
    if (!entry) return;
    try {
      process.kill(-entry.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    while (isGroupAlive(entry.pid)) await sleep(50);
    forgetGroup(entry.pid);
    running.delete(i);
  };

  const stop = async (): Promise<void> => {
    await Promise.all(
      [...running.entries()].map(async ([i, entry]) => {
        await stopGroup(entry.pid, { graceMs: 20_000, leaderOnly: true });
        forgetGroup(entry.pid);
        running.delete(i);
      }),
    );
  };

  /** Waits until node `via` answers as `elastic` and sees every node, the cluster yellow or green. */
  const waitForCluster = async (via: number, since: number): Promise<void> => {
    const client = adminClient({
      url: urls[via],
      username: 'elastic',
      password: elasticPassword,
      caFile,
    });
    try {
      const deadline = since + READY_TIMEOUT_MS;
      while (true) {
        const health = await client.cluster
          .health({ wait_for_nodes: String(nodes), wait_for_status: 'yellow', timeout: '2s' })
          .catch(() => undefined);
        if (health && !health.timed_out && health.number_of_nodes === nodes) return;
        for (const [i, entry] of running) {
          if (entry.exitCode !== undefined || !isGroupAlive(entry.pid)) {
            const tail = await tailFile(path.join(dirs[i].logs, 'console.log'), 40);
            throw new Error(
              `${nodeName(i)} of the secured cluster exited during startup (code ${entry.exitCode ?? 'unknown'}). Last log lines:\n${tail}`,
            );
          }
        }
        if (Date.now() > deadline) {
          const tail = await tailFile(path.join(dirs[via].logs, 'console.log'), 40);
          throw new Error(
            `The secured cluster did not form within ${READY_TIMEOUT_MS / 1000} s on ${urls[via]}. Last log lines of ${nodeName(via)}:\n${tail}`,
          );
        }
        await sleep(500);
      }
    } finally {
      await client.close();
    }
  };

  try {
    const spawned = Date.now();
    for (let i = 0; i < nodes; i += 1) await spawnNode(i);
    await waitForCluster(0, spawned);
  } catch (error) {
    await stop();
    throw error;
  }
  log(
    `secured cluster of ${nodes} nodes ready at ${urls.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );

  return {
    urls,
    caFile,
    caFingerprint,
    elasticPassword,
    configDirs: dirs.map((node) => node.config),
    certificates,
    stopNode: killNode,
    startNode: async (i: number): Promise<void> => {
      if (running.has(i)) return;
      const since = Date.now();
      await spawnNode(i);
      await waitForCluster(i, since);
      log(`${nodeName(i)} back in the cluster (${((Date.now() - since) / 1000).toFixed(1)} s)`);
    },
    stop,
  };
}

/** Options for {@link createLeastPrivilegeUser}. */
export interface LeastPrivilegeUserOptions {
  /** The index prefix the role grants. */
  prefix: string;
  username: string;
  /** Default: a random one. */
  password?: string;
  /** What the role grants. Default {@link panoramaPrivileges} of `prefix`; tests pass less. */
  privileges?: PanoramaPrivileges;
}

/** A user of the secured cluster with only the privileges it was given. */
export interface LeastPrivilegeUser {
  username: string;
  password: string;
  /** The role holding the privileges, named after the user. */
  role: string;
}

/** The file realm's hash format for PBKDF2 (`{PBKDF2}<cost>$<salt>$<key>`, HMAC-SHA512, 32-byte key). */
function pbkdf2Hash(password: string): string {
  const cost = 10_000;
  const salt = randomBytes(32);
  const key = pbkdf2Sync(password, salt, cost, 32, 'sha512');
  return `{PBKDF2}${cost}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function roleYml(role: string, privileges: PanoramaPrivileges): string {
  // JSON arrays are YAML flow sequences, so names need no YAML quoting rules of their own.
  const lines = [`${JSON.stringify(role)}:`, `  cluster: ${JSON.stringify(privileges.cluster)}`];
  lines.push('  indices:');
  for (const index of privileges.index) {
    lines.push(`    - names: ${JSON.stringify(index.names)}`);
    lines.push(`      privileges: ${JSON.stringify(index.privileges)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Appends to a file of a node's config dir in one rename, so the file watcher never reads half a file. */
async function appendAtomically(file: string, text: string): Promise<void> {
  const current = existsSync(file) ? await readFile(file, 'utf8') : '';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${current}${separator}${text}`, { mode: 0o644 });
  await rename(temp, file);
}

/**
 * Adds a role with `privileges` and a user with only that role to every node,
 * in the file realm and the roles file (`users`, `users_roles`, `roles.yml`
 * of each node's config dir), and resolves once every node lets the user in
 * with the role. The file realm, not the native one: the native realm, and
 * with it API keys, lives in the `.security` index, whose mapping needs the
 * analysis-common module that the integ-test-zip distribution lacks.
 */
export async function createLeastPrivilegeUser(
  cluster: Pick<SecuredCluster, 'urls' | 'caFile' | 'configDirs'>,
  {
    prefix,
    username,
    password = randomBytes(12).toString('hex'),
    privileges = panoramaPrivileges(prefix),
  }: LeastPrivilegeUserOptions,
): Promise<LeastPrivilegeUser> {
  if (!/^[a-zA-Z0-9_-]+$/.test(username)) throw new Error(`not a simple user name: ${username}`);
  const role = `${username}-role`;
  for (const dir of cluster.configDirs) {
    const users = existsSync(path.join(dir, 'users'))
      ? await readFile(path.join(dir, 'users'), 'utf8')
      : '';
    if (users.split('\n').some((line) => line.startsWith(`${username}:`))) {
      throw new Error(`the secured cluster already has a user ${username}`);
    }
    // Roles first: a user whose role is not known yet would be let in with no privileges.
    await appendAtomically(path.join(dir, 'roles.yml'), roleYml(role, privileges));
    await appendAtomically(path.join(dir, 'users_roles'), `${role}:${username}\n`);
    await appendAtomically(path.join(dir, 'users'), `${username}:${pbkdf2Hash(password)}\n`);
  }

  // Each node reloads the files on its own; wait until every one grants the role.
  const deadline = Date.now() + 60_000;
  for (const url of cluster.urls) {
    const es = adminClient({ url, username, password, caFile: cluster.caFile });
    try {
      while (true) {
        const answer = await es.security
          .hasPrivileges({ cluster: privileges.cluster, index: privileges.index })
          .catch(() => undefined);
        if (answer?.has_all_requested) break;
        if (Date.now() > deadline) {
          throw new Error(`${url} did not take the user ${username} and its role within 60 s`);
        }
        await sleep(250);
      }
    } finally {
      await es.close();
    }
  }
  return { username, password, role };
}

/** Options for {@link startTlsRedis}. */
export interface TlsRedisOptions {
  /** Its working directory, where its log goes. */
  dir: string;
  /** Its `requirepass`. */
  password: string;
  /** More redis-server arguments, e.g. `['--maxmemory-policy', 'noeviction']`. */
  args?: string[];
}

/** A running {@link startTlsRedis}. */
export interface TlsRedis {
  /** `rediss://127.0.0.1:<port>`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A redis-server that speaks TLS only (with the certificate of the cluster's
 * first node, so the cluster's CA file trusts it) and wants a password, as a
 * deployment's Redis would; resolves once it answers.
 */
export async function startTlsRedis(
  cluster: Pick<SecuredCluster, 'certificates' | 'caFile'>,
  { dir, password, args = [] }: TlsRedisOptions,
): Promise<TlsRedis> {
  const port = await findFreePort();
  const { certFile, keyFile } = cluster.certificates[0];
  const child = await spawnGroup(
    'redis-server',
    [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1'],
      ...['--tls-cert-file', certFile, '--tls-key-file', keyFile],
      ...['--tls-ca-cert-file', cluster.caFile, '--tls-auth-clients', 'no'],
      ...['--requirepass', password, '--save', '', '--appendonly', 'no'],
      ...args,
    ],
    { cwd: dir, outputFile: path.join(dir, `redis-${port}.log`) },
  );
  const stop = async () => {
    await stopGroup(child.pid as number, { graceMs: 5_000 });
    forgetGroup(child.pid as number);
  };
  const url = `rediss://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const probe = createRedis({ url, password, caFile: cluster.caFile }, 'producer');
    probe.on('error', () => {});
    const up = await checkRedis(probe, { timeoutMs: 500 }).then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`redis-server with TLS did not start on ${port}`);
}
