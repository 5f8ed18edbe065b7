import { describe, expect, it } from 'vitest';
import {
  compareRecords,
  defaultMatchModel,
  estimateModel,
  fieldLevels,
  scorePair,
} from '../../domain/src/matching';
import { generateCorrupted, toMatchRecord } from '../../bench/identity/corrupt';
import {
  candidatePairs,
  pairwiseQuality,
  randomPairVectors,
  termFrequencies,
} from '../../bench/identity/in-memory-pass';

/** The thresholds recommended for the default and the estimated model. */
const review = 0.5;
const autoMerge = 0.99;

describe('blocking on corrupted duplicates', () => {
  it('puts at least 97 % of true pairs in a shared block, with small blocks', () => {
    const records = generateCorrupted({ people: 2000, seed: 11 });
    const match = records.map(toMatchRecord);
    const { pairs, meanBlockSize, maxBlockSize } = candidatePairs(match);
    const truth = records.map((r) => r.personId);
    const found = pairwiseQuality(truth, pairs);
    console.log(
      `blocking, 2,000 people / ${records.length} records: pair completeness ${found.recall.toFixed(4)} ` +
        `(${found.correct}/${found.truePairs}), ${pairs.length} candidate pairs ` +
        `(${(pairs.length / records.length).toFixed(2)} per record), mean block size ${meanBlockSize.toFixed(2)}, ` +
        `largest ${maxBlockSize}`,
    );
    expect(found.recall).toBeGreaterThanOrEqual(0.97);
    expect(meanBlockSize).toBeLessThan(5);
  });
});

describe('estimation and scoring, in memory over 5,000 people', () => {
  const records = generateCorrupted({ people: 5000, seed: 23 });
  const match = records.map(toMatchRecord);
  const truth = records.map((r) => r.personId);
  const { pairs } = candidatePairs(match);
  const tf = termFrequencies(match);
  const candidates = pairs.map(([i, j]) => compareRecords(match[i], match[j]));
  const random = randomPairVectors(match, 50_000, 5);

  it('EM converges to a model with ≥ 0.95 recall at ≥ 0.99 precision, ≥ 0.999 above the merge threshold', () => {
    const started = performance.now();
    const model = estimateModel(
      candidates,
      random,
      defaultMatchModel,
      new Date('2026-12-07T00:00:00Z'),
    );
    const ms = performance.now() - started;
    const trueShare = pairs.filter(([i, j]) => truth[i] === truth[j]).length / pairs.length;
    expect(model.pairsUsed).toBe(pairs.length);
    expect(model.estimatedAt).toBe('2026-12-07T00:00:00.000Z');
    expect(model.version).toMatch(/^[0-9a-f]{8}$/);
    // The prior it finds is the true share of matches among the candidates.
    expect(Math.abs(model.prior - trueShare)).toBeLessThan(0.05);
    for (const [field, levels] of Object.entries(fieldLevels)) {
      const params = model.fields[field as keyof typeof fieldLevels];
      const sum = (k: 'm' | 'u') =>
        levels.filter((l) => l !== 'missing').reduce((s, l) => s + params[l][k], 0);
      expect(sum('m')).toBeCloseTo(1, 6);
      expect(sum('u')).toBeCloseTo(1, 6);
    }
    // Same data, same model: the version is a hash of the parameters.
    expect(estimateModel(candidates, random, defaultMatchModel).version).toBe(model.version);

    const figures: string[] = [];
    for (const [name, m] of [
      ['default', defaultMatchModel],
      ['estimated', model],
    ] as const) {
      const scored = pairs.map(([i, j]) => ({
        i,
        j,
        p: scorePair(match[i], match[j], m, tf).probability,
      }));
      for (const threshold of [review, autoMerge]) {
        const q = pairwiseQuality(
          truth,
          scored.filter((s) => s.p >= threshold).map((s) => [s.i, s.j] as const),
        );
        figures.push(
          `${name} ≥ ${threshold}: precision ${q.precision.toFixed(4)} recall ${q.recall.toFixed(4)}`,
        );
        if (name === 'estimated' && threshold === review) {
          expect(q.recall).toBeGreaterThanOrEqual(0.95);
          expect(q.precision).toBeGreaterThanOrEqual(0.99);
        }
        if (threshold === autoMerge) expect(q.precision, name).toBeGreaterThanOrEqual(0.999);
      }
    }
    console.log(
      `in memory, 5,000 people / ${records.length} records, ${pairs.length} candidates; EM ${Math.round(ms)} ms, ` +
        `prior ${model.prior.toFixed(3)} (true ${trueShare.toFixed(3)})\n  ${figures.join('\n  ')}`,
    );
  });

  it('keeps the look-alikes the generator makes below the review threshold', () => {
    const originals = new Map(
      records.filter((r) => r.kind === 'original').map((r) => [r.personId, r]),
    );
    let lookAlikePairs = 0;
    let proposed = 0;
    for (const [i, j] of pairs) {
      if (truth[i] === truth[j]) continue;
      const a = originals.get(truth[i]);
      const b = originals.get(truth[j]);
      // Only originals against originals: the look-alike itself, not a corrupted copy of it.
      if (!a || !b || records[i].kind !== 'original' || records[j].kind !== 'original') continue;
      if (a.tags.length === 0 && b.tags.length === 0) continue;
      lookAlikePairs++;
      if (scorePair(match[i], match[j], defaultMatchModel, tf).probability >= review) proposed++;
    }
    console.log(
      `look-alike originals (households, twins, father/son, namesakes): ${proposed} of ${lookAlikePairs} proposed`,
    );
    expect(lookAlikePairs).toBeGreaterThan(100);
    expect(proposed).toBe(0);
  });
});
