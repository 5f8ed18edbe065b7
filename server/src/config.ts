import { z } from 'zod';
import {
  baseEnvSchema,
  matchThresholdsEnvSchema,
  parseConnectedEnv,
  suppressionEnvSchema,
} from '../../infra/src/config';
import { parseApiKeysEnv } from './auth/credentials';

/** The API's tunables when their variables are unset; also what startServer() takes when a test leaves one out. */
export const serverDefaults = {
  port: 8080,
  host: '127.0.0.1',
  tokenTtlHours: 12,
  apiPerMinute: 1_200,
  loginPerMinute: 20,
} as const;

/** Everything the API reads from the environment. */
export const serverEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(serverDefaults.port)
    .describe('HTTP port of the API (which also serves the built web UI); 0 picks a free one'),
  PANORAMA_HOST: z.string().default(serverDefaults.host).describe('address the API listens on'),
  PANORAMA_API_KEYS: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseApiKeysEnv(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .optional()
    .describe('extra API keys, `role:key` pairs, e.g. `admin:s3cret,ingest:abc`'),
  PANORAMA_TOKEN_TTL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(serverDefaults.tokenTtlHours)
    .describe('how long a login token is valid, in hours'),
  PANORAMA_UI_ORIGIN: z.url().optional().meta({
    description: "the UI's origin when it is served from elsewhere (CORS)",
    whenUnset: 'unset: same origin only',
  }),
  PANORAMA_API_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(0)
    .default(serverDefaults.apiPerMinute)
    .describe('API requests per caller per minute, counted across API processes; `0` = off'),
  PANORAMA_LOGIN_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(serverDefaults.loginPerMinute)
    .describe('login attempts per address per minute (and failed ones per username)'),
  PANORAMA_TRUST_PROXY: z.string().max(1_000).optional().meta({
    description:
      'proxies allowed to set the client address (`X-Forwarded-For`), as Express `trust proxy` (`loopback`, a CIDR list, a hop count)',
    whenUnset: "unset: the socket's address",
  }),
  ...suppressionEnvSchema.shape,
  ...matchThresholdsEnvSchema.shape,
});

export type ServerConfig = z.infer<typeof serverEnvSchema>;

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return parseConnectedEnv(serverEnvSchema, env);
}
