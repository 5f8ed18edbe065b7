import { z } from 'zod';
import {
  baseEnvSchema,
  indexLayoutEnvSchema,
  parseConnectedEnv,
  suppressionEnvSchema,
  matchThresholdsEnvSchema,
} from '../../infra/src/config';
import { defaultRulesPath } from '../../store/src/identity/identity-rules';
import { parseRetention } from './retention/retention-policy';

/** The indexer's tunables when their variables are unset; also what startIndexer() takes when a test leaves one out. */
export const indexerDefaults = {
  ingestConcurrency: 4,
  rebuildConcurrency: 4,
  rebuildBatch: 500,
  rebuildMinBatch: 10,
} as const;

/** A BullMQ cron pattern with seconds, UTC, or `off`. */
const cronOrOff = (example: string) =>
  z.string().regex(/^(off|(\S+\s+){4,5}\S+)$/, `must be a cron pattern like "${example}" or off`);

/** Everything the indexer reads from the environment. */
export const indexerEnvSchema = baseEnvSchema.extend({
  PANORAMA_INGEST_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(indexerDefaults.ingestConcurrency)
    .describe('ingest jobs processed at once by this process'),
  PANORAMA_REBUILD_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(indexerDefaults.rebuildConcurrency)
    .describe('parallel rebuild loops in this process'),
  PANORAMA_REBUILD_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(5_000)
    .default(indexerDefaults.rebuildBatch)
    .describe('most customers per rebuild batch (taken when a backlog waits)'),
  PANORAMA_REBUILD_MIN_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(5_000)
    .default(indexerDefaults.rebuildMinBatch)
    .describe(
      'fewest customers per rebuild batch while that many wait; fewer waiting are shared out over the loops',
    ),
  PANORAMA_IDENTITY_RULES: z.string().min(1).default(defaultRulesPath).meta({
    description: 'the identity rules file (see Identity rules); a broken one stops the indexer',
    whenUnset: '`config/identity-rules.json`',
  }),
  PANORAMA_SNAPSHOT_CRON: cronOrOff('0 5 0 * * *')
    .default('0 5 0 * * *')
    .describe('cron pattern (with seconds, UTC) of the daily snapshot; `off` disables it'),
  PANORAMA_RETENTION: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseRetention(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional()
    .meta({
      description:
        'retention per touchpoint type, `<type>=<days>d` pairs, e.g. `web_session=395d,campaign_response=730d`',
      whenUnset: 'unset: every touchpoint is kept',
    }),
  PANORAMA_RETENTION_CRON: cronOrOff('0 15 3 * * *')
    .default('0 15 3 * * *')
    .describe('cron pattern (with seconds, UTC) of the retention run; `off` disables it'),
  ...suppressionEnvSchema.shape,
  ...matchThresholdsEnvSchema.shape,
  // The daily snapshot indices it creates get the replicas of the others.
  PANORAMA_ES_REPLICAS: indexLayoutEnvSchema.shape.PANORAMA_ES_REPLICAS,
});

export type IndexerConfig = z.infer<typeof indexerEnvSchema>;

export function loadIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return parseConnectedEnv(indexerEnvSchema, env);
}
