/** Everything `npm run mappings:apply` reads from the environment: which cluster, which names, how many shards and replicas. */
import type { z } from 'zod';
import { baseEnvSchema, indexLayoutEnvSchema, parseEnv, withoutEmpty } from '../infra/src/config';

export const mappingsEnvSchema = baseEnvSchema
  .pick({
    ELASTICSEARCH_URL: true,
    PANORAMA_INDEX_PREFIX: true,
  })
  .extend(indexLayoutEnvSchema.shape);

export type MappingsConfig = z.infer<typeof mappingsEnvSchema>;

/** An empty variable is unset, as for `npm start`. */
export function readMappingsConfig(env: NodeJS.ProcessEnv = process.env): MappingsConfig {
  return parseEnv(mappingsEnvSchema, withoutEmpty(env));
}
