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
 * Each level runs twice: closed loop (every client sends its next search the
 * moment the last answers: saturation) and as agents at work (each client
 * --agent-rate searches a second at random moments, default 4, without
 * waiting for answers: the search box asks 150 ms after the last keystroke).
 *
 * Reports per level: p50/p95/p99 (measured per request), throughput, the
 * share of the time spent in Elasticsearch (`tookMs` of each answer over the
 * request's round trip) and the memory of the API, Elasticsearch and the load
 * generator. Figures go to bench/results/lookup-<date>.json.
 *
 * Measures once Elasticsearch has merged the loaded segments. BENCH_SLOWEST=1
 * prints the 15 slowest searches of each agents level (query and due time).
 *
 *   npm run bench:lookup -- [--customers 20000] [--duration 15] [--connections 1,8,32] [--agent-rate 4] [--prefix <kept>] [--keep] [--load-parts <n>] [--now <iso day of the load>]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
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
import { foldedProfiles } from '../support/folded-profiles';
import { loadFoldedProfiles } from '../support/load-folded-profiles';
import { median, percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '1,8,32' },
    /**
     * Also run every level as agents at work: each client sends this many searches a second on average
     * (the search box waits 150 ms after a keystroke, so a fast typist makes ~4). 0: only the
     * closed loop, where every client sends its next search the moment the last one answers.
     */
    'agent-rate': { type: 'string', default: '4' },
    seed: { type: 'string', default: '42' },
    /** The end of the demo history (default today 00:00 UTC); pass the load's day when reusing an index on a later day. */
    now: { type: 'string' },
    prefix: { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Processes that fold and write the profiles; default one per core. */
    'load-parts': { type: 'string' },
  },
});
const customers = Number(values.customers);
const duration = Number(values.duration);
const levels = values.connections.split(',').map(Number);
const agentRate = Number(values['agent-rate']);
if (!(agentRate >= 0))
  throw new Error(
    `--agent-rate must be a number of searches per second per client, got "${values['agent-rate']}"`,
  );
const seed = Number(values.seed);
const now = values.now ? new Date(values.now) : startOfUtcDay();
if (Number.isNaN(now.getTime()))
  throw new Error(`--now must be an ISO timestamp, got "${values.now}"`);
const { elasticsearchUrl } = benchServiceUrls();
const prefix = values.prefix ?? `lookup${randomBytes(3).toString('hex')}`;
const keep = values.keep || values.prefix !== undefined;
const es = createElasticsearch(elasticsearchUrl);
const names = indexNames(prefix);

/** What agents type, drawn from every 7th profile (the same ones whether the index is loaded now or reused). */
const typeahead: string[] = [];
const full: string[] = [];
const sampleEvery = 7;
const sampleMax = 4_000;
function collectQueries(doc: CustomerDocument): void {
  if (full.length > 20_000) return;
  if (doc.firstName && doc.lastName) {
    const name = `${doc.firstName} ${doc.lastName}`;
    for (const cut of [3, doc.firstName.length + 2, doc.firstName.length + 4])
      if (cut < name.length) typeahead.push(name.slice(0, cut));
    full.push(name);
    if (doc.address?.city) full.push(`${doc.lastName} ${doc.address.city}`);
  }
  const phone = doc.phones[0] && parsePhoneNumberFromString(doc.phones[0].value);
  if (phone)
    full.push(phone.country === 'DE' ? phone.formatNational() : phone.formatInternational());
  if (doc.emails[0]) full.push(doc.emails[0].value);
  if (doc.customerNumbers[0]) full.push(doc.customerNumbers[0]);
  if (doc.recentOrders[0]) full.push(doc.recentOrders[0].orderNumber);
}

let loadSeconds = 0;
let loadParts = 0;
if (values.prefix) {
  console.log(`Reusing ${names.customers}; collecting queries from the generator …`);
  let n = 0;
  for (const doc of foldedProfiles({
    customers: Math.min(customers, sampleEvery * sampleMax),
    seed,
    now,
    share: { part: 0, parts: sampleEvery },
  })) {
    if (n++ >= sampleMax) break;
    collectQueries(doc);
  }
} else {
  await applyMappings({ elasticsearchUrl, prefix });
  const parts = values['load-parts'] ? Number(values['load-parts']) : undefined;
  console.log(`Folding and bulk-writing ${customers} profiles into ${names.customers} …`);
  const loaded = await loadFoldedProfiles({
    es,
    elasticsearchUrl,
    index: names.customers,
    customers,
    seed,
    now,
    parts,
    sampleEvery,
    sampleMax,
    onProgress: (written, seconds) => console.log(`  ${written} written, ${seconds.toFixed(0)} s`),
  });
  for (const doc of loaded.samples) collectQueries(doc);
  loadSeconds = loaded.seconds;
  loadParts = loaded.parts;
  console.log(
    `  ${loaded.written} in ${loadSeconds.toFixed(0)} s (${(loaded.written / loadSeconds).toFixed(0)} profiles/s, ${loaded.parts} processes)`,
  );
}
const count = (await es.count({ index: names.customers })).count;

// A fresh load leaves many segments that Elasticsearch merges for minutes after, and searches measured meanwhile are
// slower (figures in bench/README.md). Measure the index as it stays, not while it settles.
for (
  let quietSince = Date.now(), started = Date.now(), said = false;
  Date.now() - quietSince < 10_000 && Date.now() - started < 600_000;
) {
  const stats = await es.indices.stats({ index: names.customers, metric: ['merge'] });
  if ((stats._all.total?.merges?.current ?? 0) > 0) {
    quietSince = Date.now();
    if (!said) console.log('  waiting for Elasticsearch to finish merging the loaded segments …');
    said = true;
  }
  await new Promise((r) => setTimeout(r, 2_000));
}

const key = `bench-${randomBytes(8).toString('hex')}`;
const api = spawn(
  process.execPath,
  ['--import', 'tsx', path.resolve(import.meta.dirname, 'api-process.ts')],
  {
    env: { ...process.env, PREFIX: prefix, BENCH_KEY: key },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  api.once('exit', (code) => reject(new Error(`the API process exited with ${code}`)));
  createInterface({ input: api.stdout }).once('line', (line) =>
    resolve((JSON.parse(line) as { url: string }).url),
  );
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

/** CPU time (user + system) a process has used so far, in ms; null when /proc cannot tell. */
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return null;
  }
}
const clockTicksPerSecond = 100;

async function elasticsearchPid(): Promise<number | undefined> {
  const info = await es.nodes.info({ metric: ['process'] });
  return Object.values(info.nodes)[0]?.process?.id;
}

async function elasticsearchMemory() {
  const stats = await es.nodes.stats({ metric: ['jvm', 'process'] });
  const node = Object.values(stats.nodes)[0];
  const pid = await elasticsearchPid();
  return {
    heapUsedMiB: Math.round((node?.jvm?.mem?.heap_used_in_bytes ?? 0) / 2 ** 20),
    heapMaxMiB: Math.round((node?.jvm?.mem?.heap_max_in_bytes ?? 0) / 2 ** 20),
    rssMiB: rssMiB(pid),
  };
}

interface Level {
  connections: number;
  /** `closed`: no pause between searches (saturation); `agents`: each client `ratePerClient` searches/s at random moments. */
  mode: 'closed' | 'agents';
  ratePerClient: number | null;
  requests: number;
  errors: number;
  non2xx: number;
  throughputPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** autocannon's own figures (closed loop only). */
  autocannonMs: { p50: number; p97_5: number; p99: number } | null;
  elasticsearchShare: number;
  medianTookMs: number;
  memoryMiB: {
    api: number | null;
    elasticsearch: Awaited<ReturnType<typeof elasticsearchMemory>>;
    loadGenerator: number;
  };
  /**
   * CPU time per request of each process (user + system over the level / requests): what a request
   * costs whatever else runs on the machine, unlike latencies, which other work inflates.
   */
  cpuMsPerRequest: { api: number | null; elasticsearch: number | null; loadGenerator: number };
  /** Elasticsearch's garbage collections during the level (pauses show in the tail). */
  elasticsearchGc: { young: { count: number; ms: number }; old: { count: number; ms: number } };
}

/** The next query of the mix: 6 of 10 are keystrokes of a typeahead, 4 are complete queries. */
let pick = 0;
function nextQuery(): string {
  pick++;
  return pick % 10 < 6
    ? typeahead[(pick * 7919) % typeahead.length]
    : full[(pick * 104729) % full.length];
}
const searchPath = (q: string) =>
  `/api/v1/customers/search?size=10&facets=false&q=${encodeURIComponent(q)}`;

interface Load {
  total: number;
  errors: number;
  non2xx: number;
  autocannonMs: Level['autocannonMs'];
}

/** Closed loop with autocannon: every client sends its next search the moment the last one answers. */
async function closedLoop(
  connections: number,
  latencies: number[],
  tooks: number[],
): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration,
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req, context) => {
          (context as { sentAt?: number }).sentAt = performance.now();
          return { ...req, path: searchPath(nextQuery()) };
        },
        onResponse: (status, body, context) => {
          latencies.push(performance.now() - ((context as { sentAt?: number }).sentAt ?? 0));
          if (status === 200) tooks.push((JSON.parse(body) as { tookMs: number }).tookMs);
        },
      },
    ],
  });
  return {
    total: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    autocannonMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
  };
}

/**
 * Agents at work (open model): each of `agents` sends searches at random moments, `rate` a second on
 * average (exponential gaps, so agents are not in step), without waiting for the answer before the next,
 * as a search box does while its agent types. autocannon's own rate limit sends every connection's
 * requests on the same tick, i.e. in bursts of all clients at once, which no call center does.
 * Latency counts from the moment a search was due, so a slow answer cannot hide the ones behind it.
 */
async function agentsAtWork(
  agents: number,
  rate: number,
  latencies: number[],
  tooks: number[],
): Promise<Load> {
  const base = new URL(url);
  const pool = new http.Agent({ keepAlive: true, maxSockets: agents * 2 });
  const load: Load = { total: 0, errors: 0, non2xx: 0, autocannonMs: null };
  const end = performance.now() + duration * 1000;
  const inFlight = new Set<Promise<void>>();
  const slowest: { ms: number; q: string; at: number }[] = [];
  const search = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const q = nextQuery();
      const req = http.get(
        {
          host: base.hostname,
          port: base.port,
          path: searchPath(q),
          agent: pool,
          headers: { authorization: `Bearer ${key}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ms = performance.now() - dueAt;
            latencies.push(ms);
            if (process.env.BENCH_SLOWEST)
              slowest.push({ ms: Math.round(ms), q, at: Math.round(dueAt) });
            load.total++;
            if (res.statusCode === 200)
              tooks.push(
                (JSON.parse(Buffer.concat(chunks).toString()) as { tookMs: number }).tookMs,
              );
            else load.non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        load.errors++;
        resolve();
      });
    });
  const agent = async () => {
    let dueAt = performance.now() + -Math.log(1 - Math.random()) * (1000 / rate);
    while (dueAt < end) {
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const request = search(dueAt);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      dueAt += -Math.log(1 - Math.random()) * (1000 / rate);
    }
  };
  await Promise.all(Array.from({ length: agents }, agent));
  await Promise.all(inFlight);
  pool.destroy();
  // BENCH_SLOWEST=1: the slowest searches with what was asked and when (ms since start), to tell slow queries from pauses.
  if (process.env.BENCH_SLOWEST) console.log(slowest.sort((a, b) => b.ms - a.ms).slice(0, 15));
  return load;
}

/** Elasticsearch's garbage collections so far: count and ms, young and old. */
async function elasticsearchGc() {
  const stats = await es.nodes.stats({ metric: ['jvm'] });
  const collectors = Object.values(stats.nodes)[0]?.jvm?.gc?.collectors ?? {};
  const of = (name: string) => ({
    count: collectors[name]?.collection_count ?? 0,
    ms: collectors[name]?.collection_time_in_millis ?? 0,
  });
  return { young: of('young'), old: of('old') };
}

async function runLevel(connections: number, ratePerClient: number | null): Promise<Level> {
  const latencies: number[] = [];
  const tooks: number[] = [];
  const gcBefore = await elasticsearchGc();
  const esPid = await elasticsearchPid();
  const cpuBefore = {
    api: cpuMs(api.pid),
    elasticsearch: cpuMs(esPid),
    loadGenerator: process.cpuUsage(),
  };
  const result = ratePerClient
    ? await agentsAtWork(connections, ratePerClient, latencies, tooks)
    : await closedLoop(connections, latencies, tooks);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const requests = Math.max(result.total, 1);
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null ? null : round((after - before) / requests, 2);
  const generator = process.cpuUsage(cpuBefore.loadGenerator);
  const cpuMsPerRequest = {
    api: perRequest(cpuBefore.api, cpuMs(api.pid)),
    elasticsearch: perRequest(cpuBefore.elasticsearch, cpuMs(esPid)),
    loadGenerator: round((generator.user + generator.system) / 1000 / requests, 2),
  };
  return {
    connections,
    mode: ratePerClient ? 'agents' : 'closed',
    ratePerClient,
    requests: result.total,
    errors: result.errors,
    non2xx: result.non2xx,
    throughputPerSec: round(result.total / duration, 1),
    latencyMs: {
      p50: round(median(latencies), 1),
      p95: round(percentile(latencies, 95), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(Math.max(...latencies), 1),
    },
    autocannonMs: result.autocannonMs,
    elasticsearchShare: round(sum(tooks) / Math.max(sum(latencies.slice(0, tooks.length)), 1)),
    medianTookMs: median(tooks),
    memoryMiB: {
      api: rssMiB(api.pid),
      elasticsearch: await elasticsearchMemory(),
      loadGenerator: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    cpuMsPerRequest,
    elasticsearchGc: await elasticsearchGc().then((after) => ({
      young: {
        count: after.young.count - gcBefore.young.count,
        ms: after.young.ms - gcBefore.young.ms,
      },
      old: { count: after.old.count - gcBefore.old.count, ms: after.old.ms - gcBefore.old.ms },
    })),
  };
}

const results: Level[] = [];
const loadAtStart = os.loadavg().map((x) => round(x, 2));
try {
  console.log(
    `${count} customers indexed; ${typeahead.length} typeahead and ${full.length} full queries; ${duration} s per level`,
  );
  // Warm-up: caches and JIT, not measured.
  await autocannon({
    url: `${url}/api/v1/customers/search?q=${encodeURIComponent(full[0])}`,
    connections: 4,
    duration: 3,
    headers: { authorization: `Bearer ${key}` },
  });
  const runs = [
    ...levels.map((c) => [c, null] as const),
    ...(agentRate > 0 ? levels.map((c) => [c, agentRate] as const) : []),
  ];
  for (const [connections, rate] of runs) {
    const level = await runLevel(connections, rate);
    results.push(level);
    const label = rate ? `agents at ${rate}/s` : 'clients, closed loop';
    console.log(
      `${String(connections).padStart(3)} ${label}: ${level.throughputPerSec} req/s, p50 ${level.latencyMs.p50} ms, p95 ${level.latencyMs.p95} ms, p99 ${level.latencyMs.p99} ms, ` +
        `ES share ${(level.elasticsearchShare * 100).toFixed(0)} %, errors ${level.errors}, non-2xx ${level.non2xx}; ` +
        `CPU ms/request API ${level.cpuMsPerRequest.api}, ES ${level.cpuMsPerRequest.elasticsearch}, load generator ${level.cpuMsPerRequest.loadGenerator}; ` +
        `RSS API ${level.memoryMiB.api} MiB, ES ${level.memoryMiB.elasticsearch.rssMiB} MiB (heap ${level.memoryMiB.elasticsearch.heapUsedMiB}/${level.memoryMiB.elasticsearch.heapMaxMiB}), load generator ${level.memoryMiB.loadGenerator} MiB`,
    );
  }
  const file = writeResults('lookup', {
    customers: count,
    dataPath: values.prefix
      ? 'reused index'
      : 'folded demo profiles bulk-written straight into the customers index (not through ingest)',
    demoNow: now.toISOString(),
    loadSeconds: round(loadSeconds, 1),
    loadParts,
    durationPerLevelSec: duration,
    agentRatePerClient: agentRate,
    mix: '60 % typeahead prefixes of names, 40 % full queries (names, name + city, phones in another writing, emails, customer and order numbers); size=10 and facets=false, as the search box asks',
    note: 'latency measured per request from send to full body (agents: from the moment the search was due); ES share = sum(tookMs) / sum(round trip); API, Elasticsearch and the load generator share the same cores with whatever else runs (see loadAverage)',
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((x) => round(x, 2)) },
    levels: results,
  });
  console.log(`Results: ${file}`);
} finally {
  api.kill('SIGTERM');
  if (!keep) {
    const indices = Object.keys(
      await es.indices.get({ index: `${prefix}-*`, allow_no_indices: true }),
    );
    if (indices.length > 0) await es.indices.delete({ index: indices });
  } else console.log(`Kept indices under prefix ${prefix}`);
  await es.close();
}
process.exit(0);
