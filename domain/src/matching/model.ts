/**
 * Scoring a pair with a Fellegi–Sunter model: per field, the log2 Bayes
 * factor m/u of the level the field agrees at, summed with the prior odds.
 *
 * Corrections to plain independence, because the fields of an address and
 * of a family are not independent:
 * - the address counts once: a city next to an agreeing postal code adds
 *   nothing (the code implies it); a street name counts only in the same
 *   place (every other town has a Hauptstraße); a house number only with the
 *   same street;
 * - ceilings on the total, applied by scaling the agreeing fields down (the
 *   explanation says why): a clearly different first name or birth date caps
 *   a pair at about 6 % (households, twins, father and son agree on all a
 *   family shares; under independence that would outweigh any disagreement);
 *   too little kind of evidence (no first name or birth date agrees, or only
 *   one of name, birth date, address and contact) caps it at about 33 %
 *   (namesakes, a household member without name or date); a first name or
 *   birth date missing on one side caps it at about 97 %, so such a pair is
 *   proposed but never merged automatically.
 */
import { fieldLevels, matchFields, type LevelDetail } from './levels';
import { compareFields } from './levels';
import type {
  ComparisonVector,
  FieldComparison,
  MatchField,
  MatchModel,
  MatchRecord,
  PairScore,
  TermFrequencies,
} from './types';

const addressAgrees = (level: string) =>
  level === 'exact' || level === 'close' || level === 'phonetic';

/**
 * The highest log2 weight (≈ 6 %) a pair may reach when its first names or
 * birth dates clearly differ: below any sensible review threshold, whatever
 * the prior.
 */
export const personDiffersCeiling = -4;

/**
 * The highest log2 weight (≈ 33 %) of a pair with too little kind of
 * evidence: no first name or birth date agrees, or only one of name, birth
 * date, address and contact does. Households (surname and address, first
 * name and birth date missing) and namesakes (the name alone) look like that.
 */
export const weakEvidenceCeiling = -1;

/**
 * The highest log2 weight (≈ 97 %) of a pair a steward should see before it
 * is merged: proposed for review, never above an automatic-merge threshold.
 * It applies when the first name or birth date is missing on one side or the
 * birth date agrees only in part (the record could be any member of the
 * family: a father and son of one name at one address, twins); when neither
 * first name nor birth date agrees exactly (two fuzzy agreements also pair a
 * household's Luisa and Lucia born ten years apart); and when the pair lives
 * in different places without a shared email or phone (a move, or a
 * namesake).
 */
export const reviewOnlyCeiling = 5;

const firstNameAgrees = new Set(['exact', 'nickname', 'close', 'phonetic', 'swapped']);
// 'partial' (two of year, month and day) is not enough to tell a person: it
// spares a pair the "birth dates differ" ceiling but is no evidence of its own.
const birthDateAgrees = new Set(['exact', 'swapped', 'transposed', 'typo']);
const postalAgrees = new Set(['exact', 'transposed', 'typo']);

/** Why a pair's weight is capped, and at what; null when it is not. */
function ceilingOf(vector: ComparisonVector): { ceiling: number; why: string } | null {
  if (vector.firstName === 'different')
    return { ceiling: personDiffersCeiling, why: 'first names differ, could be family' };
  if (vector.birthDate === 'different')
    return { ceiling: personDiffersCeiling, why: 'birth dates differ, could be family' };
  const name = firstNameAgrees.has(vector.firstName) && vector.lastName !== 'different';
  const birth = birthDateAgrees.has(vector.birthDate);
  const address = postalAgrees.has(vector.postalCode) || addressAgrees(vector.street);
  const contact =
    vector.email === 'exact' ||
    vector.email === 'local' ||
    vector.phone === 'exact' ||
    vector.phone === 'last7';
  if (!name && !birth)
    return { ceiling: weakEvidenceCeiling, why: 'neither first name nor birth date agrees' };
  if (Number(name) + Number(birth) + Number(address) + Number(contact) < 2)
    return { ceiling: weakEvidenceCeiling, why: 'only one kind of evidence agrees' };
  if (vector.firstName === 'missing' || vector.firstName === 'initial')
    return { ceiling: reviewOnlyCeiling, why: 'no first name on one side, could be family' };
  if (vector.birthDate === 'missing')
    return { ceiling: reviewOnlyCeiling, why: 'no birth date on one side, could be family' };
  if (vector.birthDate === 'partial')
    return { ceiling: reviewOnlyCeiling, why: 'birth dates agree only in part, could be family' };
  const exactPerson =
    vector.firstName === 'exact' || vector.firstName === 'swapped' || vector.birthDate === 'exact';
  if (!exactPerson)
    return { ceiling: reviewOnlyCeiling, why: 'neither first name nor birth date agrees exactly' };
  const samePlace =
    postalAgrees.has(vector.postalCode) || vector.city === 'exact' || vector.city === 'close';
  const otherPlace = vector.postalCode === 'different' || vector.city === 'different';
  if (otherPlace && !samePlace && !contact)
    return { ceiling: reviewOnlyCeiling, why: 'another place and no shared email or phone' };
  return null;
}

/** Below this many profiles term frequencies are too noisy to use. */
const minTermFrequencyTotal = 1000;

type Levels = Record<string, { m: number; u: number }>;

// Hand-set from what record-linkage studies report for person data (Splink's
// and fastLink's examples, FEBRL-style corruption rates) until the data allows
// an estimate. u: chance among random pairs; m: among true duplicates.
// prettier-ignore
const defaultFields: Record<MatchField, Levels> = {
  firstName: { exact: { m: 0.84, u: 0.004 }, nickname: { m: 0.04, u: 0.0008 }, close: { m: 0.07, u: 0.003 },
    phonetic: { m: 0.02, u: 0.004 }, initial: { m: 0.01, u: 0.012 }, swapped: { m: 0.012, u: 0.00002 },
    different: { m: 0.008, u: 0.97618 }, missing: { m: 0.02, u: 0.02 } },
  lastName: { exact: { m: 0.86, u: 0.002 }, close: { m: 0.08, u: 0.002 }, phonetic: { m: 0.02, u: 0.003 },
    swapped: { m: 0.012, u: 0.00002 }, different: { m: 0.028, u: 0.99298 }, missing: { m: 0.01, u: 0.01 } },
  birthDate: { exact: { m: 0.83, u: 0.00005 }, swapped: { m: 0.02, u: 0.00004 }, transposed: { m: 0.04, u: 0.0002 },
    typo: { m: 0.075, u: 0.002 }, partial: { m: 0.03, u: 0.02 }, different: { m: 0.005, u: 0.97771 }, missing: { m: 0.1, u: 0.1 } },
  street: { exact: { m: 0.8, u: 0.002 }, close: { m: 0.07, u: 0.001 }, phonetic: { m: 0.02, u: 0.002 },
    different: { m: 0.11, u: 0.995 }, missing: { m: 0.05, u: 0.05 } },
  houseNumber: { exact: { m: 0.82, u: 0.03 }, close: { m: 0.03, u: 0.01 }, transposed: { m: 0.03, u: 0.003 },
    typo: { m: 0.03, u: 0.03 }, different: { m: 0.09, u: 0.927 }, missing: { m: 0.05, u: 0.05 } },
  postalCode: { exact: { m: 0.84, u: 0.002 }, transposed: { m: 0.03, u: 0.0005 }, typo: { m: 0.04, u: 0.01 },
    different: { m: 0.09, u: 0.9875 }, missing: { m: 0.03, u: 0.03 } },
  city: { exact: { m: 0.85, u: 0.02 }, close: { m: 0.06, u: 0.002 }, different: { m: 0.09, u: 0.978 },
    missing: { m: 0.05, u: 0.05 } },
  email: { exact: { m: 0.6, u: 0.00001 }, local: { m: 0.05, u: 0.0001 }, different: { m: 0.35, u: 0.99989 },
    missing: { m: 0.5, u: 0.5 } },
  phone: { exact: { m: 0.65, u: 0.00001 }, last7: { m: 0.03, u: 0.0001 }, different: { m: 0.32, u: 0.99989 },
    missing: { m: 0.5, u: 0.5 } },
};

/**
 * A short, stable hash (FNV-1a, 32 bit, hex) of a model's parameters, so a
 * stored pair says which model scored it.
 */
export function modelVersion(model: Pick<MatchModel, 'prior' | 'fields'>): string {
  const round = (x: number) => Number(x.toPrecision(6));
  const parts: string[] = [String(round(model.prior))];
  for (const field of matchFields)
    for (const level of fieldLevels[field]) {
      const p = model.fields[field]?.[level];
      parts.push(`${field}.${level}:${p ? `${round(p.m)}/${round(p.u)}` : '-'}`);
    }
  let h = 0x811c9dc5;
  const text = parts.join('|');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The hand-set model used until the data allows an estimate. */
export const defaultMatchModel: MatchModel = {
  version: `default-${modelVersion({ prior: 0.01, fields: defaultFields })}`,
  estimatedAt: '1970-01-01T00:00:00.000Z',
  prior: 0.01,
  pairsUsed: 0,
  fields: defaultFields,
};

const log2 = Math.log2;
const minProbability = 1e-9;

// Models are treated as immutable values (estimateModel returns new ones):
// their weights are computed once per model object.
const weightTables = new WeakMap<MatchModel, Record<MatchField, Record<string, number>>>();

function weightTable(model: MatchModel): Record<MatchField, Record<string, number>> {
  let table = weightTables.get(model);
  if (!table) {
    table = {} as Record<MatchField, Record<string, number>>;
    for (const field of matchFields) {
      table[field] = {};
      for (const [level, p] of Object.entries(model.fields[field] ?? {}))
        table[field][level] =
          level === 'missing'
            ? 0
            : log2(Math.max(p.m, minProbability) / Math.max(p.u, minProbability));
    }
    weightTables.set(model, table);
  }
  return table;
}

/** log2(m/u) of a level; 0 for missing and for levels the model does not know. */
export function levelWeight(model: MatchModel, field: MatchField, level: string): number {
  return weightTable(model)[field][level] ?? 0;
}

/**
 * The weight of each field after the address and family corrections, and a
 * note where a correction applied. Shared by scoring and estimation, so EM
 * learns under the same rules pairs are scored by.
 */
export function combineWeights(
  vector: ComparisonVector,
  raw: Record<MatchField, number>,
  prior: number,
): {
  weights: Record<MatchField, number>;
  notes: Partial<Record<MatchField, string>>;
  /** The total may not exceed this (even when the prior alone would). */
  ceiling: number | null;
} {
  const weights = { ...raw };
  const notes: Partial<Record<MatchField, string>> = {};
  if (vector.postalCode === 'exact' && vector.city !== 'missing' && weights.city !== 0) {
    weights.city = 0;
    notes.city = 'implied by the postal code';
  }
  // Every other town has a Hauptstraße: a street name counts only in the same place.
  const samePlace =
    postalAgrees.has(vector.postalCode) || vector.city === 'exact' || vector.city === 'close';
  if (addressAgrees(vector.street) && !samePlace && weights.street > 0) {
    weights.street = 0;
    notes.street = 'same street name in another place';
  }
  if (
    (!addressAgrees(vector.street) || !samePlace) &&
    vector.houseNumber !== 'missing' &&
    weights.houseNumber !== 0
  ) {
    weights.houseNumber = 0;
    notes.houseNumber = 'counts only with the same street';
  }
  const cap = ceilingOf(vector);
  if (cap) {
    let positive = 0;
    let total = priorWeight(prior);
    for (const field of matchFields) {
      total += weights[field];
      if (weights[field] > 0) positive += weights[field];
    }
    if (total > cap.ceiling && positive > 0) {
      const scale = Math.max(0, 1 - (total - cap.ceiling) / positive);
      for (const field of matchFields)
        if (weights[field] > 0) {
          weights[field] *= scale;
          notes[field] = `scaled down: ${cap.why}`;
        }
    }
  }
  return { weights, notes, ceiling: cap?.ceiling ?? null };
}

/** Total log2 weight of a comparison vector (prior included), as EM's E-step needs it. */
export function vectorWeight(vector: ComparisonVector, model: MatchModel): number {
  const raw = {} as Record<MatchField, number>;
  for (const field of matchFields) raw[field] = levelWeight(model, field, vector[field]);
  const { weights, ceiling } = combineWeights(vector, raw, model.prior);
  let total = priorWeight(model.prior);
  for (const field of matchFields) total += weights[field];
  return ceiling === null ? total : Math.min(total, ceiling);
}

export function priorWeight(prior: number): number {
  const p = Math.min(Math.max(prior, minProbability), 1 - minProbability);
  return log2(p / (1 - p));
}

export function probabilityOf(weight: number): number {
  const odds = 2 ** weight;
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
}

function termFrequencyU(
  tf: TermFrequencies | undefined,
  field: 'firstName' | 'lastName' | 'city',
  value: string | null,
  averageU: number,
): { u: number; note: string } | null {
  if (!tf || !value || tf.total < minTermFrequencyTotal) return null;
  const counts = tf[field];
  if (!counts) return null;
  const count = counts[value] ?? 0;
  // A rare value may weigh more than the average, but not without bound: a
  // value seen once or twice is as likely a family's as a person's.
  const u = Math.max(count / tf.total, averageU / 20);
  const share = (100 * count) / tf.total;
  const note =
    u > averageU
      ? `frequent name: ${share.toFixed(2)} % of profiles`
      : `rare name: ${count} of ${tf.total} profiles`;
  return { u, note };
}

function conflictOf(a: MatchRecord, b: MatchRecord): string | null {
  const numbers = a.customerNumbers.length > 0 && b.customerNumbers.length > 0;
  const ids = a.externalIds.length > 0 && b.externalIds.length > 0;
  if (!numbers && !ids) return null;
  if (a.customerNumbers.length > 0 && b.customerNumbers.length > 0) {
    if (!a.customerNumbers.some((n) => b.customerNumbers.includes(n)))
      return `different customer numbers (${a.customerNumbers[0]} / ${b.customerNumbers[0]})`;
  }
  const bySource = (ids: string[]) => {
    const m = new Map<string, string[]>();
    for (const id of ids) {
      const colon = id.indexOf(':');
      const source = colon < 0 ? '' : id.slice(0, colon);
      m.set(source, [...(m.get(source) ?? []), id]);
    }
    return m;
  };
  const ea = bySource(a.externalIds);
  const eb = bySource(b.externalIds);
  for (const [source, ids] of ea) {
    const other = eb.get(source);
    if (other && !ids.some((id) => other.includes(id)))
      return `different ids in ${source} (${ids[0]} / ${other[0]})`;
  }
  return null;
}

/**
 * The explained score of a pair: per field the level, weight and values,
 * the total log2 weight with the prior, the probability and a conflict when
 * a strong identifier contradicts.
 *
 * @param tf counts of folded first names, last names (and cities) among
 *   profiles: an exact agreement on a frequent value then weighs less than
 *   the model's average, on a rare one more.
 */
export function scorePair(
  a: MatchRecord,
  b: MatchRecord,
  model: MatchModel,
  tf?: TermFrequencies,
): PairScore {
  const details = compareFields(a, b);
  const vector = {} as ComparisonVector;
  const raw = {} as Record<MatchField, number>;
  const tfNotes: Partial<Record<MatchField, string>> = {};
  for (const field of matchFields) {
    const level = details[field].level;
    vector[field] = level;
    raw[field] = levelWeight(model, field, level);
    if (level === 'exact' && (field === 'firstName' || field === 'lastName' || field === 'city')) {
      const p = model.fields[field]?.exact;
      const adjusted = p ? termFrequencyU(tf, field, details[field].a, p.u) : null;
      if (p && adjusted) {
        raw[field] = log2(Math.max(p.m, minProbability) / adjusted.u);
        tfNotes[field] = adjusted.note;
      }
    }
  }
  const { weights, notes, ceiling } = combineWeights(vector, raw, model.prior);
  let total = priorWeight(model.prior);
  const fields: FieldComparison[] = matchFields.map((field) => {
    const d: LevelDetail = details[field];
    total += weights[field];
    const note = [d.note, tfNotes[field], notes[field]].filter(Boolean).join('; ');
    return {
      field,
      level: d.level,
      weight: Math.round(weights[field] * 100) / 100,
      a: d.a,
      b: d.b,
      ...(note ? { note } : {}),
    };
  });
  // When the prior alone exceeds the ceiling, scaling the fields to 0 is not enough.
  if (ceiling !== null) total = Math.min(total, ceiling);
  return {
    weight: Math.round(total * 100) / 100,
    probability: probabilityOf(total),
    fields,
    conflict: conflictOf(a, b),
  };
}
