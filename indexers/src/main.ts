/** The indexer process: `tsx indexers/src/main.ts`. Scale out by starting more. */
import pino from 'pino';
import { loadIndexerConfig } from './config';
import { pinoIndexerLog, startIndexer } from './indexer';
import { snapshotScheduleFromEnv } from './snapshots/snapshot-schedule';
import { retentionFromEnv } from './retention/retention-policy';

const logger = pino({ name: 'indexer' });

function main(): void {
  const config = loadIndexerConfig();
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

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
