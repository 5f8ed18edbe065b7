import { z } from 'zod';

/**
 * The environment every process honours (CONTRACT.md). Each process extends
 * this schema in its own config.ts; all problems are listed at once.
 */
export const baseEnvSchema = z.object({
  ELASTICSEARCH_URL: z.url({ message: 'must be a URL like http://127.0.0.1:9200' }),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a URL like redis://127.0.0.1:6380'),
  DATA_DIR: z.string().min(1).default('./.data'),
  PANORAMA_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('panorama'),
  PANORAMA_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('panorama'),
});

export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration, refusing to start:\n${lines.join('\n')}`);
  }
  return result.data;
}
