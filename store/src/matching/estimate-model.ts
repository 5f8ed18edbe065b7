/**
 * Estimates the matching model from the profiles themselves, as Splink does:
 * the u probabilities (how often a level occurs between two different
 * people) from random pairs, the m probabilities and the prior by EM over
 * candidate pairs found by blocking (domain/src/matching `estimateModel`).
 * Term frequencies of the folded names and cities are counted beside. The
 * result is stored as a new version (match-model-store.ts).
 */
import { compareRecords, estimateModel, type ComparisonVector } from '../../../domain/src/matching';
import type { CustomerDocument } from '../../../domain/src/profile';
import type { IndexContext } from '../context';
import { findCandidates, matchSourceFields, subjectOf, type MatchSubject } from './candidates';
import {
  loadMatchModel,
  saveMatchModel,
  termFrequencies,
  type StoredMatchModel,
} from './match-model-store';

export interface EstimateOptions {
  /** Customers sampled for candidate pairs, and twice as many for random pairs. Default 2,000. */
  sample?: number;
  /** Candidates per sampled customer. Default 10. */
  perCustomer?: number;
  /** Fewer profiles than this: nothing is estimated (too few pairs to learn from). Default 1,000. */
  minProfiles?: number;
  now?: Date;
}

/** Profiles below which the default model keeps scoring. */
export const defaultMinProfiles = 1_000;
/** Fewest candidate pairs for EM, and random pairs for u. */
const minCandidatePairs = 500;
/**
 * The highest share of matches among candidate pairs an estimate may claim:
 * each sampled customer brings up to 10 candidates, of which a real
 * customer base holds one or two duplicates at most.
 */
const maxPlausiblePrior = 0.5;

/** Whether the profile count moved far enough from the one the model was estimated on (a fifth) to estimate again. */
export function needsEstimate(
  stored: StoredMatchModel,
  profiles: number,
  minProfiles: number,
): boolean {
  if (profiles < minProfiles) return false;
  if (!stored.estimated) return true;
  return Math.abs(profiles - stored.profileCount) > 0.2 * Math.max(1, stored.profileCount);
}

async function randomSubjects(
  ctx: IndexContext,
  size: number,
  seed: number,
): Promise<MatchSubject[]> {
  const page = await ctx.es.search<CustomerDocument>({
    index: ctx.names.customers,
    size,
    track_total_hits: false,
    _source: matchSourceFields,
    query: {
      function_score: {
        query: { match_all: {} },
        functions: [{ random_score: { seed, field: '_seq_no' } }],
        boost_mode: 'replace',
      },
    },
  });
  return page.hits.hits.flatMap((h) => (h._source ? [subjectOf(h._source)] : []));
}

/**
 * Estimates a new model and stores it as the current one; answers it, or
 * null when there are too few profiles (the stored or default model stays).
 * Without enough candidate pairs, or when EM's answer is not plausible, only
 * the u probabilities are estimated (`pairsUsed` 0).
 */
export async function estimateAndStoreModel(
  ctx: IndexContext,
  options: EstimateOptions = {},
): Promise<StoredMatchModel | null> {
  const sample = options.sample ?? 2_000;
  const minProfiles = options.minProfiles ?? defaultMinProfiles;
  await ctx.es.indices.refresh({ index: ctx.names.customers });
  const { count } = await ctx.es.count({ index: ctx.names.customers });
  if (count < Math.max(2, minProfiles)) return null;
  const now = options.now ?? new Date();
  const seed = now.getTime() % 2_147_483_647;

  const sampled = await randomSubjects(ctx, Math.min(sample, count), seed);
  const candidates = await findCandidates(ctx, sampled, options.perCustomer ?? 10);
  const seen = new Set<string>();
  const candidateVectors: ComparisonVector[] = [];
  for (const subject of sampled) {
    for (const other of candidates.get(subject.id) ?? []) {
      const pairId =
        subject.id < other.id ? `${subject.id}|${other.id}` : `${other.id}|${subject.id}`;
      if (seen.has(pairId)) continue;
      seen.add(pairId);
      candidateVectors.push(compareRecords(subject.record, other.record));
    }
  }
  // Random pairs: two independent random samples side by side, so nearly all are two different people.
  const left = await randomSubjects(ctx, Math.min(2 * sample, count), seed + 1);
  const right = await randomSubjects(ctx, Math.min(2 * sample, count), seed + 2);
  const randomVectors: ComparisonVector[] = [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i].id !== right[i].id)
      randomVectors.push(compareRecords(left[i].record, right[i].record));
  }
  if (randomVectors.length < minCandidatePairs) return null;

  const current = await loadMatchModel(ctx);
  let model = estimateModel(
    candidateVectors.length >= minCandidatePairs ? candidateVectors : [],
    randomVectors,
    current.model,
    now,
  );
  // EM over few or nearly pure pairs can run off to "every candidate is a match" (seen after most duplicates were
  // merged: the candidates left are nearly all different people). Then only u is taken from the data (random
  // pairs, which need no matches), m and the prior stay those of the model in use.
  if (!(model.prior > 0 && model.prior <= maxPlausiblePrior))
    model = estimateModel([], randomVectors, current.model, now);
  const stored: StoredMatchModel = {
    model,
    termFrequencies: await termFrequencies(ctx),
    profileCount: count,
    estimated: true,
  };
  await saveMatchModel(ctx, stored);
  return stored;
}
