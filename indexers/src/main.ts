/** The indexer process: `tsx indexers/src/main.ts`. Scale out by starting more. */
import type { Logger } from 'pino';
import { checkConnections } from '../../infra/src/connection-check';
import { elasticsearchSettingsOf, redisSettingsOf } from '../../infra/src/connection-env';
import { createLogger } from '../../infra/src/log';
import { pepperOfProcess } from '../../infra/src/suppression-pepper';
import { loadIdentityRules } from '../../store/src/identity/identity-rules';
import { loadIndexerConfig } from './config';
import { pinoIndexerLog, startIndexer } from './indexer';
import { matchThresholdsOf } from '../../infra/src/config';
import { retentionSchedule } from './retention/retention-policy';

// Replaced by the configured one once the configuration is read.
let logger: Logger = createLogger('indexer');

async function main(): Promise<void> {
  const config = loadIndexerConfig();
  // Checked before anything starts: a review threshold above the automatic one is a typo.
  const matchThresholds = matchThresholdsOf(config);
  logger = createLogger('indexer', {
    format: config.PANORAMA_LOG_FORMAT,
    level: config.PANORAMA_LOG_LEVEL,
  });
  const elasticsearch = elasticsearchSettingsOf(config);
  const redis = redisSettingsOf(config);
  // Refuses to start, with the sentence naming what to fix, before any job is taken.
  await checkConnections({
    elasticsearch,
    redis,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    warn: (message) => logger.warn(message),
  });
  // Before anything starts, so a broken rules file stops the indexer before it links anything.
  const identityRules = loadIdentityRules(config.PANORAMA_IDENTITY_RULES);
  // Before any job is taken: an indexer without the API's pepper would let erased people back in.
  const suppressionPepper = await pepperOfProcess('indexer', {
    elasticsearch,
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
    elasticsearch,
    redis,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    queuePrefix: config.PANORAMA_QUEUE_PREFIX,
    ingestConcurrency: config.PANORAMA_INGEST_CONCURRENCY,
    rebuildConcurrency: config.PANORAMA_REBUILD_CONCURRENCY,
    rebuildBatch: config.PANORAMA_REBUILD_BATCH,
    rebuildMinBatch: config.PANORAMA_REBUILD_MIN_BATCH,
    log: pinoIndexerLog(logger),
    identityRules,
    snapshotSchedule:
      config.PANORAMA_SNAPSHOT_CRON === 'off' ? undefined : config.PANORAMA_SNAPSHOT_CRON,
    retention: retentionSchedule(config.PANORAMA_RETENTION ?? {}, config.PANORAMA_RETENTION_CRON),
    suppressionPepper,
    replicas: config.PANORAMA_ES_REPLICAS,
    matching: { thresholds: matchThresholds },
  });
  logger.info('indexer started');
  logger.debug(
    {
      ingestConcurrency: config.PANORAMA_INGEST_CONCURRENCY,
      rebuildConcurrency: config.PANORAMA_REBUILD_CONCURRENCY,
      rebuildBatch: config.PANORAMA_REBUILD_BATCH,
    },
    'indexer settings',
  );
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
