import { randomBytes } from 'node:crypto';

/**
 * A new customer id: time-ordered (so the oldest of two merged customers is
 * the smaller id and survives), URL- and job-id-safe (no `:`).
 */
export function newCustomerId(now = Date.now()): string {
  return `c${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
