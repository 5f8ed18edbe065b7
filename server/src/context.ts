import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IndexNames, QueueNames } from '../../infra/src/names';
import type { StoreContext } from '../../store/src/context';
import type { AccountStore } from './auth/account-store';
import type { AuditTrail } from './privacy/audit-trail';

/** Everything a route needs, built once in main.ts (or by a test). */
export interface ServerContext {
  es: Client;
  redis: Redis;
  ingestQueue: Queue;
  names: IndexNames;
  queues: QueueNames;
  auth: {
    /** Signs login tokens; the same in every API process (DATA_DIR/credentials.json). */
    secret: string;
    /** Login token lifetime, default 12 h. */
    tokenTtlMs: number;
    /** Users and API keys, shared by every API process. */
    accounts: AccountStore;
  };
  /** Append-only audit log, buffered durably in a Redis stream (privacy/audit-trail.ts). */
  audit: AuditTrail;
  /** Directory of the built UI, served at `/` when present. */
  webDist: string | null;
  /** The thresholds of probabilistic matching the indexers use (PANORAMA_MATCH_*), shown to admins; default `matchThresholdDefaults`. */
  matchThresholds?: { review: number; autoMerge: number };
}

/**
 * The store layer's view of the API's context, for identity repairs and
 * reads. Its log is silent, as before the store layer existed: the lines it
 * writes (a merge done, a failed system-audit entry of one) are the
 * indexers' diagnostics.
 */
export function storeContext(ctx: ServerContext): StoreContext {
  return { es: ctx.es, redis: ctx.redis, names: ctx.names, queues: ctx.queues, log: () => {} };
}
