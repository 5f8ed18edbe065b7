/**
 * bench:freshness — how long from `POST /api/v1/touchpoints` until the change
 * is visible, while a steady background load of demo touchpoints arrives.
 *
 * Background: demo touchpoints (new customers, as the generator writes them)
 * posted in batches every 100 ms at `--rate` per second. Probes, one every
 * `--probe-ms`, alternating:
 * - search: a touchpoint of a new customer with a unique name; the time until
 *   `GET /customers/search?q=<name>` finds it;
 * - profile: an order for an existing probe customer; the time until
 *   `GET /customers/{id}` lists that order.
 * Polls every 50 ms, at most 4 probes in flight. Figures go to bench/results/freshness-<date>.json.
 *
 * Where the time goes: every ingest job (BullMQ wait, then suppression check,
 * identity resolution, touchpoint write, marking dirty) and every rebuild
 * batch (dirty wait, claim, redirects, touchpoint refresh, read, fold, write,
 * refresh to searchable, segments, release) is timed and summarized under
 * `stages` (p50/p99 ms per step), with the explicit refreshes sent.
 *
 * The same load runs `--warmup` seconds first, unmeasured: a freshly started
 * Elasticsearch spends its first minutes compiling its hot code, and its p99
 * falls run after run until it is warm (figures in bench/README.md); a node
 * that runs Panorama all day is the warm one.
 *
 *   npm run bench:freshness -- [--rate 500] [--seconds 60] [--warmup 180] [--probe-ms 500] [--indexers 1] [--ingest-concurrency 4] [--rebuild-concurrency 4]
 *
 * API, indexer and load run in this one process (like `npm start` on one
 * machine), against ELASTICSEARCH_URL / REDIS_URL (default: the dev services).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Touchpoint } from '../../domain/src/contract';
import { indexerDefaults } from '../../indexers/src/config';
import { generateDemo } from '../../scripts/demo/generate';
import { recordSteps } from '../../infra/src/step-timer';
import { startBenchPanorama } from '../support/bench-panorama';
import { median, percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    /** Load before measuring: a fresh Elasticsearch spends its first minutes compiling (JIT), which would count as pipeline time. */
    warmup: { type: 'string', default: '180' },
    'probe-ms': { type: 'string', default: '500' },
    indexers: { type: 'string', default: '1' },
    // Default: the production defaults of indexers/src/config.ts.
    'ingest-concurrency': { type: 'string', default: String(indexerDefaults.ingestConcurrency) },
    'rebuild-concurrency': { type: 'string', default: String(indexerDefaults.rebuildConcurrency) },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const probeMs = Number(values['probe-ms']);
const maxInFlight = 4;

const ingestConcurrency = Number(values['ingest-concurrency']);
const rebuildConcurrency = Number(values['rebuild-concurrency']);
// Per-step timings of the pipeline, collected while the benchmark runs.
const jobSteps = new Map<string, number[]>();
const esCalls = new Map<string, { calls: number; ms: number }>();
const batchSteps = new Map<string, number[]>();
const record = (into: Map<string, number[]>, fields: Record<string, number>) => {
  for (const [name, ms] of Object.entries(fields)) {
    const list = into.get(name) ?? [];
    list.push(ms);
    into.set(name, list);
  }
};
const p = await startBenchPanorama({
  indexers: Number(values.indexers),
  ingestConcurrency,
  rebuildConcurrency,
  stepTimers: {
    ingestJob: recordSteps((steps) => record(jobSteps, steps)),
    rebuildBatch: recordSteps((steps) => record(batchSteps, steps)),
  },
});
for (const indexer of p.indexers) {
  // BullMQ's own times of every job: waiting in the queue, then processing.
  indexer.worker.on('completed', (job) => {
    record(jobSteps, {
      waitMs: (job.processedOn ?? 0) - job.timestamp,
      processMs: (job.finishedOn ?? Date.now()) - (job.processedOn ?? 0),
    });
  });
  // Every Elasticsearch request of the indexer, by kind (`POST _bulk`, `POST <index>/_mget`, …): count and time.
  const pending = new Map<unknown, number>();
  indexer.ctx.es.diagnostic.on(
    'request',
    (_error, event) => void pending.set(event?.meta.request.id, performance.now()),
  );
  indexer.ctx.es.diagnostic.on('response', (_error, event) => {
    const params = event?.meta.request.params;
    if (!params) return;
    const startedAt = pending.get(event.meta.request.id);
    pending.delete(event.meta.request.id);
    const kind = `${params.method} ${params.path.replaceAll(`${p.prefix}-`, '').replace(/^(\/[^_/][^/]*\/_[a-z]+)\/.*/, '$1/<id>')}`;
    const stat = esCalls.get(kind) ?? { calls: 0, ms: 0 };
    stat.calls++;
    stat.ms += startedAt === undefined ? 0 : performance.now() - startedAt;
    esCalls.set(kind, stat);
  });
}
/** CPU time of the Elasticsearch node(s) so far (ms). */
async function elasticsearchCpuMs(): Promise<number> {
  const stats = await p.indexers[0].ctx.es.nodes.stats({ metric: 'process' });
  return Object.values(stats.nodes).reduce(
    (sum, node) => sum + (node.process?.cpu?.total_in_millis ?? 0),
    0,
  );
}
const stageSummary = (steps: Map<string, number[]>) =>
  Object.fromEntries(
    [...steps].map(([name, xs]) => [
      name,
      {
        p50: round(median(xs), 0),
        p99: round(percentile(xs, 99), 0),
        mean: round(xs.reduce((a, b) => a + b, 0) / xs.length, 0),
      },
    ]),
  );
const run = randomBytes(3).toString('hex');
const demo = generateDemo({ customers: 1_000_000, seed: 7 });
const tickMs = 100;
const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
let sent = 0;
let rejected = 0;
let postErrors = 0;
let running = true;

async function background(): Promise<void> {
  const started = performance.now();
  let tick = 0;
  while (running) {
    const batch: Touchpoint[] = [];
    for (let i = 0; i < perTick; i++) batch.push(demo.next().value!.touchpoint);
    void p
      .post('/api/v1/touchpoints', batch)
      .then((res) => {
        if (res.status === 202) {
          sent += res.body.accepted;
          rejected += res.body.rejected.length;
        } else postErrors++;
      })
      .catch(() => postErrors++);
    tick++;
    const wait = started + tick * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const searchMs: number[] = [];
const profileMs: number[] = [];
let timeouts = 0;
const probeCustomers: { id: string; email: string }[] = [];

async function until(check: () => Promise<boolean>, limitMs = 30_000): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

async function probeSearch(n: number): Promise<void> {
  // A made-up surname no demo person has, unique per probe.
  const surname = `Zq${run}x${n.toString(36)}`;
  const email = `probe-${run}-${n}@bench.example`;
  const started = performance.now();
  await p.post('/api/v1/touchpoints', [
    {
      source: 'benchprobe',
      id: `c-${run}-${n}`,
      type: 'profile',
      occurredAt: new Date().toISOString(),
      customer: { email, firstName: 'Probe', lastName: surname },
      data: {},
    },
  ]);
  let id: string | null = null;
  const took = await until(async () => {
    // Fuzzy matching also finds earlier probes (their surnames differ by a letter or two): only this one counts.
    const res = await p.get(
      `/api/v1/customers/search?facets=false&size=5&q=${encodeURIComponent(surname)}`,
    );
    id =
      (res.body?.items ?? []).find(
        (i: { id: string; name: string }) => i.name === `Probe ${surname}`,
      )?.id ?? null;
    return id !== null;
  });
  if (took === null || !id) return void timeouts++;
  searchMs.push(performance.now() - started);
  probeCustomers.push({ id, email });
}

async function probeProfile(n: number): Promise<void> {
  // A customer an earlier search probe found: an update, not a new customer.
  const customer = probeCustomers[Math.floor(n / 2) % Math.max(probeCustomers.length, 1)];
  if (!customer) return;
  const orderNumber = `PB-${run}-${n}`;
  const started = performance.now();
  await p.post('/api/v1/touchpoints', [
    {
      source: 'benchprobe',
      id: orderNumber,
      type: 'order',
      occurredAt: new Date().toISOString(),
      customer: { email: customer.email },
      data: { orderNumber, total: 10, currency: 'EUR' },
    },
  ]);
  let last = '';
  const took = await until(async () => {
    const res = await p.get(`/api/v1/customers/${customer.id}`);
    last = `${res.status} ${JSON.stringify(res.body?.recentOrders?.map((o: { orderNumber: string }) => o.orderNumber) ?? res.body).slice(0, 200)}`;
    return (res.body?.recentOrders ?? []).some(
      (o: { orderNumber: string }) => o.orderNumber === orderNumber,
    );
  });
  if (took === null) {
    if (timeouts === 0)
      console.log(`profile probe ${orderNumber} not visible after 30 s; last answer ${last}`);
    return void timeouts++;
  }
  profileMs.push(performance.now() - started);
}

try {
  const load = background();
  if (warmupSeconds > 0) {
    console.log(`Warm-up: ${rate} touchpoints/s for ${warmupSeconds} s, not measured …`);
    await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
    for (const steps of [jobSteps, batchSteps, esCalls]) steps.clear();
  }
  const sentBefore = sent;
  const refreshesBefore = p.indexers.map((i) => i.rebuild.refreshes());
  const rejectedBefore = rejected;
  console.log(
    `Background load ${rate} touchpoints/s for ${seconds} s (prefix ${p.prefix}); a probe every ${probeMs} ms …`,
  );
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  // CPU spent per touchpoint, a figure that depends far less on the neighbours than latency does.
  const esCpuBefore = await elasticsearchCpuMs();
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  let n = 0;
  // Probes run side by side, one started every probeMs, so a slow one does not delay the next; at most
  // `maxInFlight`, because each polls every 50 ms and dozens of pollers would be a load of their own.
  const probes: Promise<void>[] = [];
  let inFlight = 0;
  let skipped = 0;
  while (Date.now() - started < seconds * 1000) {
    const next = Date.now() + probeMs;
    if (inFlight < maxInFlight) {
      inFlight++;
      probes.push((n % 2 === 0 ? probeSearch(n) : probeProfile(n)).finally(() => inFlight--));
    } else skipped++;
    n++;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  running = false;
  await load;
  await Promise.all(probes);
  const elapsed = (Date.now() - started) / 1000;
  const measured = sent - sentBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const esCpuMs = (await elasticsearchCpuMs()) - esCpuBefore;
  const status = (await p.get('/api/v1/ingest/status')).body;
  const batches = batchSteps.get('customers')?.length ?? 0;
  const stages = {
    ingestJobs: { jobs: jobSteps.get('waitMs')?.length ?? 0, ...stageSummary(jobSteps) },
    rebuildBatches: { batches, ...stageSummary(batchSteps) },
    explicitRefreshes: p.indexers.map((i, n) => {
      const now = i.rebuild.refreshes();
      return {
        touchpoints: now.touchpoints - refreshesBefore[n].touchpoints,
        customers: now.customers - refreshesBefore[n].customers,
      };
    }),
    indexerElasticsearchCalls: Object.fromEntries(
      [...esCalls]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([kind, { calls, ms }]) => [
          kind,
          {
            calls,
            meanMs: round(ms / calls, 0),
            perThousandTouchpoints: round((calls / Math.max(measured, 1)) * 1000, 1),
          },
        ]),
    ),
  };
  const summary = (xs: number[]) => ({
    probes: xs.length,
    p50: round(median(xs), 0),
    p99: round(percentile(xs, 99), 0),
    max: round(Math.max(...xs), 0),
  });
  const results = {
    targetRatePerSec: rate,
    indexer: {
      processes: p.indexers.length,
      ingestConcurrency,
      rebuildConcurrency,
      rebuildBatch: indexerDefaults.rebuildBatch,
    },
    achievedRatePerSec: round(measured / elapsed, 1),
    seconds: round(elapsed, 1),
    warmupSeconds,
    touchpointsAccepted: measured,
    rejected: rejected - rejectedBefore,
    postErrors,
    backlogAtEnd: status,
    visibleInSearchMs: summary(searchMs),
    visibleInProfileMs: summary(profileMs),
    probeTimeouts: timeouts,
    probesSkippedWhileFourInFlight: skipped,
    stages,
    cpuMsPerThousandTouchpoints: {
      elasticsearch: round((esCpuMs / Math.max(measured, 1)) * 1000, 0),
      panoramaProcess: round(((cpu.user + cpu.system) / 1000 / Math.max(measured, 1)) * 1000, 0),
      note: 'CPU time while the load ran (Elasticsearch: node stats; this process: API, indexer, load generator and probes) per 1,000 touchpoints accepted',
    },
    // The machine is shared: compare runs only at similar load (1, 5, 15 min averages of `uptime`).
    loadAverage: { atStart: loadBefore, atEnd: os.loadavg().map((x) => round(x, 2)) },
    note: 'time from sending the POST until the change is visible (includes the POST itself); polls every 50 ms, at most 4 probes in flight; API, indexer and load generator in one process on the shared 2 cores',
  };
  console.log(
    `accepted ${measured} (${results.achievedRatePerSec}/s); visible in search p50 ${results.visibleInSearchMs.p50} ms, p99 ${results.visibleInSearchMs.p99} ms; ` +
      `in the profile p50 ${results.visibleInProfileMs.p50} ms, p99 ${results.visibleInProfileMs.p99} ms; timeouts ${timeouts}; backlog ${JSON.stringify(status)}`,
  );
  console.log(
    `CPU ms per 1,000 touchpoints ${JSON.stringify(results.cpuMsPerThousandTouchpoints)}; load average ${JSON.stringify(results.loadAverage)}`,
  );
  console.log(`ingest jobs ${JSON.stringify(stages.ingestJobs)}`);
  console.log(
    `rebuild batches ${JSON.stringify(stages.rebuildBatches)}; refreshes ${JSON.stringify(stages.explicitRefreshes)}`,
  );
  console.log(`indexer → Elasticsearch ${JSON.stringify(stages.indexerElasticsearchCalls)}`);
  console.log(`Results: ${writeResults('freshness', results)}`);
} finally {
  running = false;
  await p.close();
}
process.exit(0);
