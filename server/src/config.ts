import { z } from 'zod';
import { baseEnvSchema, parseEnv } from '../../infra/src/config';

const schema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** `role:key` pairs; validated in auth/credentials.ts `parseApiKeysEnv`. */
  PANORAMA_API_KEYS: z.string().optional(),
  PANORAMA_TOKEN_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  PANORAMA_HOST: z.string().default('127.0.0.1'),
});

export type ServerConfig = z.infer<typeof schema>;

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return parseEnv(schema, env);
}
