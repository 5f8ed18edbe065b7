/**
 * The steward's answers as the UI reads them (docs/CONTRACT.md, identity).
 * Type-only: nothing from `domain/` enters the bundle.
 */
import type { IdentityAction, SuspectedDuplicate } from '../../../../../domain/src/api';

export type MatchField =
  | 'firstName'
  | 'lastName'
  | 'birthDate'
  | 'street'
  | 'houseNumber'
  | 'postalCode'
  | 'city'
  | 'email'
  | 'phone';

/** One field of a scored pair: how the two values compare and what that weighs (log2 Bayes factor). */
export interface FieldComparison {
  field: MatchField;
  level: string;
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}

export type PairStatus = 'open' | 'merged' | 'rejected' | 'closed';

/** A suspected duplicate with its score, when the probabilistic matcher proposed it. */
export type ScoredDuplicate = SuspectedDuplicate & {
  score?: number;
  weight?: number;
  status?: PairStatus;
  fields?: FieldComparison[];
  modelVersion?: string;
  createdAt?: string;
  decidedBy?: string | null;
  decidedAt?: string | null;
};

export interface Thresholds {
  review: number;
  autoMerge: number;
}

export interface DuplicatesAnswer {
  items: ScoredDuplicate[];
  total: number;
  next: string | null;
  thresholds?: Thresholds;
}

export type Decision = 'accept' | 'reject';

export interface DecisionResult {
  pairId: string;
  ok: boolean;
  actionId?: string;
  error?: { code: string; message: string };
}

export interface MatchModelView {
  version: string;
  estimatedAt: string;
  pairsUsed: number;
  prior: number;
  fields: Partial<Record<MatchField, Record<string, { m: number; u: number }>>>;
}

export interface MatchingRun {
  id: string;
  state: 'idle' | 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  merged: number;
  proposed: number;
  startedAt: string | null;
  finishedAt: string | null;
  recordsPerSecond: number;
  error?: string | null;
}

export interface MatchingStatus {
  model: MatchModelView;
  thresholds: Thresholds;
  run: MatchingRun | null;
}

/** Why two customers were merged by score, kept on the merge action. */
export interface MatchExplanation {
  pairId: string;
  probability: number;
  weight: number;
  modelVersion: string;
  fields: FieldComparison[];
}

/** An identity action; a merge by score (accepted from the queue or automatic) carries its explanation. */
export type ExplainedAction = IdentityAction & { explanation?: MatchExplanation };
