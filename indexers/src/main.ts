/** The indexer process: `tsx indexers/src/main.ts`. Scale out by starting more. */
import pino from 'pino';
import { pepperOfProcess } from '../../infra/src/suppression-pepper';
import { loadIndexerConfig } from './config';
import { pinoIndexerLog, startIndexer } from './indexer';
import { snapshotScheduleFromEnv } from './snapshots/snapshot-schedule';
import { retentionFromEnv } from './retention/retention-policy';

const logger = pino({ name: 'indexer' });

async function main(): Promise<void> {
  const config = loadIndexerConfig();
  // Before any job is taken: an indexer without the API's pepper would let erased people back in.
  const suppressionPepper = await pepperOfProcess('indexer', {
    elasticsearchUrl: config.ELASTICSEARCH_URL,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    dataDir: config.DATA_DIR,
    suppressErased: config.PANORAMA_SUPPRESS_ERASED,
    envPepper: config.PANORAMA_SUPPRESSION_PEPPER,
  });
  if (!suppressionPepper)
    logger.warn(
      'suppression of erased identifiers is off (PANORAMA_SUPPRESS_ERASED=0): a record of an erased person recreates them',
    );
  const indexer = startIndexer({
    elasticsearchUrl: config.ELASTICSEARCH_URL,
    redisUrl: config.REDIS_URL,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    queuePrefix: config.PANORAMA_QUEUE_PREFIX,
    ingestConcurrency: config.PANORAMA_INGEST_CONCURRENCY,
    rebuildConcurrency: config.PANORAMA_REBUILD_CONCURRENCY,
    rebuildBatch: config.PANORAMA_REBUILD_BATCH,
    rebuildMinBatch: config.PANORAMA_REBUILD_MIN_BATCH,
    log: pinoIndexerLog(logger),
    snapshotSchedule: snapshotScheduleFromEnv(),
    retention: retentionFromEnv(),
    suppressionPepper,
  });
  logger.info('indexer started');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'indexer stopping');
    indexer.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'indexer did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
