/**
 * Retention per touchpoint type, e.g. web sessions 13 months:
 * `PANORAMA_RETENTION="web_session=395d,campaign_response=730d"`, and how
 * often it is enforced, `PANORAMA_RETENTION_CRON` (default 03:15 UTC daily,
 * `off` disables the schedule). Types without a period are kept.
 */
import { z } from 'zod';
import { touchpointTypes, type TouchpointType } from '../../../domain/src/contract';
import { parseEnv } from '../../../infra/src/config';

export type RetentionPeriods = Partial<Record<TouchpointType, number>>;

/** `web_session=395d,email=730d` → `{ web_session: 395, email: 730 }` (days). */
export function parseRetention(value: string): RetentionPeriods {
  const periods: RetentionPeriods = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=(\d{1,5})d$/.exec(part);
    if (
      !match ||
      !(touchpointTypes as readonly string[]).includes(match[1]) ||
      Number(match[2]) < 1
    ) {
      throw new Error(
        `PANORAMA_RETENTION: "${part}" must be <type>=<days>d with a type among ${touchpointTypes.join(', ')}, e.g. web_session=395d`,
      );
    }
    periods[match[1] as TouchpointType] = Number(match[2]);
  }
  return periods;
}

const schema = z.object({
  PANORAMA_RETENTION: z.string().default(''),
  PANORAMA_RETENTION_CRON: z
    .string()
    .regex(/^(off|(\S+\s+){4,5}\S+)$/, 'must be a cron pattern like "0 15 3 * * *" or off')
    .default('0 15 3 * * *'),
});

export interface RetentionSchedule {
  periods: RetentionPeriods;
  /** Cron pattern (with seconds), UTC; or `every` ms (tests). */
  pattern?: string;
  every?: number;
}

export function retentionFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): RetentionSchedule | undefined {
  const config = parseEnv(schema, env);
  const periods = parseRetention(config.PANORAMA_RETENTION);
  if (Object.keys(periods).length === 0 || config.PANORAMA_RETENTION_CRON === 'off')
    return undefined;
  return { periods, pattern: config.PANORAMA_RETENTION_CRON };
}
