import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { IndexNames, QueueNames } from '../../infra/src/names';
import type { Suppression } from '../../infra/src/suppression';
import type { IdentityRules } from './identity/identity-rules';

/** What every processor needs: the stores and the names in them. Passed, never global, so tests can run several side by side. */
export interface IndexerContext {
  es: Client;
  redis: Redis;
  names: IndexNames;
  queues: QueueNames;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Identity rules; default: `config/identity-rules.json` (or `PANORAMA_IDENTITY_RULES`). */
  identityRules?: IdentityRules;
  /** The suppression list's pepper (the API's); absent or null: erased identifiers are not checked. */
  suppression?: Suppression | null;
}
