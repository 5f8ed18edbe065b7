/**
 * bench:lookup — search latency under load.
 *
 * Writes N folded demo profiles straight into a fresh customers index (bulk,
 * not through ingest: see bench/support/folded-profiles.ts), starts the API in
 * its own process and loads `GET /api/v1/customers/search` with autocannon at
 * 1, 8 and 32 concurrent clients, a mix of typeahead (growing prefixes of
 * names, 60 %) and full queries (full names, phones in another writing,
 * emails, customer and order numbers, name + city; 40 %).
 *
 * Reports per level: p50/p95/p99 (measured per request), throughput, the
 * share of the time spent in Elasticsearch (`tookMs` of each answer over the
 * request's round trip) and the memory of the API, Elasticsearch and the load
 * generator. Figures go to bench/results/lookup-<date>.json.
 *
 *   npm run bench:lookup -- [--customers 20000] [--duration 15] [--connections 1,8,32] [--prefix <kept>] [--keep]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames } from '../../infra/src/names';
import { applyMappings } from '../../mappings/apply';
import type { CustomerDocument } from '../../domain/src/profile';
import { startOfUtcDay } from '../../scripts/demo/generate';
import { benchServiceUrls } from '../support/bench-panorama';
import { bulkWriteProfiles, foldedProfiles } from '../support/folded-profiles';
import { median, percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '1,8,32' },
    seed: { type: 'string', default: '42' },
    prefix: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const customers = Number(values.customers);
const duration = Number(values.duration);
const levels = values.connections.split(',').map(Number);
const seed = Number(values.seed);
const now = startOfUtcDay();
const { elasticsearchUrl } = benchServiceUrls();
const prefix = values.prefix ?? `lookup${randomBytes(3).toString('hex')}`;
const keep = values.keep || values.prefix !== undefined;
const es = createElasticsearch(elasticsearchUrl);
const names = indexNames(prefix);

/** What agents type, drawn from the profiles while they are written. */
const typeahead: string[] = [];
const full: string[] = [];
function collectQueries(doc: CustomerDocument, n: number): void {
  if (n % 7 !== 0 || full.length > 20_000) return;
  if (doc.firstName && doc.lastName) {
    const name = `${doc.firstName} ${doc.lastName}`;
    for (const cut of [3, doc.firstName.length + 2, doc.firstName.length + 4]) if (cut < name.length) typeahead.push(name.slice(0, cut));
    full.push(name);
    if (doc.address?.city) full.push(`${doc.lastName} ${doc.address.city}`);
  }
  const phone = doc.phones[0] && parsePhoneNumberFromString(doc.phones[0].value);
  if (phone) full.push(phone.country === 'DE' ? phone.formatNational() : phone.formatInternational());
  if (doc.emails[0]) full.push(doc.emails[0].value);
  if (doc.customerNumbers[0]) full.push(doc.customerNumbers[0]);
  if (doc.recentOrders[0]) full.push(doc.recentOrders[0].orderNumber);
}

let loadSeconds = 0;
if (values.prefix) {
  console.log(`Reusing ${names.customers}; collecting queries from the generator …`);
  let n = 0;
  for (const doc of foldedProfiles({ customers: Math.min(customers, 5_000), seed, now })) collectQueries(doc, n++ * 7);
} else {
  await applyMappings({ elasticsearchUrl, prefix });
  console.log(`Folding and bulk-writing ${customers} profiles into ${names.customers} …`);
  const started = performance.now();
  let n = 0;
  const docs = (function* () {
    for (const doc of foldedProfiles({ customers, seed, now })) {
      collectQueries(doc, n++);
      yield doc;
    }
  })();
  await bulkWriteProfiles(es, names.customers, docs, (written) => {
    if (written % 10_000 === 0) console.log(`  ${written} written, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  loadSeconds = (performance.now() - started) / 1000;
  console.log(`  done in ${loadSeconds.toFixed(0)} s`);
}
const count = (await es.count({ index: names.customers })).count;

const key = `bench-${randomBytes(8).toString('hex')}`;
const api = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'api-process.ts')], {
  env: { ...process.env, PREFIX: prefix, BENCH_KEY: key },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  api.once('exit', (code) => reject(new Error(`the API process exited with ${code}`)));
  createInterface({ input: api.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
});

function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function elasticsearchMemory() {
  const stats = await es.nodes.stats({ metric: ['jvm', 'process'] });
  const node = Object.values(stats.nodes)[0];
  const info = await es.nodes.info({ metric: ['process'] });
  const pid = Object.values(info.nodes)[0]?.process?.id;
  return {
    heapUsedMiB: Math.round((node?.jvm?.mem?.heap_used_in_bytes ?? 0) / 2 ** 20),
    heapMaxMiB: Math.round((node?.jvm?.mem?.heap_max_in_bytes ?? 0) / 2 ** 20),
    rssMiB: rssMiB(pid),
  };
}

interface Level {
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  throughputPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  autocannonMs: { p50: number; p97_5: number; p99: number };
  elasticsearchShare: number;
  medianTookMs: number;
  memoryMiB: { api: number | null; elasticsearch: Awaited<ReturnType<typeof elasticsearchMemory>>; loadGenerator: number };
}

async function runLevel(connections: number): Promise<Level> {
  const latencies: number[] = [];
  const tooks: number[] = [];
  let pick = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req, context) => {
          pick++;
          // 6 of 10 requests are keystrokes of a typeahead, 4 are complete queries.
          const q = pick % 10 < 6 ? typeahead[(pick * 7919) % typeahead.length] : full[(pick * 104729) % full.length];
          (context as { sentAt?: number }).sentAt = performance.now();
          return { ...req, path: `/api/v1/customers/search?size=10&facets=false&q=${encodeURIComponent(q)}` };
        },
        onResponse: (status, body, context) => {
          latencies.push(performance.now() - ((context as { sentAt?: number }).sentAt ?? 0));
          if (status === 200) tooks.push((JSON.parse(body) as { tookMs: number }).tookMs);
        },
      },
    ],
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    connections,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    throughputPerSec: round(result.requests.total / duration, 1),
    latencyMs: { p50: round(median(latencies), 1), p95: round(percentile(latencies, 95), 1), p99: round(percentile(latencies, 99), 1), max: round(Math.max(...latencies), 1) },
    autocannonMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    elasticsearchShare: round(sum(tooks) / Math.max(sum(latencies.slice(0, tooks.length)), 1)),
    medianTookMs: median(tooks),
    memoryMiB: { api: rssMiB(api.pid), elasticsearch: await elasticsearchMemory(), loadGenerator: Math.round(process.memoryUsage().rss / 2 ** 20) },
  };
}

const results: Level[] = [];
try {
  console.log(`${count} customers indexed; ${typeahead.length} typeahead and ${full.length} full queries; ${duration} s per level`);
  // Warm-up: caches and JIT, not measured.
  await autocannon({ url: `${url}/api/v1/customers/search?q=${encodeURIComponent(full[0])}`, connections: 4, duration: 3, headers: { authorization: `Bearer ${key}` } });
  for (const connections of levels) {
    const level = await runLevel(connections);
    results.push(level);
    console.log(
      `${String(connections).padStart(3)} clients: ${level.throughputPerSec} req/s, p50 ${level.latencyMs.p50} ms, p95 ${level.latencyMs.p95} ms, p99 ${level.latencyMs.p99} ms, ` +
        `ES share ${(level.elasticsearchShare * 100).toFixed(0)} %, errors ${level.errors}, non-2xx ${level.non2xx}; ` +
        `RSS API ${level.memoryMiB.api} MiB, ES ${level.memoryMiB.elasticsearch.rssMiB} MiB (heap ${level.memoryMiB.elasticsearch.heapUsedMiB}/${level.memoryMiB.elasticsearch.heapMaxMiB}), load generator ${level.memoryMiB.loadGenerator} MiB`,
    );
  }
  const file = writeResults('lookup', {
    customers: count,
    dataPath: values.prefix ? 'reused index' : 'folded demo profiles bulk-written straight into the customers index (not through ingest)',
    loadSeconds: round(loadSeconds, 1),
    durationPerLevelSec: duration,
    mix: '60 % typeahead prefixes of names, 40 % full queries (names, name + city, phones in another writing, emails, customer and order numbers); size=10 and facets=false, as the search box asks',
    note: 'latency measured per request from send to full body; ES share = sum(tookMs) / sum(round trip); API, Elasticsearch and the load generator share the same 2 cores (and other engineers\' work)',
    levels: results,
  });
  console.log(`Results: ${file}`);
} finally {
  api.kill('SIGTERM');
  if (!keep) {
    const indices = Object.keys(await es.indices.get({ index: `${prefix}-*`, allow_no_indices: true }));
    if (indices.length > 0) await es.indices.delete({ index: indices });
  } else console.log(`Kept indices under prefix ${prefix}`);
  await es.close();
}
process.exit(0);
