/**
 * Names of the indices (aliases) and queues. A prefix separates deployments
 * sharing one cluster and lets each integration test file use its own.
 */
export interface IndexNames {
  customers: string;
  touchpoints: string;
  identities: string;
  /** Saved segments (mappings/segments.json). */
  segments: string;
  /** Entries into and exits from saved segments (mappings/segment-events.json). */
  segmentEvents: string;
  /** The probabilistic matching model, current and past versions (mappings/match-models.json). */
  matchModels: string;
  /** Append-only audit log (mappings/audit.json). */
  audit: string;
  /** Hashed identifiers of erased customers (mappings/suppressions.json). */
  suppressions: string;
  /** People's accounts and API keys, shared by every API process (mappings/accounts.json). */
  accounts: string;
  /** Touchpoint counts per hour and day and dashboard dimension, no personal data (mappings/touchpoint-rollups.json). */
  touchpointRollups: string;
  /** Pairs of customers proposed by probabilistic matching and the steward's decisions on them (mappings/match-pairs.json). */
  matchPairs: string;
}

export function indexNames(prefix: string): IndexNames {
  return {
    customers: `${prefix}-customers`,
    touchpoints: `${prefix}-touchpoints`,
    identities: `${prefix}-identities`,
    segments: `${prefix}-segments`,
    segmentEvents: `${prefix}-segment-events`,
    matchModels: `${prefix}-match-models`,
    audit: `${prefix}-audit`,
    suppressions: `${prefix}-suppressions`,
    accounts: `${prefix}-accounts`,
    touchpointRollups: `${prefix}-touchpoint-rollups`,
    matchPairs: `${prefix}-match-pairs`,
  };
}

export interface QueueNames {
  /** BullMQ queue of accepted touchpoint batches. */
  ingest: string;
  /** Redis sorted set of customers whose profile must be rebuilt (see store/src/dirty-set.ts). */
  dirty: string;
  /** Redis sorted set of customers to match after their profile was rebuilt (same leases as `dirty`; store/src/matching/). */
  matchDirty: string;
  /** Redis sorted set of the customers a full matching pass has fed and not yet matched (store/src/matching/match-run.ts). */
  matchPass: string;
  /** Redis hash of the full matching pass: state, cursor, progress (store/src/matching/match-run.ts). */
  matchRun: string;
  /** Redis key holding the time the last profile was written. */
  lastIndexedAt: string;
  /** Redis sorted set of touchpoints that can never be stored, without personal data (infra/src/dead-letters.ts). */
  deadLetters: string;
}

export function queueNames(prefix: string): QueueNames {
  return {
    ingest: `${prefix}-ingest`,
    dirty: `${prefix}:dirty-customers`,
    matchDirty: `${prefix}:match-dirty`,
    matchPass: `${prefix}:match-pass`,
    matchRun: `${prefix}:match-run`,
    lastIndexedAt: `${prefix}:last-indexed-at`,
    deadLetters: `${prefix}:dead-letters`,
  };
}
