/**
 * Candidate generation for probabilistic matching, by Elasticsearch itself:
 * for each customer one query, a `bool.should` of `term`s on its blocking
 * keys (`quality.matchKeys`, computed by the fold from domain/src/matching),
 * so customers sharing more and rarer keys come first (idf; with
 * `dfs_query_then_fetch` the frequencies are the index's, not one shard's),
 * the best `perCustomer` of them. Many customers go in one `msearch`.
 */
import type { estypes } from '@elastic/elasticsearch';
import { matchRecordOf, type MatchRecord } from '../../../domain/src/matching';
import type { CustomerDocument } from '../../../domain/src/profile';
import type { IndexContext } from '../context';

/** What a match record is made of (matchRecordOf) plus the keys to find candidates by. */
export const matchSourceFields = [
  'id',
  'firstName',
  'lastName',
  'birthDate',
  'address',
  'emails',
  'phones',
  'customerNumbers',
  'externalIds',
  'sources',
  'quality.matchKeys',
];

/** A customer as matching sees it: its record and its blocking keys. */
export interface MatchSubject {
  id: string;
  record: MatchRecord;
  keys: string[];
  sources: string[];
  city: string | null;
}

export function subjectOf(doc: CustomerDocument): MatchSubject {
  const record = matchRecordOf(doc);
  return {
    id: doc.id,
    record,
    keys: doc.quality?.matchKeys ?? [],
    sources: doc.sources ?? [],
    city: doc.address?.city ?? null,
  };
}

/** The profiles of these customers as match subjects (real-time get: a profile just written is seen). Missing ones are left out. */
export async function readSubjects(
  ctx: IndexContext,
  ids: readonly string[],
): Promise<Map<string, MatchSubject>> {
  const subjects = new Map<string, MatchSubject>();
  if (ids.length === 0) return subjects;
  const answer = await ctx.es.mget<CustomerDocument>({
    index: ctx.names.customers,
    ids: [...ids],
    _source_includes: matchSourceFields,
  });
  for (const d of answer.docs) {
    if ('found' in d && d.found && d._source) subjects.set(d._id, subjectOf(d._source));
  }
  return subjects;
}

/** Candidates per customer, by default. */
export const defaultPerCustomer = 20;

/**
 * The candidates of each subject: other customers sharing at least one
 * blocking key, best first, at most `perCustomer` each. A subject without
 * keys has none.
 */
export async function findCandidates(
  ctx: IndexContext,
  subjects: readonly MatchSubject[],
  perCustomer = defaultPerCustomer,
): Promise<Map<string, MatchSubject[]>> {
  const found = new Map<string, MatchSubject[]>();
  const asked = subjects.filter((s) => s.keys.length > 0);
  for (const s of subjects) found.set(s.id, []);
  if (asked.length === 0) return found;
  const searches: estypes.MsearchRequestItem[] = asked.flatMap((s) => [
    { index: ctx.names.customers, search_type: 'dfs_query_then_fetch' as const },
    {
      size: perCustomer,
      track_total_hits: false,
      _source: matchSourceFields,
      query: {
        bool: {
          should: s.keys.map((key) => ({ term: { 'quality.matchKeys': key } })),
          minimum_should_match: 1,
          must_not: [{ ids: { values: [s.id] } }],
        },
      },
    },
  ]);
  const answer = await ctx.es.msearch<CustomerDocument>({ searches });
  answer.responses.forEach((response, i) => {
    if ('error' in response)
      throw new Error(
        `candidate search failed: ${response.error.type}: ${response.error.reason ?? ''}`,
      );
    found.set(
      asked[i].id,
      response.hits.hits.flatMap((h) => (h._source ? [subjectOf(h._source)] : [])),
    );
  });
  return found;
}
