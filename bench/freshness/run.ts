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
 *   npm run bench:freshness -- [--rate 500] [--seconds 60] [--probe-ms 500] [--indexers 1]
 *
 * API, indexer and load run in this one process (like `npm start` on one
 * machine), against ELASTICSEARCH_URL / REDIS_URL (default: the dev services).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { Touchpoint } from '../../domain/src/contract';
import { generateDemo } from '../../scripts/demo/generate';
import { startBenchPanorama } from '../support/bench-panorama';
import { median, percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    'probe-ms': { type: 'string', default: '500' },
    indexers: { type: 'string', default: '1' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const probeMs = Number(values['probe-ms']);
const maxInFlight = 4;

const p = await startBenchPanorama({ indexers: Number(values.indexers) });
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
    { source: 'benchprobe', id: `c-${run}-${n}`, type: 'profile', occurredAt: new Date().toISOString(), customer: { email, firstName: 'Probe', lastName: surname }, data: {} },
  ]);
  let id: string | null = null;
  const took = await until(async () => {
    // Fuzzy matching also finds earlier probes (their surnames differ by a letter or two): only this one counts.
    const res = await p.get(`/api/v1/customers/search?facets=false&size=5&q=${encodeURIComponent(surname)}`);
    id = (res.body?.items ?? []).find((i: { id: string; name: string }) => i.name === `Probe ${surname}`)?.id ?? null;
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
    { source: 'benchprobe', id: orderNumber, type: 'order', occurredAt: new Date().toISOString(), customer: { email: customer.email }, data: { orderNumber, total: 10, currency: 'EUR' } },
  ]);
  let last = '';
  const took = await until(async () => {
    const res = await p.get(`/api/v1/customers/${customer.id}`);
    last = `${res.status} ${JSON.stringify(res.body?.recentOrders?.map((o: { orderNumber: string }) => o.orderNumber) ?? res.body).slice(0, 200)}`;
    return (res.body?.recentOrders ?? []).some((o: { orderNumber: string }) => o.orderNumber === orderNumber);
  });
  if (took === null) {
    if (timeouts === 0) console.log(`profile probe ${orderNumber} not visible after 30 s; last answer ${last}`);
    return void timeouts++;
  }
  profileMs.push(performance.now() - started);
}

try {
  console.log(`Background load ${rate} touchpoints/s for ${seconds} s (prefix ${p.prefix}); a probe every ${probeMs} ms …`);
  const load = background();
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
  const status = (await p.get('/api/v1/ingest/status')).body;
  const summary = (xs: number[]) => ({ probes: xs.length, p50: round(median(xs), 0), p99: round(percentile(xs, 99), 0), max: round(Math.max(...xs), 0) });
  const results = {
    targetRatePerSec: rate,
    achievedRatePerSec: round(sent / elapsed, 1),
    seconds: round(elapsed, 1),
    touchpointsAccepted: sent,
    rejected,
    postErrors,
    backlogAtEnd: status,
    visibleInSearchMs: summary(searchMs),
    visibleInProfileMs: summary(profileMs),
    probeTimeouts: timeouts,
    probesSkippedWhileFourInFlight: skipped,
    note: 'time from sending the POST until the change is visible (includes the POST itself); polls every 50 ms, at most 4 probes in flight; API, indexer and load generator in one process on the shared 2 cores',
  };
  console.log(
    `accepted ${sent} (${results.achievedRatePerSec}/s); visible in search p50 ${results.visibleInSearchMs.p50} ms, p99 ${results.visibleInSearchMs.p99} ms; ` +
      `in the profile p50 ${results.visibleInProfileMs.p50} ms, p99 ${results.visibleInProfileMs.p99} ms; timeouts ${timeouts}; backlog ${JSON.stringify(status)}`,
  );
  console.log(`Results: ${writeResults('freshness', results)}`);
} finally {
  running = false;
  await p.close();
}
process.exit(0);
