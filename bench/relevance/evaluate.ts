/** Scores a search function on the judged set: top-1 accuracy and MRR@10 per query kind. */
import type { Client } from '@elastic/elasticsearch';
import { scan } from '../../infra/src/scan';
import { median, round } from '../support/results';
import { exactKinds, queryKinds, type JudgedQuery, type QueryKind } from './judged-set';

/** Answers the ids of the best 10 customers for a query, best first. */
export type SearchFn = (q: string) => Promise<string[]>;

export interface KindScore {
  queries: number;
  top1: number;
  mrr10: number;
  medianMs: number;
}

export interface Evaluation {
  overall: KindScore;
  exactIdentifiers: KindScore;
  byKind: Partial<Record<QueryKind, KindScore>>;
  /** The queries that did not have the right person first (at most 40), for reading. */
  misses: { kind: QueryKind; q: string; rank: number | null }[];
}

export async function evaluate(
  judged: JudgedQuery[],
  search: SearchFn,
  personOf: (customerId: string) => string | undefined,
): Promise<Evaluation> {
  const rows: { kind: QueryKind; q: string; rank: number | null; ms: number }[] = [];
  for (const query of judged) {
    const started = performance.now();
    const ids = await search(query.q);
    const ms = performance.now() - started;
    const index = ids.slice(0, 10).findIndex((id) => personOf(id) === query.personId);
    rows.push({ kind: query.kind, q: query.q, rank: index >= 0 ? index + 1 : null, ms });
  }
  const score = (subset: typeof rows): KindScore => ({
    queries: subset.length,
    top1: round(subset.filter((r) => r.rank === 1).length / Math.max(subset.length, 1)),
    mrr10: round(
      subset.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / Math.max(subset.length, 1),
    ),
    medianMs: round(median(subset.map((r) => r.ms)), 1),
  });
  const byKind: Evaluation['byKind'] = {};
  for (const kind of queryKinds) {
    const subset = rows.filter((r) => r.kind === kind);
    if (subset.length > 0) byKind[kind] = score(subset);
  }
  return {
    overall: score(rows),
    exactIdentifiers: score(rows.filter((r) => exactKinds.includes(r.kind))),
    byKind,
    misses: rows
      .filter((r) => r.rank !== 1)
      .slice(0, 40)
      .map(({ kind, q, rank }) => ({ kind, q, rank })),
  };
}

/**
 * Which person each customer is, from the touchpoints index: the person most
 * of its touchpoints belong to (`truth` maps `source:id` to the person).
 * Also counts persons split over several customers and customers mixing persons.
 */
export async function customerToPerson(
  es: Client,
  touchpointsIndex: string,
  truth: Map<string, string>,
) {
  const votes = new Map<string, Map<string, number>>();
  for await (const hits of scan<{ key: string; customerId: string }>(es, {
    index: touchpointsIndex,
    size: 5000,
    _source: ['key', 'customerId'],
    sort: [{ key: 'asc' }],
    query: { match_all: {} },
  })) {
    for (const hit of hits) {
      const tp = hit._source;
      if (!tp) continue;
      const person = truth.get(tp.key);
      if (!person) continue;
      const personVotes = votes.get(tp.customerId) ?? new Map<string, number>();
      personVotes.set(person, (personVotes.get(person) ?? 0) + 1);
      votes.set(tp.customerId, personVotes);
    }
  }
  const map = new Map<string, string>();
  let mixed = 0;
  const customersPerPerson = new Map<string, number>();
  for (const [customerId, personVotes] of votes) {
    const ranked = [...personVotes.entries()].sort((a, b) => b[1] - a[1]);
    map.set(customerId, ranked[0][0]);
    if (ranked.length > 1) mixed++;
    customersPerPerson.set(ranked[0][0], (customersPerPerson.get(ranked[0][0]) ?? 0) + 1);
  }
  const split = [...customersPerPerson.values()].filter((n) => n > 1).length;
  return { map, customers: votes.size, persons: customersPerPerson.size, split, mixed };
}

export function printEvaluation(title: string, e: Evaluation): void {
  console.log(`\n${title}`);
  console.log('kind                      queries  top-1   MRR@10  median ms');
  const line = (
    name: string,
    s: { queries: number; top1: number; mrr10: number; medianMs: number },
  ) =>
    console.log(
      `${name.padEnd(26)}${String(s.queries).padStart(7)}  ${s.top1.toFixed(3)}  ${s.mrr10.toFixed(3)}  ${s.medianMs.toFixed(1).padStart(8)}`,
    );
  for (const [kind, s] of Object.entries(e.byKind)) line(kind, s);
  line('EXACT IDENTIFIERS', e.exactIdentifiers);
  line('OVERALL', e.overall);
  if (e.misses.length > 0)
    console.log(
      `misses: ${e.misses
        .slice(0, 15)
        .map((m) => `[${m.kind}] ${m.q} → ${m.rank ?? '-'}`)
        .join(' | ')}`,
    );
}
