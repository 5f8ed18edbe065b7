import { z } from 'zod';
import { baseEnvSchema, parseEnv } from '../../infra/src/config';

const schema = baseEnvSchema.extend({
  /** Ingest jobs processed at once by this process. */
  PANORAMA_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Parallel rebuild loops in this process. */
  PANORAMA_REBUILD_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /** Most customers per rebuild batch (taken when a backlog waits). */
  PANORAMA_REBUILD_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Fewest customers per rebuild batch while that many wait; fewer waiting are shared out over the loops (latency). */
  PANORAMA_REBUILD_MIN_BATCH: z.coerce.number().int().min(1).max(5_000).default(10),
  /** 1 (default): records carrying an erased identifier are dropped; needs the API's pepper. */
  PANORAMA_SUPPRESS_ERASED: z.enum(['0', '1']).default('1'),
  /** The suppression list's pepper; default: DATA_DIR/suppression-pepper (written by the API's first start). */
  PANORAMA_SUPPRESSION_PEPPER: z
    .string()
    .min(32, 'must be at least 32 characters (a random secret)')
    .optional(),
});

export type IndexerConfig = z.infer<typeof schema>;

export function loadIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return parseEnv(schema, env);
}
