/**
 * Retention per touchpoint type, e.g. web sessions 13 months:
 * `PANORAMA_RETENTION="web_session=395d,campaign_response=730d"`, and how
 * often it is enforced, `PANORAMA_RETENTION_CRON` (both read by config.ts).
 * Types without a period are kept.
 */
import { touchpointTypes, type TouchpointType } from '../../../domain/src/contract';

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
        `"${part}" must be <type>=<days>d with a type among ${touchpointTypes.join(', ')}, e.g. web_session=395d`,
      );
    }
    periods[match[1] as TouchpointType] = Number(match[2]);
  }
  return periods;
}

export interface RetentionSchedule {
  periods: RetentionPeriods;
  /** Cron pattern (with seconds), UTC; or `every` ms (tests). */
  pattern?: string;
  every?: number;
}

/** The schedule to enforce; undefined when no type has a period or the schedule is `off`. */
export function retentionSchedule(
  periods: RetentionPeriods,
  pattern: string,
): RetentionSchedule | undefined {
  if (Object.keys(periods).length === 0 || pattern === 'off') return undefined;
  return { periods, pattern };
}
