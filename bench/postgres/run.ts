/**
 * bench:postgres — the same lookup done the way many teams would do it
 * instead: PostgreSQL (Debian's package) with `pg_trgm` and full-text search,
 * side by side with Elasticsearch on the same data and the same machine.
 *
 * Data: the profiles a `bench:relevance --keep` run left in Elasticsearch
 * (pass its `--prefix`), copied with their normalized search keys into one
 * PostgreSQL table. Both engines get the same judged query set and the same
 * query-kind detection and normalization (domain/src/normalize.ts), so the
 * comparison is of the engines and their ranking, not of the normalization.
 *
 * Elasticsearch runs the API's own query (server/src/customers/search-query.ts,
 * without facets) and PostgreSQL the query below, both called directly from
 * this process (no HTTP) one after the other, sequentially.
 *
 *   npm run bench:postgres -- --prefix <kept relevance prefix> [--customers 1000] [--seed 42] [--per-kind 50]
 *   npm run bench:postgres -- --prefix <kept bench:lookup prefix> --from-lookup --customers 50000   (larger: profiles bulk-written by bench:lookup)
 *   PG_URL default postgres://postgres@127.0.0.1:5432/test
 */
import pg from 'pg';
import { parseArgs } from 'node:util';
import {
  detectQueryKind,
  foldText,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
} from '../../domain/src/normalize';
import type { CustomerDocument } from '../../domain/src/profile';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames } from '../../infra/src/names';
import { scan } from '../../infra/src/scan';
import { generateDemo, startOfUtcDay } from '../../scripts/demo/generate';
import {
  ACTIVITY_WINDOW,
  activityRescore,
  planSearch,
} from '../../server/src/customers/search-query';
import { customerToPerson, evaluate, printEvaluation } from '../relevance/evaluate';
import { buildJudgedSet } from '../relevance/judged-set';
import { benchServiceUrls } from '../support/bench-panorama';
import { median, percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    prefix: { type: 'string' },
    customers: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    'per-kind': { type: 'string', default: '50' },
    /** The prefix is a kept bench:lookup index: profiles written straight from the generator, customer id = person id. */
    'from-lookup': { type: 'boolean', default: false },
  },
});
if (!values.prefix)
  throw new Error(
    'pass --prefix of a kept bench:relevance run (npm run bench:relevance -- --keep prints it)',
  );
const names = indexNames(values.prefix);
const es = createElasticsearch(benchServiceUrls().elasticsearchUrl);
const db = new pg.Client({
  connectionString: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
});
await db.connect();
const table = `panorama_bench_${values.prefix.replace(/\W/g, '')}`;

// The schema a team would write: exact keys in arrays (GIN), folded text with trigram and full-text indexes.
await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
await db.query(`DROP TABLE IF EXISTS ${table}`);
await db.query(`CREATE TABLE ${table} (
  id text PRIMARY KEY,
  name_folded text NOT NULL,
  all_folded text NOT NULL,
  fts tsvector NOT NULL,
  emails text[] NOT NULL,
  phones text[] NOT NULL,
  phone_suffixes text[] NOT NULL,
  numbers text[] NOT NULL,
  touchpoints int NOT NULL,
  last_seen timestamptz
)`);

console.log(`Copying ${names.customers} into PostgreSQL table ${table} …`);
await db.query('BEGIN');
let copied = 0;
for await (const hits of scan<CustomerDocument>(es, {
  index: names.customers,
  size: 1000,
  sort: [{ id: 'asc' }],
  query: { match_all: {} },
})) {
  for (const hit of hits) {
    const d = hit._source as CustomerDocument;
    const s = d.search;
    const all = [
      ...s.names,
      ...s.cities,
      ...s.postalCodes.map((x) => x.toLowerCase()),
      ...s.streets,
      s.text,
      s.emailText,
    ].join(' ');
    await db.query(
      `INSERT INTO ${table} VALUES ($1, $2, $3, to_tsvector('simple', $3), $4, $5, $6, $7, $8, $9)`,
      [
        d.id,
        s.names.join(' '),
        all,
        s.emails,
        s.phones,
        s.phoneSuffixes,
        s.numbers,
        d.kpis.touchpointCount,
        d.lastSeenAt,
      ],
    );
  }
  copied += hits.length;
}
await db.query('COMMIT');
await db.query(`CREATE INDEX ON ${table} USING gin (all_folded gin_trgm_ops)`);
await db.query(`CREATE INDEX ON ${table} USING gin (name_folded gin_trgm_ops)`);
await db.query(`CREATE INDEX ON ${table} USING gin (fts)`);
await db.query(`CREATE INDEX ON ${table} USING gin (emails)`);
await db.query(`CREATE INDEX ON ${table} USING gin (phones)`);
await db.query(`CREATE INDEX ON ${table} USING gin (phone_suffixes)`);
await db.query(`CREATE INDEX ON ${table} USING gin (numbers)`);
await db.query(`ANALYZE ${table}`);
console.log(`  ${copied} customers copied and indexed`);

/** PostgreSQL's lookup: exact keys first, then trigram word similarity and full-text rank, activity as a tie-breaker. */
async function searchPostgres(q: string): Promise<string[]> {
  const kind = detectQueryKind(q);
  const exact: string[] = [];
  const params: unknown[] = [];
  const add = (v: unknown) => `$${params.push(v)}`;
  if (kind === 'email') {
    const email = normalizeEmail(q);
    if (email) exact.push(`emails @> ARRAY[${add(email.value)}]`);
  }
  if (kind === 'phone') {
    const phone = normalizePhone(q, 'DE');
    if (phone?.valid) exact.push(`phones @> ARRAY[${add(phone.value)}]`);
    const suffix = q.replace(/\D/g, '').slice(-10);
    if (suffix.length >= 4) exact.push(`phone_suffixes @> ARRAY[${add(suffix)}]`);
  }
  if (kind === 'phone' || kind === 'number')
    exact.push(`numbers @> ARRAY[${add(normalizeNumber(q))}]`);
  if (exact.length > 0) {
    const found = await db.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE ${exact.join(' OR ')} ORDER BY touchpoints DESC LIMIT 10`,
      params,
    );
    if (found.rows.length > 0 || kind !== 'number') return found.rows.map((r) => r.id);
  }
  const folded = foldText(q);
  if (!folded) return [];
  const text = await db.query<{ id: string }>(
    `SELECT id FROM ${table}
      WHERE $1 <% all_folded OR fts @@ plainto_tsquery('simple', $1)
      ORDER BY 2 * word_similarity($1, name_folded) + word_similarity($1, all_folded)
               + ts_rank(fts, plainto_tsquery('simple', $1)) + 0.05 * ln(1 + touchpoints) DESC
      LIMIT 10`,
    [folded],
  );
  return text.rows.map((r) => r.id);
}

/** The API's search without HTTP: its tiers in order, the first that finds anyone answers (customer-repository.ts). */
async function searchElasticsearch(q: string): Promise<string[]> {
  const tiers = planSearch(q, {}).tiers;
  for (const [i, query] of tiers.entries()) {
    const answer = await es.search({
      index: names.customers,
      query,
      rescore: activityRescore(ACTIVITY_WINDOW),
      size: 10,
      _source: false,
      track_total_hits: true,
    });
    if (answer.hits.hits.length > 0 || i === tiers.length - 1)
      return answer.hits.hits.map((h) => h._id as string);
  }
  return [];
}

const customers = Number(values.customers);
const seed = Number(values.seed);
const demo = [...generateDemo({ customers, seed, now: startOfUtcDay() })];
const truth = new Map(demo.map((d) => [`${d.touchpoint.source}:${d.touchpoint.id}`, d.personId]));
const judged = buildJudgedSet(demo, Number(values['per-kind']));
const identity = values['from-lookup']
  ? null
  : await customerToPerson(es, names.touchpoints, truth);
const personOf = (id: string) => (identity ? identity.map.get(id) : id);

// Warm both (caches, plans), then measure each query on both engines in turn.
for (const query of judged.slice(0, 50)) {
  await searchElasticsearch(query.q);
  await searchPostgres(query.q);
}
const esTimes: number[] = [];
const pgTimes: number[] = [];
const timed = (fn: (q: string) => Promise<string[]>, into: number[]) => async (q: string) => {
  const started = performance.now();
  const ids = await fn(q);
  into.push(performance.now() - started);
  return ids;
};
const esEval = await evaluate(judged, timed(searchElasticsearch, esTimes), personOf);
const pgEval = await evaluate(judged, timed(searchPostgres, pgTimes), personOf);
printEvaluation('Elasticsearch (the API query, direct)', esEval);
printEvaluation('PostgreSQL 15 (pg_trgm + full text)', pgEval);
const latency = (xs: number[]) => ({
  p50: round(median(xs), 2),
  p95: round(percentile(xs, 95), 2),
  p99: round(percentile(xs, 99), 2),
});
const ratio = {
  p50: round(median(pgTimes) / median(esTimes), 2),
  p95: round(percentile(pgTimes, 95) / percentile(esTimes, 95), 2),
};
console.log(
  `latency ms  Elasticsearch ${JSON.stringify(latency(esTimes))}  PostgreSQL ${JSON.stringify(latency(pgTimes))}  ratio PG/ES ${JSON.stringify(ratio)}`,
);
const file = writeResults(values['from-lookup'] ? 'postgres-at-scale' : 'postgres', {
  customers: copied,
  judgedQueries: judged.length,
  data: values['from-lookup']
    ? `profiles of bench:lookup prefix ${values.prefix} (folded demo profiles bulk-written into Elasticsearch), copied with their search keys into PostgreSQL`
    : `profiles of bench:relevance prefix ${values.prefix} (loaded through the API), copied with their search keys into PostgreSQL`,
  postgres: (await db.query<{ version: string }>('SELECT version()')).rows[0].version,
  note: 'sequential queries from one process, no HTTP; latency includes the client round trip; ratio = PostgreSQL / Elasticsearch',
  latencyMs: { elasticsearch: latency(esTimes), postgres: latency(pgTimes), ratio },
  relevance: { elasticsearch: esEval, postgres: pgEval },
});
console.log(`Results: ${file}`);
await db.query(`DROP TABLE IF EXISTS ${table}`);
await db.end();
await es.close();
process.exit(0);
