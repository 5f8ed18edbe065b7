/**
 * The steward's queue answers until the pair store's API types land in
 * domain/src/api.ts (then these go and domain-types.ts re-exports them).
 */
import type { ComparedField, SuspectedDuplicate } from '../../../lib/domain-types';

export type PairStatus = 'open' | 'merged' | 'rejected' | 'closed';

/** A suspected duplicate with its score, when the probabilistic matcher proposed it. */
export type ScoredDuplicate = SuspectedDuplicate & {
  score?: number;
  weight?: number;
  status?: PairStatus;
  fields?: ComparedField[];
  modelVersion?: string;
  createdAt?: string;
  decidedBy?: string | null;
  decidedAt?: string | null;
};

export interface DuplicatesAnswer {
  items: ScoredDuplicate[];
  total: number;
  next: string | null;
  thresholds?: { review: number; autoMerge: number };
}

export type Decision = 'accept' | 'reject';

export interface DecisionResult {
  pairId: string;
  ok: boolean;
  actionId?: string;
  error?: { code: string; message: string };
}
