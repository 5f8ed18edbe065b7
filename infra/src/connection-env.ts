/**
 * The environment variables of the Elasticsearch and Redis connections, as
 * zod fragments for each process's config.ts, and the settings they make.
 * Each field is checked alone here; combinations (an API key and a user, a
 * cloud id and a URL, a CA file with redis://) by {@link checkConnectionEnv},
 * with the same sentences the clients would throw.
 *
 * @example
 * const schema = baseEnvSchema
 *   .extend(elasticsearchEnv.shape)
 *   .extend(redisEnv.shape)
 *   .superRefine(checkConnectionEnv);
 * const config = parseEnv(schema);
 * const es = createElasticsearch(elasticsearchSettingsOf(config));
 */
import { z } from 'zod';
import {
  elasticsearchNodes,
  elasticsearchSettingsProblems,
  type ElasticsearchSettings,
} from './elasticsearch';
import { redisSettingsProblems, type RedisSettings } from './redis';

/** Unset and empty (`FOO=` in a compose file) mean the same: not given. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const isHttpUrl = (node: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(node).protocol);
  } catch {
    return false;
  }
};

export const elasticsearchEnv = z.object({
  /** One node or a comma-separated list; optional only when ELASTICSEARCH_CLOUD_ID names the cluster. */
  ELASTICSEARCH_URL: optionalText
    .refine((value) => value === undefined || elasticsearchNodes(value).every(isHttpUrl), {
      message: 'must be a URL like https://127.0.0.1:9200, or several separated by commas',
    })
    .meta({
      description:
        'the Elasticsearch cluster: one node or several separated by commas (the client balances over them)',
      whenUnset: 'required, unless `ELASTICSEARCH_CLOUD_ID` is set',
    }),
  /** The encoded API key (`encoded` in the answer of POST _security/api_key). */
  ELASTICSEARCH_API_KEY: optionalText.describe(
    'an API key (the `encoded` value of `POST _security/api_key`), instead of a user and password',
  ),
  ELASTICSEARCH_USERNAME: optionalText.describe(
    'the Elasticsearch user, with `ELASTICSEARCH_PASSWORD`',
  ),
  ELASTICSEARCH_PASSWORD: optionalText.describe('the password of `ELASTICSEARCH_USERNAME`'),
  /** PEM file of the CA that signed the nodes' HTTP certificates. */
  ELASTICSEARCH_CA_FILE: optionalText.describe(
    "PEM file of the CA that signed the nodes' HTTP certificates (https:// only)",
  ),
  /** SHA-256 fingerprint of that CA certificate, instead of the file. */
  ELASTICSEARCH_CA_FINGERPRINT: optionalText
    .refine((value) => value === undefined || /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i.test(value), {
      message: 'must be a SHA-256 fingerprint: 64 hex digits, colons allowed',
    })
    .describe('SHA-256 fingerprint of that CA certificate, instead of `ELASTICSEARCH_CA_FILE`'),
  /** An Elastic Cloud deployment, instead of ELASTICSEARCH_URL. */
  ELASTICSEARCH_CLOUD_ID: optionalText.describe(
    'an Elastic Cloud deployment, instead of `ELASTICSEARCH_URL`',
  ),
});

export const redisEnv = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a URL like redis://127.0.0.1:6380 (rediss:// for TLS)')
    .describe('the Redis of the queues and the dirty set; `rediss://` for TLS'),
  /** The password outside the URL (no percent-encoding needed). */
  REDIS_PASSWORD: optionalText.describe(
    'the Redis password, outside the URL (no percent-encoding needed)',
  ),
  /** PEM file of the CA that signed the certificate of a rediss:// Redis. */
  REDIS_CA_FILE: optionalText.describe(
    'PEM file of the CA that signed the certificate of a `rediss://` Redis',
  ),
});

export type ElasticsearchEnv = z.infer<typeof elasticsearchEnv>;
export type RedisEnv = z.infer<typeof redisEnv>;

export function elasticsearchSettingsOf(env: ElasticsearchEnv): ElasticsearchSettings {
  return {
    url: env.ELASTICSEARCH_URL,
    apiKey: env.ELASTICSEARCH_API_KEY,
    username: env.ELASTICSEARCH_USERNAME,
    password: env.ELASTICSEARCH_PASSWORD,
    caFile: env.ELASTICSEARCH_CA_FILE,
    caFingerprint: env.ELASTICSEARCH_CA_FINGERPRINT,
    cloudId: env.ELASTICSEARCH_CLOUD_ID,
  };
}

export function redisSettingsOf(env: RedisEnv): RedisSettings {
  return { url: env.REDIS_URL, password: env.REDIS_PASSWORD, caFile: env.REDIS_CA_FILE };
}

/**
 * A `superRefine` for a schema holding both fragments: adds the combination
 * problems as issues on the first variable each one names, so parseEnv lists
 * them with the others. Field-level problems are already reported by the
 * fragments and are not repeated.
 */
export function checkConnectionEnv(env: ElasticsearchEnv & RedisEnv, ctx: z.RefinementCtx): void {
  const problems = [
    ...elasticsearchSettingsProblems(elasticsearchSettingsOf(env)).filter(
      (problem) => !/^ELASTICSEARCH_URL holds "|^ELASTICSEARCH_CA_FINGERPRINT is not/.test(problem),
    ),
    ...redisSettingsProblems(redisSettingsOf(env)).filter(
      (problem) => !problem.startsWith('REDIS_URL must be'),
    ),
  ];
  for (const message of problems) {
    const variable = /\b(?:ELASTICSEARCH|REDIS)_[A-Z_]+/.exec(message)?.[0] ?? 'ELASTICSEARCH_URL';
    ctx.addIssue({ code: 'custom', message, path: [variable] });
  }
}
