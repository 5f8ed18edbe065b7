/**
 * Answers of the API routes beyond the profile and search (see profile.ts),
 * shared by server and web.
 */
import type { FacetBucket } from './profile';
import type { StoredTouchpoint } from './contract';
import type { MatchModel } from './matching';

export const roles = ['ingest', 'agent', 'manager', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface LoginAnswer {
  token: string;
  role: Role;
  expiresAt: string;
}

export interface MeAnswer {
  name: string;
  role: Role;
}

export interface TimelineAnswer {
  items: StoredTouchpoint[];
  next: string | null;
}

export interface IngestAnswer {
  accepted: number;
  rejected: { index: number; errors: { path: string; message: string }[] }[];
}

export interface IngestStatus {
  waiting: number;
  active: number;
  failed: number;
  lastIndexedAt: string | null;
  /** Touchpoints set aside because Elasticsearch can never store them (listed at `GET /api/v1/ingest/dead-letters`, admin). */
  deadLetters: number;
  /** Of `waiting` and `active`: rebuilt customers still to match against the others (probabilistic matching). */
  matching?: { waiting: number; active: number };
}

/** One touchpoint that can never be stored: no personal data, only where it came from and why (infra/src/dead-letters.ts). */
export interface DeadLetterView {
  source: string;
  id: string;
  type: string;
  reason: 'invalid_touchpoint' | 'id_too_long' | 'invalid_version' | 'rejected_by_elasticsearch';
  detail: string;
  occurredAt: string | null;
  at: string;
}

export interface DashboardAnswer {
  generatedAt: string;
  totals: { customers: number; touchpoints: number; openTickets: number; complaints12m: number };
  customersBySegment: FacetBucket[];
  /** One row per day (last 30 days), one count per channel. */
  touchpointsPerChannelPerDay: { date: string; counts: Record<string, number> }[];
  openTicketsByPriority: FacetBucket[];
}

/** One side of a suspected duplicate pair, listed for an admin to decide (never merged automatically). */
export interface DuplicateSide {
  id: string;
  name: string;
  birthDate: string | null;
  city: string | null;
  street: string | null;
  email: string | null;
  phone: string | null;
  sources: string[];
}

/** Where a pair of the steward's queue stands (the pair store, store/src/matching/match-pairs.ts). */
export type DuplicateStatus = 'open' | 'merged' | 'rejected' | 'closed';

/** Two profiles that may be one person, proposed by probabilistic matching, for a steward to decide. */
export interface SuspectedDuplicate {
  /** `<a>|<b>`, the sorted ids. */
  pairId: string;
  a: DuplicateSide;
  b: DuplicateSide;
  /** The fields that weigh for the match, e.g. `lastName: exact`, strongest first. */
  reasons: string[];
  /** The match probability, 0..1. */
  score?: number;
  /** Total log2 Bayes factor, prior included. */
  weight?: number;
  status?: DuplicateStatus;
  /** The comparison field by field: level, weight and both values. */
  fields?: ComparedField[];
  modelVersion?: string;
  /** When the pair first came up. */
  createdAt?: string;
  /** `auto` (merged by the engine) or the steward; null while open. */
  decidedBy?: string | null;
  decidedAt?: string | null;
}

/** `GET /api/v1/identity/duplicates`: one page of the steward's queue. */
export interface DuplicatesPage {
  items: SuspectedDuplicate[];
  /** Every pair the filter matches, exactly. */
  total: number;
  /** The `after` of the next page; null on the last. */
  next: string | null;
  /** The probabilities above which a pair is proposed for review and merged automatically. */
  thresholds?: { review: number; autoMerge: number };
}

/** `POST /api/v1/identity/duplicates/decisions`: what became of each decision, in the order asked. */
export interface DuplicateDecisionResult {
  pairId: string;
  ok: boolean;
  /** The identity action carrying out the decision (undo: `POST /api/v1/identity/actions/{id}/undo`). */
  actionId?: string;
  error?: { code: string; message: string };
}

/** One decided pair as a label for measuring the model: ids, the decision, the score and each field's level, no names or contacts. */
export interface DuplicateLabel {
  pairId: string;
  a: string;
  b: string;
  label: 'match' | 'non-match';
  decidedBy: string | null;
  decidedAt: string | null;
  score: number;
  weight: number;
  modelVersion: string;
  /** Field → level of agreement, e.g. `{ lastName: 'exact', birthDate: 'transposed' }`. */
  levels: Record<string, string>;
}

export interface DataQualityAnswer {
  generatedAt: string;
  profiles: number;
  validEmailShare: number;
  validPhoneShare: number;
  validAddressShare: number;
  /** Share of profiles with at least one granted consent. */
  consentCoverage: number;
  /** Pairs open in the steward's queue, exactly. */
  openSuspectedDuplicates: number;
  /** Per UTC day of the last 30 (oldest first): pairs that came up, were merged (accepted or automatically), were rejected. */
  duplicatesTrend?: { day: string; opened: number; merged: number; rejected: number }[];
  profilesPerSource: FacetBucket[];
  /** Sources that sent invalid values, most affected profiles first. */
  worstSources: { source: string; profilesWithInvalidValues: number; share: number }[];
  invalidValues: FacetBucket[];
}

/** The contract's error body. */
export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** Segment migration between two snapshot days: by saved segments or by the CRM segment. */
export type MigrationDimension = 'segment' | 'segments';

export interface MigrationAnswer {
  from: string;
  to: string;
  dimension: MigrationDimension;
  /** Every label seen on either day, ordered by size. */
  labels: string[];
  flows: { from: string; to: string; count: number }[];
  customers: number;
  moved: number;
  tookMs: number;
}

export interface TrendsAnswer {
  days: {
    date: string;
    customers: number;
    arpu: number | null;
    cancellations12m: number;
    segments: Record<string, number>;
  }[];
}

/** A person's account as an admin sees it (never the password or its hash). */
export interface UserView {
  username: string;
  role: Role;
}

export interface ApiKeyView {
  name: string;
  role: Role;
  /** The last 4 characters, to tell keys apart. */
  hint: string;
}

export type IdentityActionKind = 'merge' | 'not-same' | 'split' | 'detach';

/** An admin's identity decision, recorded so it can be undone. */
export interface IdentityAction {
  id: string;
  action: IdentityActionKind;
  /** The customer acted on (merge: the survivor; split/detach: the one split). */
  customerId: string;
  /** The other customer (merge: the one merged in; split/detach: the new one). */
  otherId: string;
  /** Record keys moved (split/detach) or belonging to the merged customer (merge). */
  touchpoints: string[];
  identifier: string | null;
  /**
   * "Not the same person" marks (`a|b`) the action lifted (merge: every mark
   * between the two, also through ids merged into them) or added (split,
   * detach: the new customer inherits the marks of the one it was split
   * from). Undo restores or removes them. Absent on other actions.
   */
  marks?: string[];
  /**
   * Why two customers were merged by score: the pair's comparison as
   * probabilistic matching computed it (a merge accepted from the steward's
   * queue, or one the engine made with `by: 'matching'`). Absent on other
   * actions. An erasure keeps the levels and weights, never the values.
   */
  explanation?: MatchExplanation;
  by: string;
  createdAt: string;
  undoneAt: string | null;
}

/** One field of a pair compared: the level of agreement, its weight (log2 Bayes factor, 0 when missing) and the two values. */
export interface ComparedField {
  field: string;
  level: string;
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}

/** The explanation of a match score, field by field. */
export interface MatchExplanation {
  /** `<a>|<b>`, the pair in the pair store. */
  pairId: string;
  /** 0..1 */
  probability: number;
  /** Total log2 Bayes factor, prior included. */
  weight: number;
  modelVersion: string;
  fields: ComparedField[];
}

/** A full pass of probabilistic matching over every customer (`GET /api/v1/identity/matching`). */
export interface MatchRunView {
  id: string;
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Customers matched so far in this pass (those created during it too, so it may pass `total`). */
  processed: number;
  /** Customers when the pass started. */
  total: number;
  /** Pairs merged automatically in this pass. */
  merged: number;
  /** Pairs proposed for review in this pass. */
  proposed: number;
  startedAt: string;
  finishedAt: string | null;
  /** Customers matched per second, from the start to the end (or now). */
  recordsPerSecond: number;
}

/** `GET /api/v1/identity/matching`: the model scoring now, the thresholds, the last full pass. */
export interface MatchingStatus {
  model: {
    version: string;
    estimatedAt: string;
    pairsUsed: number;
    prior: number;
    fields: MatchModel['fields'];
    /** False while the hand-set default model scores (too few profiles to estimate one yet). */
    estimated: boolean;
    /** Profiles when it was estimated. */
    profileCount: number;
  };
  thresholds: { review: number; autoMerge: number };
  run: MatchRunView | null;
}

/** `POST /api/v1/admin/profiles/rebuild` (202): every live customer marked dirty, for the running indexers to rebuild. */
export interface ProfileRebuildAnswer {
  /** Customers marked. */
  marked: number;
  /** Customers in the dirty set right after marking (live ingest included). */
  pending: number;
}

/** `GET /api/v1/admin/profiles/rebuild`: how many profiles are still to rebuild (the whole dirty set, live ingest included). */
export interface ProfileRebuildStatus {
  pending: number;
}
