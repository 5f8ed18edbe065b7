/**
 * Probabilistic (Fellegi–Sunter) matching of profiles that share no
 * identifier: match records, blocking keys, comparison levels, scoring with
 * term-frequency adjustment, and EM estimation of the model. Pure.
 */
export type {
  ComparisonVector,
  FieldComparison,
  MatchField,
  MatchModel,
  MatchRecord,
  PairScore,
  TermFrequencies,
} from './types';
export { foldName, matchRecordFrom, matchRecordOf, splitStreet } from './record';
export type { MatchRecordInput } from './record';
export { blockingKeys } from './blocking';
export { compareRecords, fieldLevels, matchFields } from './levels';
export {
  defaultMatchModel,
  personDiffersCeiling,
  reviewOnlyCeiling,
  weakEvidenceCeiling,
  modelVersion,
  scorePair,
} from './model';
export { estimateModel } from './estimate';
export {
  canonicalFirstName,
  firstNameVariants,
  isNameVariant,
  nicknamePairCount,
} from './nicknames';
export { jaroWinkler } from './comparators';
export { koelnerPhonetik } from './phonetic';
