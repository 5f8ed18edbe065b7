/**
 * `npm run profiles:rebuild [-- --wait] [--batch-size 2000] [--no-progress]`:
 * rebuilds every stored profile in place with the current fold, through the
 * running indexers (store/src/profiles/rebuild-every-profile.ts), e.g.
 * after a change of a fold rule. Every live customer is marked dirty in
 * batches; `--wait` then waits until the dirty set is drained, i.e. every
 * profile is rebuilt and searchable (it needs a running indexer).
 *
 * Reads ELASTICSEARCH_URL, REDIS_URL, PANORAMA_INDEX_PREFIX and
 * PANORAMA_QUEUE_PREFIX like the other processes; with ELASTICSEARCH_URL or
 * REDIS_URL unset it talks to the embedded services of `npm start`
 * (rebuild-profiles-config.ts). The run is recorded in the audit log (action `rebuild`, counts only).
 */
import cliProgress from 'cli-progress';
import { Redis } from 'ioredis';
import { elasticsearchSettingsOf, redisSettingsOf } from '../infra/src/connection-env';
import { parseArgs } from 'node:util';
import {
  markEveryProfileDirty,
  waitUntilRebuilt,
} from '../store/src/profiles/rebuild-every-profile';
import { createElasticsearch, describeElasticsearchError } from '../infra/src/elasticsearch';
import { redisConnectionOptions } from '../infra/src/redis';
import { indexNames, queueNames } from '../infra/src/names';
import { recordSystemEvent } from '../infra/src/system-audit';
import { readRebuildProfilesConfig } from './rebuild-profiles-config';

function readArgs() {
  const { values } = parseArgs({
    options: {
      wait: { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '2000' },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new Error(
      `--batch-size must be an integer from 1 to 10000, got "${values['batch-size']}"`,
    );
  return {
    wait: values.wait,
    batchSize,
    progress: !values['no-progress'] && process.stderr.isTTY === true,
  };
}

function newBar(format: string, enabled: boolean): cliProgress.SingleBar | null {
  if (!enabled) return null;
  return new cliProgress.SingleBar(
    { format, hideCursor: true, etaBuffer: 30, fps: 5, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
}

async function main(): Promise<void> {
  const args = readArgs();
  const config = readRebuildProfilesConfig();
  const es = createElasticsearch(elasticsearchSettingsOf(config));
  // An operator's command: a few retries, then a clear failure instead of waiting for Redis forever.
  const redis = new Redis(config.REDIS_URL, {
    ...redisConnectionOptions(redisSettingsOf(config)),
    maxRetriesPerRequest: 3,
    connectTimeout: 5_000,
  });
  const names = indexNames(config.PANORAMA_INDEX_PREFIX);
  const queues = queueNames(config.PANORAMA_QUEUE_PREFIX);
  const started = Date.now();
  try {
    const marking = newBar(
      'Marking    {bar} {percentage}% | {value}/{total} profiles',
      args.progress,
    );
    const marked = await markEveryProfileDirty(
      { es, redis, names, queues },
      {
        batchSize: args.batchSize,
        onProgress: (done, total) => {
          if (!marking) return;
          if (done === 0) marking.start(Math.max(1, total), 0);
          else marking.update(done, { total });
          marking.setTotal(Math.max(1, total));
        },
      },
    );
    marking?.stop();
    await recordSystemEvent(
      es,
      names.audit,
      {
        action: 'rebuild',
        actor: 'system:profiles-rebuild',
        customerIds: [],
        details: { count: marked, marked },
      },
      () => console.error('warning: the audit entry of this run could not be written'),
    );
    console.log(`Marked ${marked} profiles for rebuild; the running indexers rebuild them.`);
    if (!args.wait) return;

    const rebuilding = newBar(
      'Rebuilding {bar} {percentage}% | {value}/{total} profiles | {pending} to go',
      args.progress,
    );
    rebuilding?.start(Math.max(1, marked), 0, { pending: marked });
    await waitUntilRebuilt(redis, queues, {
      // Other dirty customers (live ingest) count as pending too: the bar is about the whole backlog.
      onProgress: (pending) => rebuilding?.update(Math.max(0, marked - pending), { pending }),
    });
    rebuilding?.update(Math.max(1, marked), { pending: 0 });
    rebuilding?.stop();
    console.log(
      `Rebuilt: ${marked} profiles, the dirty set is drained (${((Date.now() - started) / 1000).toFixed(1)} s).`,
    );
  } finally {
    redis.disconnect();
    await es.close();
  }
}

main().catch((error: unknown) => {
  console.error(`profiles:rebuild failed: ${describeElasticsearchError(error)}`);
  process.exit(1);
});
