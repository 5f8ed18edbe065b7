/**
 * bench:identity-matching — does probabilistic matching find the duplicates
 * that share no identifier, without merging different people?
 *
 * Generates people with corrupted duplicates (bench/identity/corrupt.ts:
 * typos, OCR errors, missing fields, swapped names, transposed digits, moves;
 * households, fathers and sons, twins and namesakes as look-alikes), each
 * record from another source with its own external id (an email or phone
 * may survive the corruption: deterministic linking then joins them, as it
 * would in production). Ingests them through the real API and indexers
 * (matching after every rebuild, as in production), runs a full pass through
 * the API, and scores pairwise precision, recall and F1 of
 *
 * - the merges (records in one customer), and
 * - merges plus proposals (records in one customer, or in two customers the
 *   steward's queue proposes as one; pairs, not their transitive closure),
 *
 * with the full pass's records/s. Figures go to
 * bench/results/identity-matching-<date>.json.
 *
 *   npm run bench:identity-matching -- [--people 10000] [--seed 42] [--indexers 1] [--no-incremental | --no-matching] [--keep]
 *   npm run bench:identity-matching -- --profiles-only 1000000
 *
 * `--no-incremental` ingests with matching off, so the full pass does all
 * the work; `--no-matching` is the baseline: deterministic linking alone, no
 * pass (bench/results/identity-matching-baseline-<date>.json). `--profiles-only N` skips ingestion: N generated records are
 * folded into profiles (domain/src/fold, as the indexer would) and
 * bulk-written straight into the customers index, then one full pass is
 * timed (its automatic merges find no records to move and are skipped:
 * candidates, scoring and proposals are what it measures).
 *
 * Uses ELASTICSEARCH_URL / REDIS_URL (default: the dev services on 9250/6350)
 * under its own index prefix, removed at the end unless --keep.
 */
import { parseArgs } from 'node:util';
import type { IdentityAction, MatchingStatus } from '../../domain/src/api';
import type { StoredTouchpoint, Touchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../domain/src/identity-keys';
import type { CustomerDocument } from '../../domain/src/profile';
import { scan } from '../../infra/src/scan';
import { resolveRedirects } from '../../store/src/identity/identity-links';
import type { StoredPair } from '../../store/src/matching/match-pairs';
import { startBenchPanorama, type BenchPanorama } from '../support/bench-panorama';
import { bulkWriteProfiles } from '../support/folded-profiles';
import { round, writeResults } from '../support/results';
import { generateCorrupted, type CorruptedRecord } from './corrupt';
import { scorePairs, type Assignment } from './score';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    indexers: { type: 'string', default: '1' },
    'no-incremental': { type: 'boolean', default: false },
    'no-matching': { type: 'boolean', default: false },
    'profiles-only': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const indexers = Number(values.indexers);
const profilesOnly = values['profiles-only'] ? Number(values['profiles-only']) : null;
const noMatching = values['no-matching'];
const incremental = !values['no-incremental'] && !noMatching && profilesOnly === null;
const occurredAt = '2026-10-01T10:00:00.000Z';

/** The original from the CRM, duplicate n from the n-th other source: no two records of one person share a source. */
const sources = ['crm', 'shop', 'store', 'app', 'paper'];

function touchpointOf(r: CorruptedRecord): Touchpoint {
  const n = Number(r.recordId.slice(r.recordId.lastIndexOf('-') + 1));
  const street = r.street;
  return {
    source: sources[n % sources.length],
    id: r.recordId,
    type: 'profile',
    occurredAt,
    customer: {
      externalId: r.recordId,
      email: r.email,
      phone: r.phone,
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      address:
        street || r.postalCode || r.city
          ? { street, postalCode: r.postalCode, city: r.city, country: r.country }
          : null,
    },
    data: {},
  } as Touchpoint;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

async function waitForPass(p: BenchPanorama): Promise<MatchingStatus> {
  let reported = Date.now();
  for (;;) {
    const status = (await p.get('/api/v1/identity/matching')).body as MatchingStatus;
    const run = status.run;
    if (run && run.state !== 'running') return status;
    if (run && Date.now() - reported > 30_000) {
      reported = Date.now();
      console.log(
        `  pass: ${run.processed}/${run.total} matched, ${run.merged} merged, ${run.proposed} proposed, ${run.recordsPerSecond}/s`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runPass(p: BenchPanorama): Promise<MatchingStatus> {
  const started = await p.post('/api/v1/identity/matching/runs', {});
  if (started.status !== 202)
    throw new Error(
      `starting the pass answered ${started.status}: ${JSON.stringify(started.body)}`,
    );
  const status = await waitForPass(p);
  if (status.run?.state !== 'done') throw new Error(`the pass ended ${status.run?.state}`);
  return status;
}

async function profilesOnlyRun(count: number): Promise<void> {
  const p = await startBenchPanorama({ indexers });
  try {
    const ctx = p.indexers[0].ctx;
    console.log(`Generating and folding ${count} profiles (prefix ${p.prefix}) …`);
    const started = Date.now();
    const records = generateCorrupted({ people: Math.ceil(count / 1.4), seed }).slice(0, count);
    const indexedAt = new Date().toISOString();
    function* profiles(): Generator<CustomerDocument> {
      for (const r of records) {
        const tp = touchpointOf(r);
        const doc = fold(r.recordId, [
          {
            ...tp,
            key: `${tp.source}:${tp.id}`,
            customerId: r.recordId,
            identityKeys: identityKeys(tp),
            channel: touchpointChannel(tp),
            direction: touchpointDirection(tp),
            indexedAt,
          } as StoredTouchpoint,
        ]);
        if (doc) yield doc;
      }
    }
    const written = await bulkWriteProfiles(ctx.es, ctx.names.customers, profiles(), {
      onProgress: (n) => {
        if (n % 100_000 === 0) console.log(`  ${n} written after ${seconds(started).toFixed(0)} s`);
      },
    });
    await ctx.es.indices.refresh({ index: ctx.names.customers });
    const loadSeconds = seconds(started);
    console.log(`  ${written} profiles written in ${loadSeconds.toFixed(0)} s; full pass …`);
    const passStarted = Date.now();
    const status = await runPass(p);
    const passSeconds = seconds(passStarted);
    const run = status.run!;
    console.log(
      `  full pass over ${run.total} profiles: ${passSeconds.toFixed(0)} s, ${round(run.processed / passSeconds, 1)} records/s, ${run.proposed} proposed`,
    );
    const file = writeResults('identity-matching-profiles', {
      parameters: { profiles: count, seed, indexers },
      profiles: written,
      loadSeconds: round(loadSeconds, 1),
      passSeconds: round(passSeconds, 1),
      recordsPerSecond: round(run.processed / passSeconds, 1),
      run,
      model: {
        version: status.model.version,
        estimated: status.model.estimated,
        pairsUsed: status.model.pairsUsed,
      },
      thresholds: status.thresholds,
    });
    console.log(`\n  written to ${file}`);
  } finally {
    await p.close({ keep: values.keep });
  }
}

async function fullRun(people: number): Promise<void> {
  const p = await startBenchPanorama({ indexers, matching: incremental ? undefined : false });
  try {
    const records = generateCorrupted({ people, seed });
    const personOf = new Map(records.map((r) => [r.recordId, r]));
    console.log(
      `Ingesting ${records.length} records of ${people} people through the API (prefix ${p.prefix}, matching ${incremental ? 'after every rebuild' : 'off until the pass'}) …`,
    );
    const started = Date.now();
    for (let i = 0; i < records.length; i += 1_000) {
      const batch = records.slice(i, i + 1_000).map(touchpointOf);
      for (let attempt = 0; ; attempt++) {
        const res = await p.post('/api/v1/touchpoints', batch);
        if (res.status === 202) break;
        if (attempt > 5)
          throw new Error(
            `ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
          );
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
    await p.waitUntilIndexed({
      onProgress: (s) =>
        console.log(
          `  ${seconds(started).toFixed(0)} s: ${s.waiting} waiting, ${s.active} active (matching ${s.matching?.waiting ?? 0}/${s.matching?.active ?? 0})`,
        ),
    });
    const ingestSeconds = seconds(started);
    console.log(
      `  ingested${incremental ? ' and matched' : ''} in ${ingestSeconds.toFixed(0)} s${noMatching ? '' : '; full pass …'}`,
    );
    if (!incremental && !noMatching) {
      // Matching on for the pass: the ingest indexers are replaced by matching ones.
      await Promise.all(p.indexers.map((i) => i.close()));
      p.indexers.splice(0, p.indexers.length);
      for (let i = 0; i < indexers; i++) p.startIndexer();
    }
    const passStarted = Date.now();
    // The baseline without matching: deterministic linking alone, no pass.
    const status = noMatching ? null : await runPass(p);
    await p.waitUntilIndexed();
    const passSeconds = seconds(passStarted);
    const run = status?.run ?? null;

    // Which customer each record ended in (following merges), and the open proposals.
    const ctx = p.indexers[0].ctx;
    await ctx.es.indices.refresh({ index: [ctx.names.touchpoints, ctx.names.matchPairs] });
    const stored = new Map<string, string>();
    for await (const hits of scan<Pick<StoredTouchpoint, 'id' | 'customerId'>>(ctx.es, {
      index: ctx.names.touchpoints,
      size: 5_000,
      _source: ['id', 'customerId'],
    })) {
      for (const hit of hits) if (hit._source) stored.set(hit._source.id, hit._source.customerId);
    }
    const survivors = await resolveRedirects(ctx, new Set(stored.values()));
    const customerOf = new Map(
      [...stored].map(([recordId, raw]) => [recordId, survivors.get(raw) ?? raw]),
    );
    const assignments: Assignment[] = [...customerOf].map(([recordId, customer]) => ({
      person: personOf.get(recordId)!.personId,
      customer,
      kinds: personOf.get(recordId)!.tags,
    }));
    const merges = scorePairs(assignments);
    const open: Pick<StoredPair, 'a' | 'b' | 'probability'>[] = [];
    for await (const hits of scan<StoredPair>(ctx.es, {
      index: ctx.names.matchPairs,
      query: { term: { status: 'open' } },
      _source: ['a', 'b', 'probability'],
    })) {
      for (const hit of hits) if (hit._source) open.push(hit._source);
    }
    const withProposals = pairsWithProposals(assignments, open);
    const automatic = await automaticMerges(p, personOf, customerOf);
    const lookAlikes = Object.fromEntries(
      ['household', 'father-son', 'twin', 'namesake'].map((k) => [k, scorePairs(assignments, k)]),
    );
    const fmt = (s: { precision: number; recall: number; f1: number }) =>
      `precision ${s.precision.toFixed(4)}  recall ${s.recall.toFixed(4)}  F1 ${s.f1.toFixed(4)}`;
    console.log(
      `\n  ${people} people, ${records.length} records → ${new Set(customerOf.values()).size} customers`,
    );
    console.log(`  merges               ${fmt(merges)}`);
    console.log(
      `  automatic merges     ${automatic.count}, of two different people: ${automatic.wrong.length}`,
    );
    for (const w of automatic.wrong.slice(0, 10)) console.log(`    wrong: ${JSON.stringify(w)}`);
    console.log(`  merges + proposals   ${fmt(withProposals)}  (${open.length} open proposals)`);
    for (const [k, s] of Object.entries(lookAlikes)) console.log(`  ${k.padEnd(20)} ${fmt(s)}`);
    if (run && status)
      console.log(
        `  full pass: ${run.processed} customers in ${passSeconds.toFixed(0)} s = ${round(run.processed / passSeconds, 1)} records/s; model ${status.model.version} (${status.model.estimated ? `estimated from ${status.model.pairsUsed} pairs` : 'default'})`,
      );
    const file = writeResults(noMatching ? 'identity-matching-baseline' : 'identity-matching', {
      parameters: { people, seed, indexers, incremental, matching: !noMatching },
      records: records.length,
      customers: new Set(customerOf.values()).size,
      ingestSeconds: round(ingestSeconds, 1),
      pass: run
        ? {
            ...run,
            seconds: round(passSeconds, 1),
            recordsPerSecond: round(run.processed / passSeconds, 1),
          }
        : null,
      model: status
        ? {
            version: status.model.version,
            estimated: status.model.estimated,
            pairsUsed: status.model.pairsUsed,
            prior: status.model.prior,
          }
        : null,
      thresholds: status?.thresholds ?? null,
      merges,
      automaticMerges: {
        count: automatic.count,
        ofDifferentPeople: automatic.wrong.length,
        wrong: automatic.wrong.slice(0, 50),
      },
      mergesAndProposals: withProposals,
      openProposals: open.length,
      lookAlikes,
      aim: { mergesPrecision: 0.999, mergesAndProposals: { recall: 0.95, precision: 0.99 } },
    });
    console.log(`\n  written to ${file}`);
  } finally {
    await p.close({ keep: values.keep });
  }
}

/**
 * The merges made by matching (not undone), and those that joined two
 * different people: the loser's records at the merge share no person with
 * the records the survivor holds besides them. Wrong ones keep their
 * probability and levels, to see what the model got wrong.
 */
async function automaticMerges(
  p: BenchPanorama,
  personOf: Map<string, CorruptedRecord>,
  customerOf: Map<string, string>,
): Promise<{ count: number; wrong: { probability: number; tags: string[]; levels: string }[] }> {
  const ctx = p.indexers[0].ctx;
  const recordsOf = new Map<string, string[]>();
  for (const [recordId, customer] of customerOf)
    recordsOf.set(customer, [...(recordsOf.get(customer) ?? []), recordId]);
  const idOf = (key: string) => key.slice(key.indexOf(':') + 1);
  let count = 0;
  const wrong: { probability: number; tags: string[]; levels: string }[] = [];
  for await (const hits of scan<IdentityAction>(ctx.es, {
    index: ctx.names.identities,
    query: { term: { kind: 'action' } },
  })) {
    for (const hit of hits) {
      const action = hit._source;
      if (!action || action.by !== 'matching' || action.undoneAt) continue;
      count++;
      const moved = new Set(action.touchpoints.map(idOf));
      const loser = new Set([...moved].map((r) => personOf.get(r)?.personId));
      const survivor = customerOf.get([...moved][0] ?? '') ?? action.customerId;
      const others = (recordsOf.get(survivor) ?? []).filter((r) => !moved.has(r));
      if (others.length === 0 || others.some((r) => loser.has(personOf.get(r)?.personId))) continue;
      wrong.push({
        probability: round(action.explanation?.probability ?? 0, 5),
        tags: [...new Set([...moved, ...others].flatMap((r) => personOf.get(r)?.tags ?? []))],
        levels: (action.explanation?.fields ?? [])
          .map((f) => `${f.field}:${f.level}:${f.a ?? '-'}/${f.b ?? '-'}`)
          .join(' '),
      });
    }
  }
  return { count, wrong };
}

/**
 * Pairwise scores counting a pair of records as predicted when both are in
 * one customer or their two customers are proposed as one (each proposal on
 * its own: no transitive closure, as a steward decides pair by pair).
 */
function pairsWithProposals(
  assignments: readonly Assignment[],
  open: readonly Pick<StoredPair, 'a' | 'b'>[],
): {
  precision: number;
  recall: number;
  f1: number;
  predictedPairs: number;
  correctPairs: number;
  truePairs: number;
} {
  const c2 = (n: number) => (n * (n - 1)) / 2;
  const byCustomer = new Map<string, Map<string, number>>();
  const byPerson = new Map<string, number>();
  for (const a of assignments) {
    const persons = byCustomer.get(a.customer) ?? new Map<string, number>();
    persons.set(a.person, (persons.get(a.person) ?? 0) + 1);
    byCustomer.set(a.customer, persons);
    byPerson.set(a.person, (byPerson.get(a.person) ?? 0) + 1);
  }
  let predicted = 0;
  let correct = 0;
  for (const persons of byCustomer.values()) {
    let size = 0;
    for (const n of persons.values()) {
      size += n;
      correct += c2(n);
    }
    predicted += c2(size);
  }
  for (const { a, b } of open) {
    const pa = byCustomer.get(a);
    const pb = byCustomer.get(b);
    if (!pa || !pb || a === b) continue;
    let sa = 0;
    let sb = 0;
    for (const n of pa.values()) sa += n;
    for (const n of pb.values()) sb += n;
    predicted += sa * sb;
    for (const [person, n] of pa) correct += n * (pb.get(person) ?? 0);
  }
  let truePairs = 0;
  for (const n of byPerson.values()) truePairs += c2(n);
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision: round(precision, 5),
    recall: round(recall, 5),
    f1: round(f1, 5),
    predictedPairs: predicted,
    correctPairs: correct,
    truePairs,
  };
}

if (profilesOnly !== null) await profilesOnlyRun(profilesOnly);
else await fullRun(Number(values.people));
// Worker and client handles may outlive close() by a moment; the figures are written, so end here.
process.exit(0);
