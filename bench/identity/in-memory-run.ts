/**
 * What the matching model can do when candidate generation is exact: the
 * corrupted-duplicate records of `corrupt.ts`, blocked, compared, the model
 * estimated by EM and every candidate scored, all in memory (no
 * Elasticsearch). Prints and writes pair completeness, block sizes, the
 * estimate, throughput and pairwise precision/recall per threshold to
 * bench/results/identity-model-<date>.json.
 *
 *   npx tsx bench/identity/in-memory-run.ts [--people 100000] [--seed 42] [--random-pairs 200000]
 */
import { parseArgs } from 'node:util';
import { compareRecords, estimateModel, scorePair } from '../../domain/src/matching';
import { round, writeResults } from '../support/results';
import { generateCorrupted, toMatchRecord } from './corrupt';
import {
  candidatePairs,
  pairwiseQuality,
  randomPairVectors,
  termFrequencies,
} from './in-memory-pass';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    'random-pairs': { type: 'string', default: '200000' },
  },
});
const people = Number(values.people);
const seed = Number(values.seed);

const elapsed = (since: number) => Math.round(performance.now() - since);

let started = performance.now();
const records = generateCorrupted({ people, seed });
const generateMs = elapsed(started);
const match = records.map(toMatchRecord);
const truth = records.map((r) => r.personId);
console.log(`${records.length} records for ${people} people (${generateMs} ms)`);

started = performance.now();
const blocking = candidatePairs(match);
const blockingMs = elapsed(started);
const completeness = pairwiseQuality(truth, blocking.pairs);
console.log(
  `blocking: pair completeness ${completeness.recall.toFixed(4)}, ${blocking.pairs.length} candidates ` +
    `(${(blocking.pairs.length / records.length).toFixed(2)} per record), mean block ${blocking.meanBlockSize.toFixed(2)}, ` +
    `largest ${blocking.maxBlockSize} (${blockingMs} ms)`,
);

started = performance.now();
const vectors = blocking.pairs.map(([i, j]) => compareRecords(match[i], match[j]));
const model = estimateModel(
  vectors,
  randomPairVectors(match, Number(values['random-pairs']), seed),
);
const estimateMs = elapsed(started);
console.log(`EM: prior ${model.prior.toFixed(3)}, version ${model.version} (${estimateMs} ms)`);

const tf = termFrequencies(match);
started = performance.now();
const probabilities = blocking.pairs.map(
  ([i, j]) => scorePair(match[i], match[j], model, tf).probability,
);
const scoreMs = Math.max(1, elapsed(started));
const pairsPerSecond = Math.round((blocking.pairs.length / scoreMs) * 1000);
console.log(`scored ${blocking.pairs.length} pairs: ${pairsPerSecond} pairs/s`);

const thresholds = [0.3, 0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.999].map((threshold) => {
  const q = pairwiseQuality(
    truth,
    blocking.pairs.filter((_, k) => probabilities[k] >= threshold),
  );
  console.log(`≥ ${threshold}: precision ${q.precision.toFixed(4)} recall ${q.recall.toFixed(4)}`);
  return {
    threshold,
    precision: round(q.precision, 4),
    recall: round(q.recall, 4),
    pairs: q.predictedPairs,
  };
});

const file = writeResults('identity-model', {
  people,
  seed,
  records: records.length,
  truePairs: completeness.truePairs,
  blocking: {
    pairCompleteness: round(completeness.recall, 4),
    candidates: blocking.pairs.length,
    candidatesPerRecord: round(blocking.pairs.length / records.length, 2),
    meanBlockSize: round(blocking.meanBlockSize, 2),
    maxBlockSize: blocking.maxBlockSize,
  },
  model: { version: model.version, prior: round(model.prior, 4), pairsUsed: model.pairsUsed },
  timingsMs: { generate: generateMs, blocking: blockingMs, estimate: estimateMs, score: scoreMs },
  pairsPerSecond,
  thresholds,
});
console.log(`results: ${file}`);
