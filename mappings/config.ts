/**
 * Everything `npm run mappings:apply` reads from the environment: which
 * cluster, which names, how many shards and replicas, and the identity rules
 * its profile rebuilds fold with (as the indexers do).
 */
import type { z } from 'zod';
import { baseEnvSchema, indexLayoutEnvSchema, parseEnv, withoutEmpty } from '../infra/src/config';
import { checkConnectionEnv, elasticsearchEnv } from '../infra/src/connection-env';
import { identityRulesEnv } from '../store/src/identity/identity-rules';

export const mappingsEnvSchema = baseEnvSchema
  .pick({
    ...(Object.fromEntries(Object.keys(elasticsearchEnv.shape).map((name) => [name, true])) as {
      [name in keyof typeof elasticsearchEnv.shape]: true;
    }),
    PANORAMA_INDEX_PREFIX: true,
  })
  .extend(indexLayoutEnvSchema.shape)
  .extend(identityRulesEnv.shape);

export type MappingsConfig = z.infer<typeof mappingsEnvSchema>;

/** An empty variable is unset, as for `npm start`. */
export function readMappingsConfig(env: NodeJS.ProcessEnv = process.env): MappingsConfig {
  // No Redis here: its URL stands in so that only the Elasticsearch combinations are checked.
  const checked = mappingsEnvSchema.superRefine((config, ctx) =>
    checkConnectionEnv(
      {
        ...config,
        REDIS_URL: 'redis://unused',
        REDIS_PASSWORD: undefined,
        REDIS_CA_FILE: undefined,
      },
      ctx,
    ),
  );
  return parseEnv(checked, withoutEmpty(env));
}
