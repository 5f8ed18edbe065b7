import { z } from 'zod';
import { baseEnvSchema, parseEnv } from '../../infra/src/config';

const schema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** `role:key` pairs; validated in auth/credentials.ts `parseApiKeysEnv`. */
  PANORAMA_API_KEYS: z.string().optional(),
  PANORAMA_TOKEN_TTL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  PANORAMA_HOST: z.string().default('127.0.0.1'),
  /** 1 (default): erasure puts the customer's hashed identifiers on the suppression list first, so no later record recreates them. */
  PANORAMA_SUPPRESS_ERASED: z.enum(['0', '1']).default('1'),
  /** The suppression list's pepper; default: DATA_DIR/suppression-pepper, generated on first start. */
  PANORAMA_SUPPRESSION_PEPPER: z
    .string()
    .min(32, 'must be at least 32 characters (a random secret)')
    .optional(),
  /** The UI's origin when served from elsewhere (CORS); unset: same origin only. */
  PANORAMA_UI_ORIGIN: z.url().optional(),
  /** API requests per token per minute (0 = off). */
  PANORAMA_API_RATE_LIMIT: z.coerce.number().int().min(0).default(1_200),
  /** Login attempts per address per minute. */
  PANORAMA_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Express `trust proxy` (`loopback`, a CIDR list, a hop count): only then is X-Forwarded-For the client's address. Unset: the socket's. */
  PANORAMA_TRUST_PROXY: z.string().max(1_000).optional(),
});

export type ServerConfig = z.infer<typeof schema>;

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return parseEnv(schema, env);
}
