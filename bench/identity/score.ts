/**
 * Pairwise scoring of an identity assignment against the truth, in linear
 * time: pairs are counted per (person, customer) cell instead of enumerated.
 *
 * - true pairs: two records of one person; predicted pairs: two records in
 *   one customer; correct pairs: both at once.
 * - Per difficulty kind: only pairs with at least one record of a person of
 *   that kind (so a wrong merge of a household member with anyone counts).
 */
export interface Assignment {
  person: string;
  customer: string;
  kinds: readonly string[];
}

export interface PairScore {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  persons: number;
  records: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

export function scorePairs(assignments: readonly Assignment[], kind?: string): PairScore {
  const has = (a: Assignment) => kind === undefined || a.kinds.includes(kind);
  // For each group: all records, and the records of persons without the kind; pairs touching the kind = C(all) − C(without).
  const count = (keyOf: (a: Assignment) => string) => {
    const groups = new Map<string, { all: number; without: number }>();
    for (const a of assignments) {
      const g = groups.get(keyOf(a)) ?? { all: 0, without: 0 };
      g.all += 1;
      if (!has(a)) g.without += 1;
      groups.set(keyOf(a), g);
    }
    let total = 0;
    for (const g of groups.values()) total += pairs(g.all) - pairs(g.without);
    return total;
  };
  const truePairs = count((a) => a.person);
  const predictedPairs = count((a) => a.customer);
  const correctPairs = count((a) => `${a.person}\u0000${a.customer}`);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const mine = assignments.filter(has);
  return {
    precision: Math.round(precision * 1e5) / 1e5,
    recall: Math.round(recall * 1e5) / 1e5,
    f1: Math.round(f1 * 1e5) / 1e5,
    truePairs,
    predictedPairs,
    correctPairs,
    persons: new Set(mine.map((a) => a.person)).size,
    records: mine.length,
  };
}
