import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Role } from '../../domain/src/api';
import type { IndexNames, QueueNames } from '../../infra/src/names';
import type { AuditTrail } from './privacy/audit-trail';

export interface UserAccount {
  username: string;
  role: Role;
  passwordHash: string;
  /** Tokens issued before this time (ms) are refused: set when an admin changes the password (issue 6). */
  tokensValidAfter?: number;
}

/** Everything a route needs, built once in main.ts (or by a test). */
export interface ServerContext {
  es: Client;
  redis: Redis;
  ingestQueue: Queue;
  names: IndexNames;
  queues: QueueNames;
  auth: {
    secret: string;
    users: UserAccount[];
    /** `name` marks keys an admin manages (saved in credentials.json); keys from PANORAMA_API_KEYS have none. */
    apiKeys: { role: Role; key: string; name?: string }[];
    /** Login token lifetime, default 12 h. */
    tokenTtlMs: number;
    /** Where credentials.json lives, so admin changes to users and keys persist (issue 6); null: in memory only. */
    dataDir?: string | null;
  };
  /** Append-only audit log, buffered (privacy/audit-trail.ts). */
  audit: AuditTrail;
  /** Directory of the built UI, served at `/` when present. */
  webDist: string | null;
}
