/**
 * Everything `npm run profiles:rebuild` reads from the environment: the
 * variables every process honours; with ELASTICSEARCH_URL or REDIS_URL unset
 * it talks to the embedded services of `npm start` on 127.0.0.1.
 */
import { z } from 'zod';
import { baseEnvSchema, parseConnectedEnv, parseEnv, withoutEmpty } from '../infra/src/config';
import { embeddedPorts } from './start-config';

const port = z.coerce.number().int().min(1).max(65535);

/** It prints plain lines, not the processes' pino log: the log variables are not its own. */
const withoutLogSettings = baseEnvSchema.omit({
  PANORAMA_LOG_FORMAT: true,
  PANORAMA_LOG_LEVEL: true,
});

export const rebuildProfilesEnvSchema = withoutLogSettings.extend({
  ELASTICSEARCH_URL: baseEnvSchema.shape.ELASTICSEARCH_URL.meta({
    description: 'the Elasticsearch cluster: one node or several separated by commas',
    whenUnset: "unset: `npm start`'s embedded one, on `PANORAMA_ES_PORT`",
  }),
  REDIS_URL: baseEnvSchema.shape.REDIS_URL.optional().meta({
    description: 'the Redis of the queues and the dirty set; `rediss://` for TLS',
    whenUnset: "unset: `npm start`'s embedded one, on `PANORAMA_REDIS_PORT`",
  }),
  PANORAMA_ES_PORT: port
    .default(embeddedPorts.elasticsearch)
    .describe("port of `npm start`'s embedded Elasticsearch"),
  PANORAMA_REDIS_PORT: port
    .default(embeddedPorts.redis)
    .describe("port of `npm start`'s embedded Redis"),
});

/** The service URLs filled in from the ports when unset (Elasticsearch's unless ELASTICSEARCH_CLOUD_ID names it). */
export type RebuildProfilesConfig = Omit<z.infer<typeof rebuildProfilesEnvSchema>, 'REDIS_URL'> & {
  REDIS_URL: string;
};

/** An empty variable is unset, as for `npm start`. */
export function readRebuildProfilesConfig(
  env: NodeJS.ProcessEnv = process.env,
): RebuildProfilesConfig {
  const given = withoutEmpty(env);
  const ports = parseEnv(rebuildProfilesEnvSchema, given);
  // Filled in before the combinations of the connection variables are checked.
  const filled: NodeJS.ProcessEnv = {
    ...given,
    ELASTICSEARCH_URL:
      ports.ELASTICSEARCH_URL ??
      (ports.ELASTICSEARCH_CLOUD_ID ? undefined : `http://127.0.0.1:${ports.PANORAMA_ES_PORT}`),
    REDIS_URL: ports.REDIS_URL ?? `redis://127.0.0.1:${ports.PANORAMA_REDIS_PORT}`,
  };
  const config = parseConnectedEnv(rebuildProfilesEnvSchema, filled);
  return { ...config, REDIS_URL: config.REDIS_URL ?? (filled.REDIS_URL as string) };
}
