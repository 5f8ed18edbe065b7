/**
 * Estimating a model from the data, as Splink and fastLink do: u from
 * random pairs (nearly all non-matches), held fixed; m and the prior λ by
 * expectation–maximisation over the candidate pairs' comparison vectors.
 *
 * E-step: each candidate's match probability under the current m and λ,
 * combined under the same rules pairs are scored by (`vectorWeight`). M-step:
 * λ = mean probability; m(level) = probability-weighted share of the level.
 * Stops when no parameter moves by more than 1e-6, or after 200 rounds.
 *
 * One departure from plain EM: m of a clear disagreement on first name or
 * birth date is held at its start value (the other levels share the rest).
 * Candidate pairs are full of households, twins and namesakes, which agree
 * on everything a family shares; left free, EM explains them as duplicates
 * that often disagree on the first name or birth date, raises those m, and
 * the rising prior pulls more look-alikes in (seen on generated data: m of a
 * different birth date drifted from 0.001 to 0.26, the prior to 0.95).
 */
import { fieldLevels, matchFields } from './levels';
import { defaultMatchModel, modelVersion, probabilityOf, vectorWeight } from './model';
import type { ComparisonVector, MatchField, MatchModel } from './types';

const maxIterations = 200;
const tolerance = 1e-6;
// Additive smoothing: a level never seen must not weigh infinitely.
const smoothing = 0.5;

/** Levels whose m EM may not move (see above). */
const heldLevels: Partial<Record<MatchField, string>> = {
  firstName: 'different',
  birthDate: 'different',
};

type FieldParams = Record<MatchField, Record<string, { m: number; u: number }>>;

function shares(
  vectors: readonly ComparisonVector[],
  field: MatchField,
  weightOf: (i: number) => number,
): { shares: Record<string, number>; missing: number } {
  const levels = fieldLevels[field].filter((l) => l !== 'missing');
  const counts: Record<string, number> = {};
  for (const l of levels) counts[l] = 0;
  let present = 0;
  let missing = 0;
  vectors.forEach((v, i) => {
    const w = weightOf(i);
    const level = v[field];
    if (level === 'missing' || !(level in counts)) missing += w;
    else {
      counts[level] += w;
      present += w;
    }
  });
  const out: Record<string, number> = {};
  // Smoothing scaled to the weight present, so a handful of pairs is not drowned.
  const alpha = Math.min(smoothing, Math.max(present, 1) * 1e-3);
  for (const l of levels) out[l] = (counts[l] + alpha) / (present + alpha * levels.length);
  return { shares: out, missing: missing / Math.max(present + missing, 1e-12) };
}

/**
 * Estimates m and the prior from candidate pairs, with u from random pairs.
 *
 * @param candidates comparison vectors of the pairs blocking proposes.
 * @param randomPairs comparison vectors of random pairs (thousands at least).
 * @param start where m and λ start (default: `defaultMatchModel`).
 * @param now the estimate's time (default: now).
 */
export function estimateModel(
  candidates: ComparisonVector[],
  randomPairs: ComparisonVector[],
  start: MatchModel = defaultMatchModel,
  now: Date = new Date(),
): MatchModel {
  const fields = {} as FieldParams;
  const random = distinctPatterns(randomPairs);
  for (const field of matchFields) {
    const u =
      random.patterns.length > 0 ? shares(random.patterns, field, (i) => random.counts[i]) : null;
    fields[field] = {};
    for (const level of fieldLevels[field]) {
      const startParams = start.fields[field]?.[level] ?? { m: 1e-3, u: 1e-3 };
      fields[field][level] = {
        m: startParams.m,
        u: u ? (level === 'missing' ? u.missing : u.shares[level]) : startParams.u,
      };
    }
  }
  let model: MatchModel = { ...start, fields, pairsUsed: candidates.length };
  if (candidates.length === 0) return finish(model, now);
  // Candidates repeat a few thousand patterns at most: iterate over those,
  // each weighted by how often it occurs (as fastLink does).
  const { patterns, counts } = distinctPatterns(candidates);
  const posterior = new Float64Array(patterns.length);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let sum = 0;
    for (let i = 0; i < patterns.length; i++) {
      posterior[i] = probabilityOf(vectorWeight(patterns[i], model));
      sum += posterior[i] * counts[i];
    }
    const prior = Math.min(Math.max(sum / candidates.length, 1e-6), 1 - 1e-6);
    let moved = Math.abs(prior - model.prior);
    const next = {} as FieldParams;
    for (const field of matchFields) {
      const m = shares(patterns, field, (i) => posterior[i] * counts[i]);
      const held = heldLevels[field];
      const heldM = held ? (start.fields[field]?.[held]?.m ?? m.shares[held]) : 0;
      // The free levels share what the held one leaves.
      const free = held ? (1 - heldM) / Math.max(1 - m.shares[held], 1e-12) : 1;
      next[field] = {};
      for (const level of fieldLevels[field]) {
        const mValue =
          level === 'missing' ? m.missing : level === held ? heldM : m.shares[level] * free;
        moved = Math.max(moved, Math.abs(mValue - model.fields[field][level].m));
        next[field][level] = { m: mValue, u: model.fields[field][level].u };
      }
    }
    model = { ...model, prior, fields: next };
    if (moved < tolerance) break;
  }
  return finish(model, now);
}

function distinctPatterns(vectors: readonly ComparisonVector[]): {
  patterns: ComparisonVector[];
  counts: number[];
} {
  const index = new Map<string, number>();
  const patterns: ComparisonVector[] = [];
  const counts: number[] = [];
  for (const v of vectors) {
    const key = matchFields.map((f) => v[f]).join('|');
    const at = index.get(key);
    if (at !== undefined) counts[at]++;
    else {
      index.set(key, patterns.length);
      patterns.push(v);
      counts.push(1);
    }
  }
  return { patterns, counts };
}

function finish(model: MatchModel, now: Date): MatchModel {
  return { ...model, version: modelVersion(model), estimatedAt: now.toISOString() };
}
