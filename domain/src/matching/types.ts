/**
 * The shapes of probabilistic (Fellegi–Sunter) matching: the record two
 * profiles are compared as, the level each field agrees at, the model's m/u
 * probabilities and the explained score of a pair.
 */

/**
 * A profile reduced to what identifies a person, every value folded
 * (`foldName`) or normalized, so comparisons never see case, accents or
 * punctuation.
 */
export interface MatchRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  /** Street name without the number, folded, street types spelled out (`hauptstrasse`). */
  street: string | null;
  /** Lower-case without spaces (`12a`, `12-14`). */
  houseNumber: string | null;
  /** Upper-case without spaces (`80331`, `SW1A1AA`). */
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  emails: string[];
  /** E.164. */
  phones: string[];
  customerNumbers: string[];
  /** `source:id`. */
  externalIds: string[];
  sources: string[];
}

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

/** How one field of a pair agrees, and what that weighs. */
export interface FieldComparison {
  field: MatchField;
  /** e.g. 'exact', 'nickname', 'close', 'phonetic', 'transposed', 'initial', 'swapped', 'different', 'missing'. */
  level: string;
  /** log2 Bayes factor m/u; 0 when missing. */
  weight: number;
  a: string | null;
  b: string | null;
  /** e.g. 'Jaro-Winkler 0.94', 'frequent name: 1.2 % of profiles'. */
  note?: string;
}

export interface PairScore {
  /** Total log2 odds, prior included. */
  weight: number;
  /** 0..1. */
  probability: number;
  fields: FieldComparison[];
  /**
   * Set when a strong identifier contradicts the pair (different customer
   * numbers, different external ids of the same source): such a pair is never
   * merged automatically, whatever its probability.
   */
  conflict: string | null;
}

/** Field → level. */
export type ComparisonVector = Record<MatchField, string>;

/** Counts of folded values among profiles, for term-frequency adjustment. */
export interface TermFrequencies {
  total: number;
  firstName: Record<string, number>;
  lastName: Record<string, number>;
  city?: Record<string, number>;
}

/**
 * The m and u probabilities per field and level. JSON-serialisable.
 *
 * m: probability of the level among true matches; u: among non-matches
 * (random pairs). Per field, the non-missing levels sum to 1 in m and in u;
 * `missing` holds the observed share of pairs with a value missing and never
 * weighs.
 */
export interface MatchModel {
  /** Short hash of the parameters. */
  version: string;
  estimatedAt: string;
  /** Prior probability that a candidate pair is a match. */
  prior: number;
  /** Candidate pairs the estimate used (0 for the hand-set default). */
  pairsUsed: number;
  fields: Record<MatchField, Record<string, { m: number; u: number }>>;
}
