/**
 * Process plumbing shared by the embedded services and the start/stop scripts:
 * free ports, process groups that die with their parent, pid files.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A one-line progress message for the person watching the terminal. */
export type Log = (message: string) => void;

/** Resolves with a port that was free on 127.0.0.1 a moment ago (port 0 = let the kernel choose). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not determine a free port on 127.0.0.1'));
      });
    });
  });
}

/** True when something already listens on (or holds) 127.0.0.1:port. */
export async function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      else reject(error);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(false));
    });
  });
}

/** Port 0 picks a free port; any other port must be free or we refuse with `takenMessage`. */
export async function resolvePort(
  port: number,
  takenMessage: (port: number) => string,
): Promise<number> {
  if (port === 0) return findFreePort();
  if (await isPortTaken(port)) throw new Error(takenMessage(port));
  return port;
}

/** True when a process with this pid exists (it may belong to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means "alive".
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any member of the process group led by `pgid` exists. */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone; nothing to do.
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Asks a process group to stop (SIGTERM, to the leader only or to the whole
 * group) and waits until every member is gone; after `graceMs` it sends
 * SIGKILL to the group so that a stop always ends with nothing left behind.
 */
export async function stopGroup(
  pgid: number,
  { graceMs = 30_000, leaderOnly = false }: { graceMs?: number; leaderOnly?: boolean } = {},
): Promise<void> {
  if (!isGroupAlive(pgid)) return;
  if (leaderOnly) signalProcess(pgid, 'SIGTERM');
  else signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isGroupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (!isGroupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  while (isGroupAlive(pgid)) await sleep(50);
}

const groupsToKillOnExit = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: send SIGTERM and let the services shut
  // down on their own; Elasticsearch and Redis both handle SIGTERM gracefully.
  process.on('exit', () => {
    for (const pgid of groupsToKillOnExit) signalGroup(pgid, 'SIGTERM');
  });
}

let setprivAvailable: boolean | undefined;
function hasSetpriv(): boolean {
  setprivAvailable ??= ['/usr/bin/setpriv', '/bin/setpriv'].some((candidate) =>
    existsSync(candidate),
  );
  return setprivAvailable;
}

/** Options for {@link spawnGroup}. */
export interface SpawnGroupOptions {
  /** Working directory of the child. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** File that receives stdout and stderr; when absent the output is piped to the parent. */
  outputFile?: string;
  /** Run as this system user (only possible when we are root). */
  user?: string;
}

/**
 * Spawns `command` as the leader of its own process group so that a stop can
 * reach grandchildren too (Elasticsearch's launcher forks the server JVM), and
 * so that Ctrl-C in the terminal reaches only the orchestrator, which then
 * stops things in order. The child dies with the parent even when the parent
 * is killed hard: `setpriv --pdeathsig` asks the kernel to send SIGTERM when
 * the parent goes away, and an exit hook covers ordinary exits.
 */
export async function spawnGroup(
  command: string,
  args: string[],
  options: SpawnGroupOptions,
): Promise<ChildProcess> {
  let file = command;
  let argv = args;
  if (hasSetpriv()) {
    const identity = options.user
      ? [`--reuid=${options.user}`, `--regid=${options.user}`, '--init-groups']
      : [];
    file = 'setpriv';
    argv = [...identity, '--pdeathsig', 'TERM', '--', command, ...args];
  } else if (options.user) {
    file = 'runuser';
    argv = ['-u', options.user, '--', command, ...args];
  }

  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
  };
  let outputHandle: Awaited<ReturnType<typeof open>> | undefined;
  if (options.outputFile) {
    await mkdir(path.dirname(options.outputFile), { recursive: true });
    outputHandle = await open(options.outputFile, 'a');
    spawnOptions.stdio = ['ignore', outputHandle.fd, outputHandle.fd];
  } else {
    spawnOptions.stdio = ['ignore', 'pipe', 'pipe'];
  }

  const child = spawn(file, argv, spawnOptions);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  }).finally(() => outputHandle?.close());

  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${command}`);
  installExitHook();
  groupsToKillOnExit.add(pid);
  child.once('exit', () => {
    // The leader is gone; its group may linger briefly, stopGroup handles that.
    if (!isGroupAlive(pid)) groupsToKillOnExit.delete(pid);
  });
  return child;
}

/** Forgets a group after it was stopped, so the exit hook does not signal a recycled pid. */
export function forgetGroup(pgid: number): void {
  groupsToKillOnExit.delete(pgid);
}

/** The last `count` lines of a text file, or '' when it cannot be read. */
export async function tailFile(file: string, count = 30): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/** Names of the processes a Panorama run keeps pid files for, in stop order. */
export const processNames = ['panorama', 'api', 'indexer', 'redis', 'elasticsearch'] as const;
export type ProcessName = (typeof processNames)[number];

/** Where the pid files of a data dir live. */
export function runDir(dataDir: string): string {
  return path.join(dataDir, 'run');
}

function pidFile(dataDir: string, name: ProcessName): string {
  return path.join(runDir(dataDir), `${name}.pid`);
}

export async function writePidFile(dataDir: string, name: ProcessName, pid: number): Promise<void> {
  await mkdir(runDir(dataDir), { recursive: true });
  await writeFile(pidFile(dataDir, name), `${pid}\n`);
}

export async function removePidFile(dataDir: string, name: ProcessName): Promise<void> {
  await rm(pidFile(dataDir, name), { force: true });
}

/**
 * The pid recorded for `name` if that process still runs, else undefined.
 * A pid can be recycled after a crash, so when `marker` is given the process
 * must also show it in its working directory, command line or environment
 * (e.g. its data dir); where /proc is unreadable we trust the pid file.
 */
export async function readLivePid(
  dataDir: string,
  name: ProcessName,
  marker?: string,
): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile(dataDir, name), 'utf8')).trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (!marker) return pid;
  const evidence: string[] = [];
  for (const read of [
    () => readlink(`/proc/${pid}/cwd`),
    () => readFile(`/proc/${pid}/cmdline`, 'utf8'),
    () => readFile(`/proc/${pid}/environ`, 'utf8'),
  ]) {
    try {
      evidence.push(await read());
    } catch {
      // Unreadable (another user, no /proc): judge by what we could read.
    }
  }
  if (evidence.length === 0) return pid;
  return evidence.some((text) => text.includes(marker)) ? pid : undefined;
}
