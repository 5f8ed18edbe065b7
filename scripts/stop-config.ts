/** Everything `npm run stop` reads from the environment: which run to stop. */
import type { z } from 'zod';
import { baseEnvSchema, parseEnv, withoutEmpty } from '../infra/src/config';

export const stopEnvSchema = baseEnvSchema.pick({ DATA_DIR: true });

export type StopConfig = z.infer<typeof stopEnvSchema>;

/** An empty variable is unset, as for `npm start`. */
export function readStopConfig(env: NodeJS.ProcessEnv = process.env): StopConfig {
  return parseEnv(stopEnvSchema, withoutEmpty(env));
}
