/**
 * `npm run stop`: stops a Panorama that runs in the background from the same
 * DATA_DIR, using the pid files in `<DATA_DIR>/run/`.
 *
 * The orchestrator (`npm start`) is asked first, because it knows the order
 * (API, indexer, Redis, Elasticsearch). If it is gone or does not finish in
 * time, whatever is left is stopped directly, in the same order.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isAlive,
  isGroupAlive,
  processNames,
  readLivePid,
  removePidFile,
  stopGroup,
  type ProcessName,
} from './embedded/processes';
import { serviceMarkers } from './embedded/services';
import { readStopConfig } from './stop-config';

const ORCHESTRATOR_GRACE_MS = 90_000;

const dataDir = path.resolve(readStopConfig().DATA_DIR);
const markers = serviceMarkers(dataDir);
/** What each process shows in /proc, so a recycled pid is never mistaken for ours. */
const markerOf: Record<ProcessName, string> = {
  panorama: 'start.ts',
  api: `DATA_DIR=${dataDir}`,
  indexer: `DATA_DIR=${dataDir}`,
  redis: markers.redis,
  elasticsearch: markers.elasticsearch,
};
const labels: Record<ProcessName, string> = {
  panorama: 'npm start',
  api: 'API',
  indexer: 'indexer',
  redis: 'Redis',
  elasticsearch: 'Elasticsearch',
};

async function livePids(): Promise<Map<ProcessName, number>> {
  const live = new Map<ProcessName, number>();
  for (const name of processNames) {
    const pid = await readLivePid(dataDir, name, markerOf[name]);
    if (pid !== undefined) live.set(name, pid);
  }
  return live;
}

async function main(): Promise<void> {
  const live = await livePids();
  if (live.size === 0) {
    console.log(`Panorama is not running from ${dataDir}.`);
    for (const name of processNames) await removePidFile(dataDir, name);
    return;
  }

  const orchestrator = live.get('panorama');
  if (orchestrator !== undefined) {
    console.log(`Stopping Panorama (pid ${orchestrator}) …`);
    process.kill(orchestrator, 'SIGTERM');
    const deadline = Date.now() + ORCHESTRATOR_GRACE_MS;
    const anyAlive = (): boolean =>
      [...live.values()].some((pid) => isGroupAlive(pid) || isAlive(pid));
    while (anyAlive() && Date.now() < deadline) await sleep(200);
  }

  // Whatever is still there (no orchestrator, or it did not finish): stop it directly.
  for (const name of ['api', 'indexer', 'redis', 'elasticsearch'] as const) {
    const pid = await readLivePid(dataDir, name, markerOf[name]);
    if (pid === undefined) continue;
    console.log(`Stopping ${labels[name]} (pid ${pid}) …`);
    // Redis is its group's only process; the others stop their own children.
    await stopGroup(pid, { graceMs: 30_000, leaderOnly: name !== 'redis' });
  }
  const leftover = live.get('panorama');
  if (leftover !== undefined && isAlive(leftover)) process.kill(leftover, 'SIGKILL');
  for (const name of processNames) await removePidFile(dataDir, name);
  console.log('Panorama stopped.');
}

main().catch((error: unknown) => {
  console.error(
    `Stopping Panorama failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
