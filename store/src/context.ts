/**
 * The store layer: what the API, the indexers and the migrations all do to
 * the stored data (identity links and marks, admin repairs, the dirty set,
 * the touchpoint store, folding touchpoints into profiles, rollups). It sits
 * between infra/ (clients, names) and the processes; it never imports
 * server/, indexers/ or web/.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { LogLevel } from '../../infra/src/log';
import type { IndexNames, QueueNames } from '../../infra/src/names';
import type { IdentityRules } from './identity/identity-rules';

/** The stores and the names in them. Passed, never global, so tests can run several side by side. */
export interface StoreContext {
  es: Client;
  redis: Redis;
  names: IndexNames;
  queues: QueueNames;
  /**
   * A line for the process's log, at `level` (default `info`): `debug` for what happens on every merge or
   * batch, `warn` for a failure that is retried or loses nothing, `error` for one that needs a look.
   * Fields never carry personal data (indexers/src/job-failure.ts).
   */
  log: (message: string, fields?: Record<string, unknown>, level?: LogLevel) => void;
  /** Identity rules (the indexer's PANORAMA_IDENTITY_RULES); default: `config/identity-rules.json`. */
  identityRules?: IdentityRules;
}

/**
 * The indices alone, without Redis: what a mapping migration has (it writes
 * no Redis state). Functions that touch only the indices take it, so the
 * migration can call them.
 */
export type IndexContext = Pick<StoreContext, 'es' | 'names' | 'identityRules'>;
