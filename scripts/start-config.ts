/**
 * Everything `npm start` reads from the environment (CONTRACT.md,
 * "Configuration every process honours"), and the environment it hands to
 * the indexer and the API it starts: theirs is checked here too, so every
 * problem is listed before Elasticsearch starts rather than when a child does.
 */
import { z } from 'zod';
import {
  baseEnvSchema,
  envProblems,
  indexLayoutEnvSchema,
  suppressionEnvSchema,
  withoutEmpty,
} from '../infra/src/config';
import type { LogFormat } from '../infra/src/log';
import { checkConnectionEnv, elasticsearchEnv, redisEnv } from '../infra/src/connection-env';
import { indexerEnvSchema } from '../indexers/src/config';
import { identityRulesEnv } from '../store/src/identity/identity-rules';
import { serverDefaults, serverEnvSchema } from '../server/src/config';

/** Ports of the embedded services when their variables are unset; `npm run profiles:rebuild` looks there too. */
export const embeddedPorts = { elasticsearch: 9200, redis: 6380 } as const;

const port = z.coerce.number().int();

export const startEnvSchema = baseEnvSchema.extend({
  ELASTICSEARCH_URL: elasticsearchEnv.shape.ELASTICSEARCH_URL.meta({
    description: 'an existing cluster to use: one node or several separated by commas',
    whenUnset: 'unset: the embedded Elasticsearch is started',
  }),
  REDIS_URL: redisEnv.shape.REDIS_URL.optional().meta({
    description: 'an existing Redis to use; `rediss://` for TLS',
    whenUnset: 'unset: the embedded Redis is started',
  }),
  PORT: port
    .min(1)
    .max(65535)
    .default(serverDefaults.port)
    .describe('HTTP port of the API and the UI'),
  PANORAMA_DEMO: z
    .string()
    .default('1')
    .describe('`0` starts with an empty store; otherwise a fresh store gets the demo data set'),
  PANORAMA_DEMO_CUSTOMERS: z.coerce
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe('size of the demo data set'),
  PANORAMA_ES_PORT: port
    .min(0)
    .max(65535)
    .default(embeddedPorts.elasticsearch)
    .describe('HTTP port of the embedded Elasticsearch; 0 picks a free one'),
  PANORAMA_REDIS_PORT: port
    .min(0)
    .max(65535)
    .default(embeddedPorts.redis)
    .describe(
      'port of the embedded Redis; 0 picks a free one (not 6379, where a system Redis may run)',
    ),
  PANORAMA_ES_HEAP: z
    .string()
    .regex(/^\d+[mg]$/, 'must look like 512m or 1g')
    .default('512m')
    .describe('heap of the embedded Elasticsearch'),
  ...suppressionEnvSchema.shape,
  ...indexLayoutEnvSchema.shape,
  // The migration of the customers index folds profiles with the indexers' rules.
  ...identityRulesEnv.shape,
});

export type StartConfig = z.infer<typeof startEnvSchema>;

/**
 * The combinations of the connection variables (a user without a password, a
 * CA file with http://, …); an unset URL is the embedded service's, on
 * 127.0.0.1 without TLS.
 */
const checkedStartEnvSchema = startEnvSchema.superRefine((config, ctx) =>
  checkConnectionEnv(
    {
      ...config,
      ELASTICSEARCH_URL:
        config.ELASTICSEARCH_URL ??
        (config.ELASTICSEARCH_CLOUD_ID ? undefined : 'http://127.0.0.1:9200'),
      REDIS_URL: config.REDIS_URL ?? 'redis://127.0.0.1:6380',
    },
    ctx,
  ),
);

/** What `npm start` sets for its children itself: the rest of their environment is passed on as given. */
const setForChildren = { ELASTICSEARCH_URL: true, REDIS_URL: true, DATA_DIR: true } as const;

/**
 * `npm start`'s configuration and the environment its children get (empty
 * variables removed: `FOO= npm start` means unset, for the children too);
 * the problems of all three when there are any.
 */
export function readStartConfig(
  env: NodeJS.ProcessEnv,
):
  | { ok: true; config: StartConfig; passedOn: NodeJS.ProcessEnv }
  | { ok: false; problems: string[] } {
  const passedOn = withoutEmpty(env);
  const problems = new Set([
    ...envProblems(checkedStartEnvSchema, passedOn),
    ...envProblems(serverEnvSchema.omit({ ...setForChildren, PORT: true }), passedOn),
    ...envProblems(indexerEnvSchema.omit(setForChildren), passedOn),
  ]);
  if (problems.size > 0) return { ok: false, problems: [...problems] };
  return { ok: true, config: startEnvSchema.parse(passedOn), passedOn };
}

/**
 * The log format `npm start` asks of the indexer and the API: the one set, else pretty when its own stdout is a
 * terminal and JSON otherwise. They cannot tell themselves: their stdout is a pipe to `npm start`.
 */
export function childLogFormat(config: StartConfig, stdoutIsTerminal: boolean): LogFormat {
  return config.PANORAMA_LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json');
}
