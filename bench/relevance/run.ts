/**
 * bench:relevance — how often the right customer is on top.
 *
 * Loads the demo data set through the real API and indexer (like a source
 * system), builds the judged query set from the generator's ground truth, asks
 * `GET /api/v1/customers/search` each query and reports top-1 accuracy and
 * MRR@10 per query kind. Figures go to bench/results/relevance-<date>.json.
 *
 *   npm run bench:relevance -- [--customers 1000] [--per-kind 50] [--seed 42] [--keep]
 *
 * Uses ELASTICSEARCH_URL / REDIS_URL (default: the dev services on 9250/6350)
 * under its own index prefix, removed at the end unless --keep.
 */
import { parseArgs } from 'node:util';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { generateDemo, startOfUtcDay } from '../../scripts/demo/generate';
import { loadDemo } from '../../scripts/demo/load';
import { startBenchPanorama } from '../support/bench-panorama';
import { writeResults } from '../support/results';
import { customerToPerson, evaluate, printEvaluation } from './evaluate';
import { buildJudgedSet } from './judged-set';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000' },
    'per-kind': { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
    keep: { type: 'boolean', default: false },
    /** Reuse the indices a run with --keep left (its prefix); skips loading. */
    prefix: { type: 'string' },
  },
});
const customers = Number(values.customers);
const perKind = Number(values['per-kind']);
const seed = Number(values.seed);
const now = startOfUtcDay();

const p = await startBenchPanorama({ prefix: values.prefix });
const keep = values.keep || values.prefix !== undefined;
try {
  let loaded = { touchpoints: 0, seconds: 0 };
  if (values.prefix)
    console.log(
      `Reusing the data under prefix ${p.prefix} (generated with --customers ${customers} --seed ${seed})`,
    );
  else {
    console.log(`Loading ${customers} demo customers through the API (prefix ${p.prefix}) …`);
    loaded = await loadDemo({ baseUrl: p.url, apiKey: p.key, customers, seed, progress: false });
    console.log(`  ${loaded.touchpoints} touchpoints indexed in ${loaded.seconds.toFixed(1)} s`);
  }

  const demo = [...generateDemo({ customers, seed, now })];
  const truth = new Map(demo.map((d) => [`${d.touchpoint.source}:${d.touchpoint.id}`, d.personId]));
  const judged = buildJudgedSet(demo, perKind);
  const es = createElasticsearch(p.elasticsearchUrl);
  const identity = await customerToPerson(es, p.server.ctx.names.touchpoints, truth);
  await es.close();
  console.log(
    `  ${identity.persons} persons → ${identity.customers} customers (${identity.split} persons split, ${identity.mixed} customers mixing persons); ${judged.length} judged queries`,
  );

  const evaluation = await evaluate(
    judged,
    async (q) => {
      const res = await p.get(`/api/v1/customers/search?size=10&q=${encodeURIComponent(q)}`);
      if (res.status !== 200)
        throw new Error(`search ${q} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return (res.body.items as { id: string }[]).map((i) => i.id);
    },
    (id) => identity.map.get(id),
  );
  printEvaluation('Elasticsearch (Panorama API)', evaluation);
  const file = writeResults('relevance', {
    customers,
    seed,
    touchpoints: loaded.touchpoints,
    judgedQueries: judged.length,
    identity: {
      persons: identity.persons,
      customers: identity.customers,
      split: identity.split,
      mixed: identity.mixed,
    },
    note: 'top-1 = share of queries with the right person first; MRR@10 = mean of 1/rank within the first 10 (0 if absent); medianMs = API round trip per query, sequential.',
    elasticsearch: evaluation,
  });
  console.log(`Results: ${file}`);
} finally {
  await p.close({ keep });
  if (keep) console.log(`Kept indices under prefix ${p.prefix}`);
}
// Connection pools (BullMQ, ioredis, undici) may keep the event loop alive after close.
process.exit(0);
