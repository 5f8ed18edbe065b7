/**
 * Read side of identity review: suspected duplicates (computed by query from
 * the profiles' `quality.duplicateKeys`, never merged automatically) and the
 * data-quality figures.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { DataQualityAnswer, SuspectedDuplicate, DuplicateSide } from '../../../domain/src/api';
import type { CustomerDocument } from '../../../domain/src/profile';
import { markedPairs } from '../../../store/src/identity/not-same-marks';
import { resolveRedirects } from '../../../store/src/identity/identity-links';
import { storeContext, type ServerContext } from '../context';

const sideFields = [
  'id',
  'name',
  'birthDate',
  'address',
  'emails',
  'phones',
  'sources',
  'customerNumbers',
];

function side(doc: Partial<CustomerDocument>): DuplicateSide {
  return {
    id: doc.id ?? '',
    name: doc.name ?? '',
    birthDate: doc.birthDate ?? null,
    city: doc.address?.city ?? null,
    street: doc.address?.street ?? null,
    email: doc.emails?.[0]?.value ?? null,
    phone: doc.phones?.[0]?.value ?? null,
    sources: doc.sources ?? [],
  };
}

/** Pairs of profiles sharing a duplicate key, without pairs marked "not the same" (also through ids merged into either). */
export async function suspectedDuplicates(
  ctx: ServerContext,
  size = 50,
): Promise<SuspectedDuplicate[]> {
  const answer = await ctx.es.search({
    index: ctx.names.customers,
    size: 0,
    aggs: {
      keys: {
        terms: { field: 'quality.duplicateKeys', min_doc_count: 2, size: 500 },
        aggs: { people: { top_hits: { size: 5, _source: sideFields, sort: [{ id: 'asc' }] } } },
      },
    },
  });
  const buckets = (
    answer.aggregations?.keys as estypes.AggregationsStringTermsAggregate | undefined
  )?.buckets;
  const pairs = new Map<string, SuspectedDuplicate>();
  for (const bucket of Array.isArray(buckets) ? buckets : []) {
    const key = String(bucket.key);
    const hits = (bucket.people as estypes.AggregationsTopHitsAggregate).hits.hits.map((h) =>
      side(h._source as Partial<CustomerDocument>),
    );
    for (let i = 0; i < hits.length; i++) {
      for (let j = i + 1; j < hits.length; j++) {
        const [a, b] = [hits[i], hits[j]].sort((x, y) => (x.id < y.id ? -1 : 1));
        const id = `${a.id}|${b.id}`;
        const reason = key.startsWith('nb:') ? 'same name and birth date' : 'same name and address';
        const held = pairs.get(id);
        if (held) {
          if (!held.reasons.includes(reason)) held.reasons.push(reason);
        } else pairs.set(id, { pairId: id, a, b, reasons: [reason] });
      }
    }
  }
  const ids = [...new Set([...pairs.values()].flatMap((p) => [p.a.id, p.b.id]))];
  // A profile merged a moment ago stays in the index until its rebuild: leave its pairs out now.
  const survivors = await resolveRedirects(storeContext(ctx), ids);
  const merged = (id: string) => (survivors.get(id) ?? id) !== id;
  const candidates = [...pairs.values()].filter((p) => !merged(p.a.id) && !merged(p.b.id));
  const rejected = await markedPairs(
    storeContext(ctx),
    candidates.map((p) => [p.a.id, p.b.id] as const),
  );
  return candidates.filter((p) => !rejected.has(p.pairId)).slice(0, size);
}

export async function dataQuality(ctx: ServerContext): Promise<DataQualityAnswer> {
  const share = (n: number, total: number) =>
    total === 0 ? 0 : Math.round((n / total) * 1000) / 1000;
  const answer = await ctx.es.search({
    index: ctx.names.customers,
    size: 0,
    track_total_hits: true,
    aggs: {
      emailValid: { filter: { term: { 'quality.emailValid': true } } },
      phoneValid: { filter: { term: { 'quality.phoneValid': true } } },
      addressValid: { filter: { term: { 'quality.addressValid': true } } },
      consent: { filter: { exists: { field: 'consentGranted' } } },
      bySource: { terms: { field: 'sources', size: 50 } },
      worstSources: { terms: { field: 'quality.invalidSources', size: 10 } },
      invalidKinds: { terms: { field: 'quality.invalid', size: 10 } },
    },
  });
  const total =
    typeof answer.hits.total === 'number' ? answer.hits.total : (answer.hits.total?.value ?? 0);
  const aggs = answer.aggregations as Record<
    string,
    { doc_count?: number; buckets?: { key: string; doc_count: number }[] }
  >;
  const count = (name: string) => aggs[name]?.doc_count ?? 0;
  const buckets = (name: string) =>
    (aggs[name]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  const bySource = buckets('bySource');
  const duplicates = await suspectedDuplicates(ctx, 1_000);
  return {
    generatedAt: new Date().toISOString(),
    profiles: total,
    validEmailShare: share(count('emailValid'), total),
    validPhoneShare: share(count('phoneValid'), total),
    validAddressShare: share(count('addressValid'), total),
    consentCoverage: share(count('consent'), total),
    openSuspectedDuplicates: duplicates.length,
    profilesPerSource: bySource,
    worstSources: buckets('worstSources').map((b) => ({
      source: b.value,
      profilesWithInvalidValues: b.count,
      share: share(b.count, bySource.find((s) => s.value === b.value)?.count ?? 0),
    })),
    invalidValues: buckets('invalidKinds'),
  };
}
