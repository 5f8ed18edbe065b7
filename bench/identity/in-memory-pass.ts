/**
 * The matching pipeline without Elasticsearch: block → compare → score over
 * records held in memory. A baseline for the probabilistic benchmark (what
 * the model can do when candidate generation is exact) and the harness of
 * the model's unit tests.
 */
import {
  blockingKeys,
  compareRecords,
  type ComparisonVector,
  type MatchRecord,
  type TermFrequencies,
} from '../../domain/src/matching';
import { SeededRandom } from '../../scripts/demo/seeded-random';

/** Index pairs `[i, j]` (i < j) of records sharing at least one blocking key, and the block figures. */
export function candidatePairs(records: readonly MatchRecord[]): {
  pairs: [number, number][];
  blocks: number;
  meanBlockSize: number;
  maxBlockSize: number;
} {
  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of blockingKeys(r)) {
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
  });
  const n = records.length;
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  let members = 0;
  let maxBlockSize = 0;
  for (const block of blocks.values()) {
    members += block.length;
    maxBlockSize = Math.max(maxBlockSize, block.length);
    for (let x = 0; x < block.length; x++)
      for (let y = x + 1; y < block.length; y++) {
        const i = Math.min(block[x], block[y]);
        const j = Math.max(block[x], block[y]);
        if (i === j || seen.has(i * n + j)) continue;
        seen.add(i * n + j);
        pairs.push([i, j]);
      }
  }
  return {
    pairs,
    blocks: blocks.size,
    meanBlockSize: members / Math.max(blocks.size, 1),
    maxBlockSize,
  };
}

/** Counts of folded first and last names, as the engine keeps them over profiles. */
export function termFrequencies(records: readonly MatchRecord[]): TermFrequencies {
  const tf: TermFrequencies = { total: records.length, firstName: {}, lastName: {} };
  for (const r of records) {
    if (r.firstName) tf.firstName[r.firstName] = (tf.firstName[r.firstName] ?? 0) + 1;
    if (r.lastName) tf.lastName[r.lastName] = (tf.lastName[r.lastName] ?? 0) + 1;
  }
  return tf;
}

/** Comparison vectors of `count` seeded random pairs: the u side of estimation. */
export function randomPairVectors(
  records: readonly MatchRecord[],
  count: number,
  seed: number,
): ComparisonVector[] {
  const rng = new SeededRandom(seed);
  const out: ComparisonVector[] = [];
  while (out.length < count) {
    const i = rng.int(0, records.length - 1);
    const j = rng.int(0, records.length - 1);
    if (i !== j) out.push(compareRecords(records[i], records[j]));
  }
  return out;
}

/** Pairwise precision and recall of the pairs predicted as matches against the truth. */
export function pairwiseQuality(
  truth: readonly string[],
  predicted: readonly (readonly [number, number])[],
): {
  precision: number;
  recall: number;
  truePairs: number;
  predictedPairs: number;
  correct: number;
} {
  const sizes = new Map<string, number>();
  for (const person of truth) sizes.set(person, (sizes.get(person) ?? 0) + 1);
  let truePairs = 0;
  for (const n of sizes.values()) truePairs += (n * (n - 1)) / 2;
  const correct = predicted.filter(([i, j]) => truth[i] === truth[j]).length;
  return {
    precision: predicted.length === 0 ? 1 : correct / predicted.length,
    recall: truePairs === 0 ? 1 : correct / truePairs,
    truePairs,
    predictedPairs: predicted.length,
    correct,
  };
}
