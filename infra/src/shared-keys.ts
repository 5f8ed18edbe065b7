/**
 * Redis keys every API process of one installation shares: the
 * version of the accounts (raised on every change to users and API keys, so
 * each process knows when to reload them) and the rate-limit counters. Under
 * the queue prefix, so a test's or benchmark's cleanup of its prefix removes
 * them too.
 */
import type { QueueNames } from './names';

function prefixOf(queues: QueueNames): string {
  return queues.dirty.replace(/:dirty-customers$/, '');
}

/** Counter raised after every change to accounts or API keys. */
export function accountsVersionKey(queues: QueueNames): string {
  return `${prefixOf(queues)}:accounts-version`;
}

/** Prefix of one rate limiter's counters (`login`, `api`). */
export function rateLimitPrefix(queues: QueueNames, limiter: 'login' | 'api'): string {
  return `${prefixOf(queues)}:rate-limit:${limiter}:`;
}

/** One single-use stream ticket, by the SHA-256 of the ticket (server/src/auth/stream-tickets.ts). */
export function streamTicketKey(queues: QueueNames, ticketHash: string): string {
  return `${prefixOf(queues)}:stream-ticket:${ticketHash}`;
}

/** Stream of audit entries not yet in Elasticsearch (server/src/privacy/audit-trail.ts). */
export function auditStreamKey(queues: QueueNames): string {
  return `${prefixOf(queues)}:audit-stream`;
}

/** Leases of running answers of one caller on one route (server/src/privacy/running-limit.ts). */
export function runningLeasesKey(queues: QueueNames, scope: string): string {
  return `${prefixOf(queues)}:running:${scope}`;
}
