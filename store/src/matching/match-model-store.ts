/**
 * The stored matching model: document `current` in the match-models index is
 * the model every indexer scores with, `model:<version>` each version ever
 * estimated (mappings/match-models.json). Until one is estimated, the
 * hand-set `defaultMatchModel` of domain/src/matching scores, without term
 * frequencies.
 */
import {
  defaultMatchModel,
  type MatchModel,
  type TermFrequencies,
} from '../../../domain/src/matching';
import type { IndexContext } from '../context';

/** A model as the indexers use it: with the term frequencies and profile count it was estimated on. */
export interface StoredMatchModel {
  model: MatchModel;
  termFrequencies: TermFrequencies | undefined;
  /** Profiles when it was estimated; 0 for the default model. */
  profileCount: number;
  /** False for the default model (nothing estimated yet). */
  estimated: boolean;
}

interface MatchModelDoc {
  kind: 'current' | 'version';
  version: string;
  estimatedAt: string;
  profileCount: number;
  pairsUsed: number;
  model: MatchModel;
  termFrequencies: TermFrequencies | null;
}

const currentId = 'current';

export const defaultStoredModel: StoredMatchModel = {
  model: defaultMatchModel,
  termFrequencies: undefined,
  profileCount: 0,
  estimated: false,
};

/** The current model, or the default one when none was estimated yet. */
export async function loadMatchModel(ctx: IndexContext): Promise<StoredMatchModel> {
  const found = await ctx.es.get<MatchModelDoc>(
    { index: ctx.names.matchModels, id: currentId },
    { ignore: [404] },
  );
  const doc = found.found ? found._source : undefined;
  if (!doc) return defaultStoredModel;
  return {
    model: doc.model,
    termFrequencies: doc.termFrequencies ?? undefined,
    profileCount: doc.profileCount,
    estimated: true,
  };
}

/** Stores a newly estimated model as a version and makes it the current one. */
export async function saveMatchModel(ctx: IndexContext, stored: StoredMatchModel): Promise<void> {
  const doc = (kind: MatchModelDoc['kind']): MatchModelDoc => ({
    kind,
    version: stored.model.version,
    estimatedAt: stored.model.estimatedAt,
    profileCount: stored.profileCount,
    pairsUsed: stored.model.pairsUsed,
    model: stored.model,
    termFrequencies: stored.termFrequencies ?? null,
  });
  await ctx.es.bulk({
    refresh: 'wait_for',
    operations: [
      { index: { _index: ctx.names.matchModels, _id: `model:${stored.model.version}` } },
      doc('version'),
      { index: { _index: ctx.names.matchModels, _id: currentId } },
      doc('current'),
    ],
  });
}

/** Most distinct values counted per name field: rarer ones weigh as rare (the model's default for an unknown value). */
const topTerms = 10_000;

/**
 * How often each folded first name, last name and city occurs among the
 * profiles (terms aggregations over `quality.matchNames`, the most frequent
 * {@link topTerms} of each): two "müller" agree less than two "zwierzchowski".
 */
export async function termFrequencies(ctx: IndexContext): Promise<TermFrequencies> {
  const answer = await ctx.es.search({
    index: ctx.names.customers,
    size: 0,
    track_total_hits: true,
    aggs: {
      first: { terms: { field: 'quality.matchNames.first', size: topTerms } },
      last: { terms: { field: 'quality.matchNames.last', size: topTerms } },
      city: { terms: { field: 'quality.matchNames.city', size: topTerms } },
    },
  });
  const counts = (name: string): Record<string, number> => {
    const agg = answer.aggregations?.[name] as
      { buckets: { key: string; doc_count: number }[] } | undefined;
    return Object.fromEntries((agg?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  };
  const total = answer.hits.total;
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    firstName: counts('first'),
    lastName: counts('last'),
    city: counts('city'),
  };
}
