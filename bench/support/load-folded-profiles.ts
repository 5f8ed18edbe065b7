/**
 * Loads N folded demo profiles into a customers index as fast as this machine
 * allows, for benchmarks at 1,000,000 customers:
 *
 * - folding runs in `parts` processes (default: one per core), each writing
 *   its share with bulks of 1,000 profiles (~5 MB), two in flight;
 * - during the load the index does not refresh (`refresh_interval: -1`),
 *   keeps no replicas and syncs its translog asynchronously; afterwards the
 *   index's own settings are restored and it is refreshed once;
 * - memory stays flat: the generator yields person by person, each process
 *   holds at most two bulks, and the parent only the sampled profiles.
 *
 * Returns how many were written, the time, and every `sampleEvery`-th
 * profile (by person index, at most `sampleMax` in all) in person order, for
 * the caller to draw queries from.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { CustomerDocument } from '../../domain/src/profile';
import type { LoadPartMessage, LoadPartTask } from './load-folded-profiles-worker';

export interface LoadFoldedProfilesOptions {
  es: Client;
  elasticsearchUrl: string;
  index: string;
  customers: number;
  seed: number;
  now: Date;
  /** Processes that fold and write; default: the number of cores (at least 1). */
  parts?: number;
  docsPerBulk?: number;
  sampleEvery?: number;
  sampleMax?: number;
  onProgress?: (written: number, seconds: number) => void;
}

export interface LoadedProfiles {
  written: number;
  seconds: number;
  parts: number;
  samples: CustomerDocument[];
}

export async function loadFoldedProfiles(
  options: LoadFoldedProfilesOptions,
): Promise<LoadedProfiles> {
  const { es, index } = options;
  const parts = Math.max(1, options.parts ?? os.availableParallelism());
  const sampleMax = options.sampleMax ?? 5_000;
  const started = performance.now();
  // `index` may be an alias: the answer is keyed by the concrete index.
  const settings =
    Object.values(await es.indices.getSettings({ index, flat_settings: true }))[0]?.settings ?? {};
  // null resets a setting the index did not set itself to Elasticsearch's default.
  const restore: Record<string, string | null> = {};
  for (const key of [
    'index.refresh_interval',
    'index.number_of_replicas',
    'index.translog.durability',
  ])
    restore[key] = (settings[key] as string | undefined) ?? null;
  await es.indices.putSettings({
    index,
    settings: { refresh_interval: '-1', number_of_replicas: 0, 'translog.durability': 'async' },
  });

  let written = 0;
  let lastReport = 0;
  const samples: { n: number; doc: CustomerDocument }[] = [];
  const children = Array.from({ length: parts }, () =>
    fork(path.resolve(import.meta.dirname, 'load-folded-profiles-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await Promise.all(
      children.map(
        (child, part) =>
          new Promise<void>((resolve, reject) => {
            let done = false;
            child.on('message', (message: LoadPartMessage) => {
              if ('written' in message) {
                written += message.written;
                if (written - lastReport >= 10_000) {
                  lastReport = written - (written % 10_000);
                  options.onProgress?.(written, (performance.now() - started) / 1000);
                }
              } else if ('samples' in message) samples.push(...message.samples);
              else if ('done' in message) done = true;
            });
            child.once('exit', (code) =>
              done && code === 0
                ? resolve()
                : reject(new Error(`profile loader part ${part} exited with ${code}`)),
            );
            const task: LoadPartTask = {
              elasticsearchUrl: options.elasticsearchUrl,
              index,
              customers: options.customers,
              seed: options.seed,
              now: options.now.toISOString(),
              part,
              parts,
              docsPerBulk: options.docsPerBulk ?? 1_000,
              sampleEvery: options.sampleEvery ?? 7,
              sampleMax: Math.ceil(sampleMax / parts),
            };
            child.send(task);
          }),
      ),
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await es.indices.putSettings({ index, settings: restore as estypes.IndicesIndexSettings });
  }
  await es.indices.refresh({ index });
  samples.sort((a, b) => a.n - b.n);
  return {
    written,
    seconds: (performance.now() - started) / 1000,
    parts,
    samples: samples.map((s) => s.doc),
  };
}
