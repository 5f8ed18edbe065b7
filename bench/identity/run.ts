/**
 * bench:identity — are the right records put together?
 *
 * Generates the demo data set with the messier variants
 * (scripts/demo/messy-variants.ts) and its ground truth, ingests it through
 * the real API and indexer workers, then scores the assignment of touchpoints
 * to customers as pairwise precision, recall and F1, overall and per
 * difficulty kind. Figures go to bench/results/identity-<date>.json.
 *
 *   npm run bench:identity -- [--people 2000] [--seed 42] [--indexers 1] [--keep]
 *
 * Uses ELASTICSEARCH_URL / REDIS_URL (default: the dev services on 9250/6350)
 * under its own index prefix, removed at the end unless --keep.
 */
import { parseArgs } from 'node:util';
import type { StoredTouchpoint } from '../../domain/src/contract';
import { resolveRedirects } from '../../store/src/identity/identity-links';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { scan } from '../../infra/src/scan';
import { generateDemo, startOfUtcDay } from '../../scripts/demo/generate';
import { difficultyKinds, messify, type DifficultyKind } from '../../scripts/demo/messy-variants';
import { startBenchPanorama } from '../support/bench-panorama';
import { round, writeResults } from '../support/results';
import { scorePairs, type Assignment } from './score';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    indexers: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const people = Number(values.people);
const seed = Number(values.seed);
const now = startOfUtcDay();

const p = await startBenchPanorama({ indexers: Number(values.indexers) });
try {
  const truth = new Map<string, { personId: string; kinds: DifficultyKind[] }>();
  let batch: unknown[] = [];
  let sent = 0;
  const started = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      const res = await p.post('/api/v1/touchpoints', batch);
      if (res.status === 202) break;
      if (attempt > 5)
        throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
    sent += batch.length;
    batch = [];
  };
  console.log(
    `Ingesting ${people} people with messy variants through the API (prefix ${p.prefix}) …`,
  );
  for (const item of messify(generateDemo({ customers: people, seed, now }), { seed })) {
    truth.set(`${item.touchpoint.source}:${item.touchpoint.id}`, {
      personId: item.personId,
      kinds: item.difficulties,
    });
    batch.push(item.touchpoint);
    if (batch.length >= 1_000) await flush();
  }
  await flush();
  console.log(
    `  ${sent} touchpoints accepted after ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for identity resolution and profiles …`,
  );
  await p.waitUntilIndexed({
    onProgress: (s) =>
      console.log(
        `  ${((Date.now() - started) / 1000).toFixed(0)} s: ${s.waiting} waiting, ${s.active} active`,
      ),
  });
  const ingestSeconds = (Date.now() - started) / 1000;
  console.log(
    `  ${sent} touchpoints (${truth.size} records) identity-resolved in ${ingestSeconds.toFixed(1)} s`,
  );

  // Which customer each record ended in (following merges).
  const es = createElasticsearch(p.elasticsearchUrl);
  const ctx = p.indexers[0].ctx;
  await es.indices.refresh({ index: ctx.names.touchpoints });
  const stored = new Map<string, string>();
  for await (const hits of scan<Pick<StoredTouchpoint, 'key' | 'customerId'>>(es, {
    index: ctx.names.touchpoints,
    size: 5_000,
    _source: ['key', 'customerId'],
    sort: [{ key: 'asc' }],
  })) {
    for (const hit of hits) if (hit._source) stored.set(hit._source.key, hit._source.customerId);
  }
  const survivors = await resolveRedirects(ctx, new Set(stored.values()));
  await es.close();
  const assignments: Assignment[] = [];
  for (const [key, t] of truth) {
    const raw = stored.get(key);
    if (raw === undefined) continue; // deleted records are not stored
    assignments.push({ person: t.personId, customer: survivors.get(raw) ?? raw, kinds: t.kinds });
  }

  const overall = scorePairs(assignments);
  const perKind = Object.fromEntries(difficultyKinds.map((k) => [k, scorePairs(assignments, k)]));
  const customers = new Set(assignments.map((a) => a.customer)).size;
  const persons = new Set(assignments.map((a) => a.person)).size;
  const fmt = (s: ReturnType<typeof scorePairs>) =>
    `precision ${s.precision.toFixed(4)}  recall ${s.recall.toFixed(4)}  F1 ${s.f1.toFixed(4)}  (${s.persons} people, ${s.records} records)`;
  console.log(`\n  ${persons} people → ${customers} customers`);
  console.log(`  overall        ${fmt(overall)}`);
  for (const k of difficultyKinds) console.log(`  ${k.padEnd(14)} ${fmt(perKind[k])}`);
  const file = writeResults('identity', {
    parameters: {
      people,
      seed,
      indexers: Number(values.indexers),
      rules: 'config/identity-rules.json',
    },
    records: assignments.length,
    persons,
    customers,
    ingestSeconds: round(ingestSeconds, 1),
    recordsPerSecond: round(assignments.length / ingestSeconds, 1),
    overall,
    perKind,
    aim: { precision: 0.995, recall: 0.98 },
  });
  console.log(`\n  written to ${file}`);
} finally {
  await p.close({ keep: values.keep });
}
// Worker and client handles may outlive close() by a moment; the figures are written, so end here.
process.exit(0);
