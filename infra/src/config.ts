import { z } from 'zod';
import { logFormats, logLevels } from './log';
import {
  checkConnectionEnv,
  elasticsearchEnv,
  redisEnv,
  type ElasticsearchEnv,
  type RedisEnv,
} from './connection-env';

declare module 'zod/v4/core' {
  interface GlobalMeta {
    /** What the README's default column says instead of the parsed default (a default computed at run time, or what unset means). */
    whenUnset?: string;
  }
}

/**
 * The environment every process honours (CONTRACT.md). Each process extends
 * this schema in its own config.ts; all problems are listed at once. Every
 * field has a description: the README's tables are made from them
 * (`npm run config:table`). The connection variables' combinations are
 * checked by {@link parseConnectedEnv}, which each process parses with (a
 * refined schema can no longer be extended).
 */
export const baseEnvSchema = z.object({
  ...elasticsearchEnv.shape,
  ...redisEnv.shape,
  DATA_DIR: z
    .string()
    .min(1)
    .default('./.data')
    .describe('where the embedded services, the credentials and the suppression pepper live'),
  PANORAMA_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('panorama')
    .describe('first part of every index and alias name'),
  PANORAMA_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('panorama')
    .describe('first part of every queue and Redis key'),
  PANORAMA_LOG_FORMAT: z.enum(logFormats).optional().meta({
    description: '`pretty` (readable lines) or `json` (one object per line, for a log collector)',
    whenUnset: 'unset: pretty on a terminal, JSON otherwise',
  }),
  PANORAMA_LOG_LEVEL: z
    .enum(logLevels)
    .default('info')
    .describe(
      'the least severe lines written: `debug` (every merge and batch), `info`, `warn`, `error`',
    ),
});

/**
 * Suppression of erased identifiers (CONTRACT.md, *Extension*): the API, the
 * indexers and `npm start` read the same two variables and must agree.
 */
export const suppressionEnvSchema = z.object({
  PANORAMA_SUPPRESS_ERASED: z
    .enum(['0', '1'])
    .default('1')
    .describe(
      '`0` turns off the suppression of erased identifiers (erasure lists them, the indexers drop records carrying them)',
    ),
  PANORAMA_SUPPRESSION_PEPPER: z
    .string()
    .min(32, 'must be at least 32 characters (a random secret)')
    .optional()
    .meta({
      description: "the suppression list's HMAC pepper; the same for the API and every indexer",
      whenUnset: '`DATA_DIR/suppression-pepper`, made on first start (0600)',
    }),
});

/** The thresholds of probabilistic matching when their variables are unset (bench:identity-matching chose them). */
export const matchThresholdDefaults = { review: 0.5, autoMerge: 0.995 } as const;

/**
 * Probabilistic matching (README, *Probabilistic matching*): the indexers
 * merge and propose with these thresholds, the API shows them; both read the
 * same two variables and must agree.
 */
export const matchThresholdsEnvSchema = z.object({
  PANORAMA_MATCH_REVIEW_THRESHOLD: z.coerce
    .number()
    .gt(0)
    .lt(1)
    .default(matchThresholdDefaults.review)
    .describe('match probability from which a pair of customers is proposed to the data steward'),
  PANORAMA_MATCH_AUTO_MERGE_THRESHOLD: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(matchThresholdDefaults.autoMerge)
    .describe(
      'match probability from which a pair is merged automatically (no contradicting identifier, no plainly different name, no "not the same" mark); `1` = never',
    ),
});

/** Both thresholds of a parsed configuration, checked against each other. */
export function matchThresholdsOf(config: z.infer<typeof matchThresholdsEnvSchema>): {
  review: number;
  autoMerge: number;
} {
  const review = config.PANORAMA_MATCH_REVIEW_THRESHOLD;
  const autoMerge = config.PANORAMA_MATCH_AUTO_MERGE_THRESHOLD;
  if (review > autoMerge)
    throw new Error(
      `PANORAMA_MATCH_REVIEW_THRESHOLD (${review}) must not be above PANORAMA_MATCH_AUTO_MERGE_THRESHOLD (${autoMerge})`,
    );
  return { review, autoMerge };
}

/**
 * Shards and replicas of the indices (README, *Shards and replicas*):
 * `mappings:apply` and `npm start` create and adjust the indices with them;
 * the indexer reads the replicas for the daily snapshot indices it creates.
 */
export const indexLayoutEnvSchema = z.object({
  PANORAMA_ES_REPLICAS: z
    .union([z.literal('auto'), z.coerce.number().int().min(0).max(10)], {
      message: 'must be auto or a number of replicas (0-10)',
    })
    .default('auto')
    .describe(
      'replicas of every index: a number, or `auto` (`auto_expand_replicas: "0-1"`: none on a single node, one as soon as a second joins); changed in place',
    ),
  PANORAMA_ES_SHARDS_CUSTOMERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('primary shards of the customers index; a change migrates to a new index'),
  PANORAMA_ES_SHARDS_TOUCHPOINTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('primary shards of the touchpoints index; a change migrates to a new index'),
});

/** Each problem as `NAME: message`; empty when `env` is valid. */
export function envProblems(schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  const result = schema.safeParse(env);
  return result.success ? [] : linesOf(result.error);
}

export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new Error(
      `Invalid configuration, refusing to start:\n${linesOf(result.error)
        .map((line) => `  ${line}`)
        .join('\n')}`,
    );
  }
  return result.data;
}

function linesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/**
 * {@link parseEnv} with the combinations of the connection variables checked
 * too (a user without a password, a CA file with http://, …), so they are
 * listed with the other problems before anything connects.
 */
export function parseConnectedEnv<T extends z.ZodObject>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const checked = schema.superRefine((value, ctx) =>
    checkConnectionEnv(value as ElasticsearchEnv & RedisEnv, ctx),
  );
  return parseEnv(checked, env) as z.infer<T>;
}

/** An empty variable (`FOO= npm start`) means unset, as in most shells' intent. */
export function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
