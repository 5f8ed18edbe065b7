import { z } from 'zod';
import { parseEnv } from '../../../infra/src/config';

const schema = z.object({
  /** Cron pattern (with seconds) of the daily snapshot, UTC; `off` disables it. Default: 00:05:00 every day. */
  PANORAMA_SNAPSHOT_CRON: z
    .string()
    .regex(/^(off|(\S+\s+){4,5}\S+)$/, 'must be a cron pattern like "0 5 0 * * *" or off')
    .default('0 5 0 * * *'),
});

export function snapshotScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = parseEnv(schema, env).PANORAMA_SNAPSHOT_CRON;
  return value === 'off' ? undefined : value;
}
