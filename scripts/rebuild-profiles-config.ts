/**
 * Everything `npm run profiles:rebuild` reads from the environment: the
 * variables every process honours; with ELASTICSEARCH_URL or REDIS_URL unset
 * it talks to the embedded services of `npm start` on 127.0.0.1.
 */
import { z } from 'zod';
import { baseEnvSchema, parseEnv, withoutEmpty } from '../infra/src/config';
import { embeddedPorts } from './start-config';

const port = z.coerce.number().int().min(1).max(65535);

/** It prints plain lines, not the processes' pino log: the log variables are not its own. */
const withoutLogSettings = baseEnvSchema.omit({
  PANORAMA_LOG_FORMAT: true,
  PANORAMA_LOG_LEVEL: true,
});

export const rebuildProfilesEnvSchema = withoutLogSettings.extend({
  ELASTICSEARCH_URL: baseEnvSchema.shape.ELASTICSEARCH_URL.optional().meta({
    description: 'the Elasticsearch cluster',
    whenUnset: "unset: `npm start`'s embedded one, on `PANORAMA_ES_PORT`",
  }),
  REDIS_URL: baseEnvSchema.shape.REDIS_URL.optional().meta({
    description: 'the Redis of the queues and the dirty set',
    whenUnset: "unset: `npm start`'s embedded one, on `PANORAMA_REDIS_PORT`",
  }),
  PANORAMA_ES_PORT: port
    .default(embeddedPorts.elasticsearch)
    .describe("port of `npm start`'s embedded Elasticsearch"),
  PANORAMA_REDIS_PORT: port
    .default(embeddedPorts.redis)
    .describe("port of `npm start`'s embedded Redis"),
});

/** The service URLs filled in from the ports when unset. */
export type RebuildProfilesConfig = Omit<
  z.infer<typeof rebuildProfilesEnvSchema>,
  'ELASTICSEARCH_URL' | 'REDIS_URL'
> & { ELASTICSEARCH_URL: string; REDIS_URL: string };

/** An empty variable is unset, as for `npm start`. */
export function readRebuildProfilesConfig(
  env: NodeJS.ProcessEnv = process.env,
): RebuildProfilesConfig {
  const config = parseEnv(rebuildProfilesEnvSchema, withoutEmpty(env));
  return {
    ...config,
    ELASTICSEARCH_URL: config.ELASTICSEARCH_URL ?? `http://127.0.0.1:${config.PANORAMA_ES_PORT}`,
    REDIS_URL: config.REDIS_URL ?? `redis://127.0.0.1:${config.PANORAMA_REDIS_PORT}`,
  };
}
