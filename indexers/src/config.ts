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
});

export type IndexerConfig = z.infer<typeof schema>;

export function loadIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return parseEnv(schema, env);
}
