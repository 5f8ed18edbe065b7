import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import {
  createElasticsearch,
  elasticsearchConnectionOf,
  type ElasticsearchConnectionOptions,
} from '../../infra/src/elasticsearch';
import type { Replicas } from '../../infra/src/index-layout';
import { indexNames, queueNames } from '../../infra/src/names';
import { createRedis, redisConnectionOf, type RedisConnectionOptions } from '../../infra/src/redis';
import { indexerDefaults } from './config';
import type { IndexerContext } from './context';
import type { StepTimers } from '../../infra/src/step-timer';
import { loadIdentityRules, type IdentityRules } from '../../store/src/identity/identity-rules';
import { startIngestWorker } from './ingest-worker';
import { startRebuildLoop, type RebuildLoop } from './rebuild/rebuild-loop';
import { startRollupLoop, type RollupLoop } from './rollups/rollup-loop';
import {
  matchLoopDefaults,
  startMatchLoop,
  type MatchLoop,
  type MatchLoopOptions,
} from './matching/match-loop';
import type { MatchThresholds } from '../../store/src/matching/match-customers';
import { matchThresholdDefaults } from '../../infra/src/config';
import { startSnapshotWorker } from './snapshots/snapshot-worker';
import type { RetentionSchedule } from './retention/retention-policy';
import { startRetentionWorker } from './retention/retention-worker';

/** The cluster and Redis as `elasticsearchUrl` / `redisUrl` (tests) or the settings of the configuration (main.ts). */
export interface IndexerOptions extends ElasticsearchConnectionOptions, RedisConnectionOptions {
  indexPrefix: string;
  queuePrefix: string;
  /** Ingest jobs at once; default `indexerDefaults` of config.ts (as are the next three). */
  ingestConcurrency?: number;
  /** Parallel rebuild loops. */
  rebuildConcurrency?: number;
  /** Most customers per rebuild batch. */
  rebuildBatch?: number;
  /** Fewest customers per rebuild batch while that many wait (rebuild-loop.ts). */
  rebuildMinBatch?: number;
  log?: IndexerContext['log'];
  /** Identity rules (main.ts loads PANORAMA_IDENTITY_RULES); default: `config/identity-rules.json`, loaded at start. */
  identityRules?: IdentityRules;
  /** Cron pattern of the daily profile snapshot; unset: snapshots only on demand. */
  snapshotSchedule?: string;
  /** Retention per touchpoint type and its schedule; unset: everything is kept. */
  retention?: RetentionSchedule;
  /** Pause between rounds of the touchpoint rollup loop, default 3,000 ms. */
  rollupIntervalMs?: number;
  /**
   * The pepper of the suppression list, the same as the API's: records carrying an erased identifier are
   * dropped. main.ts always sets it (or refuses to start); absent or null: nothing is checked.
   */
  suppressionPepper?: string | null;
  /** Replicas of the daily snapshot indices (PANORAMA_ES_REPLICAS); default `auto`, as for the other indices. */
  replicas?: Replicas;
  /**
   * Probabilistic matching after every rebuild and full passes (matching/match-loop.ts): the thresholds
   * (PANORAMA_MATCH_*; default `matchThresholdDefaults`) and the loop's sizes; `false`: no matching.
   */
  matching?:
    false | (Partial<Omit<MatchLoopOptions, 'thresholds'>> & { thresholds?: MatchThresholds });
  /** Times the steps of every ingest job and rebuild batch (processors/ingest-batch.ts, rebuild/rebuild-loop.ts), for `bench:freshness`; default: untimed. */
  stepTimers?: { ingestJob?: StepTimers; rebuildBatch?: StepTimers };
}

/** The indexer's log as pino lines (main.ts; the log test captures the same). Fields must never carry personal data: see job-failure.ts. */
export function pinoIndexerLog(logger: Logger): NonNullable<IndexerOptions['log']> {
  return (message, fields, level = 'info') => logger[level](fields ?? {}, message);
}

export interface RunningIndexer {
  ctx: IndexerContext;
  worker: Worker;
  rebuild: RebuildLoop;
  /** The touchpoint rollup loop (tests stop it to drive rounds themselves). */
  rollups: RollupLoop;
  /** The match loops and the pass driver; null when matching is off. */
  matching: MatchLoop | null;
  close(): Promise<void>;
}

/** Starts the ingest worker and the rebuild loops of one indexer process (also used in-process by tests). */
export function startIndexer(options: IndexerOptions): RunningIndexer {
  const ctx: IndexerContext = {
    es: createElasticsearch(elasticsearchConnectionOf(options)),
    redis: createRedis(redisConnectionOf(options), 'worker'),
    names: indexNames(options.indexPrefix),
    queues: queueNames(options.queuePrefix),
    log: options.log ?? (() => {}),
    // Loaded at start, so a broken rules file stops the indexer before it links anything.
    identityRules: options.identityRules ?? loadIdentityRules(),
    suppression: options.suppressionPepper ? { pepper: options.suppressionPepper } : null,
    replicas: options.replicas,
  };
  const worker = startIngestWorker(ctx, {
    concurrency: options.ingestConcurrency ?? indexerDefaults.ingestConcurrency,
    stepTimers: options.stepTimers?.ingestJob,
  });
  const rebuild = startRebuildLoop(ctx, {
    concurrency: options.rebuildConcurrency ?? indexerDefaults.rebuildConcurrency,
    batchSize: options.rebuildBatch ?? indexerDefaults.rebuildBatch,
    minBatch: options.rebuildMinBatch ?? indexerDefaults.rebuildMinBatch,
    stepTimers: options.stepTimers?.rebuildBatch,
    matchAfter: options.matching !== false,
  });
  const matching =
    options.matching === false
      ? null
      : startMatchLoop(ctx, {
          ...matchLoopDefaults,
          ...options.matching,
          thresholds: options.matching?.thresholds ?? matchThresholdDefaults,
        });
  const snapshots = startSnapshotWorker(ctx, { schedule: options.snapshotSchedule });
  const rollups = startRollupLoop(ctx, { intervalMs: options.rollupIntervalMs });
  const retention = options.retention ? startRetentionWorker(ctx, options.retention) : null;
  return {
    ctx,
    worker,
    rebuild,
    rollups,
    matching,
    async close() {
      await worker.close();
      await snapshots.close();
      await retention?.close();
      await rebuild.close();
      await matching?.close();
      await rollups.close();
      await ctx.redis.quit();
      await ctx.es.close();
    },
  };
}
