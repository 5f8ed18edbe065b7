/**
 * Builds the web UI when its sources are newer than the last build, so that
 * `npm start` and the e2e tests always serve what is in web/src without
 * rebuilding on every run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Log } from './processes';

async function newestMtime(target: string): Promise<number> {
  if (!existsSync(target)) return 0;
  const info = await stat(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file only shows in its directory's mtime
  for (const entry of await readdir(target)) {
    newest = Math.max(newest, await newestMtime(path.join(target, entry)));
  }
  return newest;
}

/**
 * True when `web/dist/index.html` is missing or older than any file under
 * web/src (or web/index.html, web/public, web/vite.config.ts, which also shape
 * the build).
 */
export async function isWebBuildStale(root: string): Promise<boolean> {
  const builtIndex = path.join(root, 'web', 'dist', 'index.html');
  if (!existsSync(builtIndex)) return true;
  const built = (await stat(builtIndex)).mtimeMs;
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts'].map((name) =>
    path.join(root, 'web', name),
  );
  for (const input of inputs) {
    if ((await newestMtime(input)) > built) return true;
  }
  return false;
}

/** Runs `vite build --config web/vite.config.ts`; output is shown only when it fails. */
export async function buildWeb(root: string): Promise<void> {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new Error(`Building the web UI failed (vite exited with ${code}):\n${output.trim()}`);
}

/** Builds the UI if it is stale; says so in one line. Returns whether it built. */
export async function buildWebIfStale(root: string, log: Log = () => {}): Promise<boolean> {
  if (!(await isWebBuildStale(root))) return false;
  log('Building the web UI (web/src changed since the last build)');
  const started = Date.now();
  await buildWeb(root);
  log(`Web UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
