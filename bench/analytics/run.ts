/**
 * `npm run bench:analytics`: dashboard panels, facet-explorer requests, a
 * full CSV export and a full daily snapshot over a synthetic customer base.
 *
 * Profiles and touchpoints are bulk-written directly (not folded through the
 * ingest path, which bench:ingest measures): what is measured here is the
 * read side over documents of the real mappings.
 *
 * Sizes: BENCH_CUSTOMERS (default 50,000) and BENCH_TOUCHPOINTS_PER_CUSTOMER
 * (default 10); the target is 1,000,000 / 10,000,000, which needs a
 * bigger machine than the shared 2-core one the defaults are made for.
 * BENCH_RUNS (default 30) requests per measured request, BENCH_EXPORT_RUNS (default 3)
 * full exports, BENCH_FORCEMERGE=1 merges the indices before measuring.
 */
import type { Client } from '@elastic/elasticsearch';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames, queueNames } from '../../infra/src/names';
import type { IndexerContext } from '../../indexers/src/context';
import { takeSnapshot } from '../../indexers/src/snapshots/take-snapshot';
import { dashboardSearches } from '../../server/src/analytics/dashboard-panels';
import { startBenchPanorama } from '../support/bench-panorama';
import { median, percentile, round, writeResults } from '../support/results';

const customers = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const perCustomer = Number(process.env.BENCH_TOUCHPOINTS_PER_CUSTOMER ?? 10);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const exportRunCount = Number(process.env.BENCH_EXPORT_RUNS ?? 3);

const segments = ['Basic', 'Standard', 'Premium', 'VIP', 'Business'];
const products = ['Router', 'TV', 'Mobile S', 'Mobile L', 'Fibre 100', 'Fibre 500', 'Insurance', 'Cloud'];
const cities = ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt', 'Stuttgart', 'Leipzig', 'Dresden', 'Bonn', 'Wien', 'Zürich'];
const channels = ['phone', 'email', 'chat', 'web', 'store', 'app'];
const priorities = ['low', 'normal', 'high', 'urgent'];

/** A small deterministic generator: the same base every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const dayMs = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function customerDoc(i: number, r: () => number) {
  const now = Date.now();
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const held = products.filter(() => r() < 0.25);
  const orders = Math.floor(r() * 12);
  const ltv = Math.round(r() * 3000 * 100) / 100;
  const openTickets = r() < 0.1 ? 1 + Math.floor(r() * 2) : 0;
  const hasContract = r() < 0.4;
  const consents = [r() < 0.5 ? ['email', 'email:newsletter'] : [], r() < 0.3 ? ['sms'] : []].flat();
  return {
    id: `b${i}`,
    name: `Kunde ${i}`,
    segment: pick(segments),
    segments: r() < 0.2 ? ['High value'] : [],
    status: 'active',
    language: r() < 0.8 ? 'de' : 'en',
    tags: [],
    address: { city: pick(cities), country: 'DE', postalCode: String(10000 + Math.floor(r() * 89999)) },
    customerNumbers: [`K-${i}`],
    emails: [{ value: `kunde${i}@example.de`, current: true }],
    phones: [],
    channels: channels.filter(() => r() < 0.4),
    products: held,
    categories: [],
    preferredSalesChannel: pick(['web', 'store', 'phone', 'app']),
    consentGranted: consents,
    openTicketPriorities: openTickets ? [pick(priorities)] : [],
    openTickets: Array.from({ length: openTickets }, (_, k) => ({ ticketNumber: `T-${i}-${k}`, status: 'open', priority: pick(priorities), complaint: r() < 0.3, openedAt: iso(now - r() * 60 * dayMs) })),
    kpis: {
      lifetimeValue: ltv,
      orderCount: orders,
      averageOrderValue: orders ? ltv / orders : null,
      lastOrderAt: orders ? iso(now - r() * 365 * dayMs) : null,
      returnCount: Math.floor(r() * 2),
      openTickets,
      complaints12m: r() < 0.05 ? 1 : 0,
      activeContracts: hasContract ? 1 : 0,
      nextContractEnd: hasContract ? iso(now + r() * 720 * dayMs).slice(0, 10) : null,
      monthlyRevenue: hasContract ? Math.round(r() * 80) : 0,
      cancellations12m: r() < 0.03 ? 1 : 0,
      lastNps: r() < 0.3 ? Math.floor(r() * 11) : null,
      lastCsat: r() < 0.3 ? 1 + Math.floor(r() * 5) : null,
      touchpointCount: perCustomer,
      lastContactAt: iso(now - r() * 90 * dayMs),
    },
    firstSeenAt: iso(now - (365 + r() * 1000) * dayMs),
    lastSeenAt: iso(now - r() * 90 * dayMs),
    updatedAt: iso(now),
    search: { names: [`kunde ${i}`], numbers: [`k${i}`] },
  };
}

function touchpointDoc(customer: number, k: number, r: () => number) {
  const now = Date.now();
  const types = ['order', 'ticket', 'email', 'call', 'survey', 'contract', 'web_session', 'campaign_response'];
  const type = types[Math.floor(r() * types.length)];
  const occurredAt = iso(now - r() * 90 * dayMs);
  const facts: Record<string, unknown> = {};
  let channel: string | null = null;
  let direction: string | null = null;
  if (type === 'order') Object.assign(facts, { amount: Math.round(r() * 300), currency: 'EUR', status: r() < 0.08 ? 'returned' : 'delivered', salesChannel: ['web', 'store', 'phone', 'app'][Math.floor(r() * 4)] });
  if (type === 'ticket') Object.assign(facts, { status: 'open', priority: priorities[Math.floor(r() * 4)], complaint: r() < 0.2 });
  if (type === 'survey') Object.assign(facts, { surveyKind: r() < 0.5 ? 'nps' : 'csat', score: Math.floor(r() * 11) });
  if (type === 'contract') Object.assign(facts, { status: r() < 0.1 ? 'cancelled' : 'active', amount: 30 });
  if (type === 'call') {
    channel = 'phone';
    direction = r() < 0.7 ? 'inbound' : 'outbound';
  }
  if (type === 'email') {
    channel = 'email';
    direction = 'inbound';
  }
  if (type === 'ticket') channel = ['phone', 'email', 'chat', 'web'][Math.floor(r() * 4)];
  const key = `bench:${customer}-${k}`;
  return { key, source: 'bench', id: `${customer}-${k}`, type, occurredAt, customerId: `b${customer}`, identityKeys: [], channel, direction, indexedAt: occurredAt, deleted: false, facts, data: {} };
}

async function bulkLoad(es: Client, index: string, total: number, make: (i: number) => object, label: string) {
  const started = Date.now();
  const batch = 2_000;
  for (let from = 0; from < total; from += batch) {
    const operations: object[] = [];
    for (let i = from; i < Math.min(total, from + batch); i++) {
      const doc = make(i) as { id?: string; key?: string };
      operations.push({ index: { _index: index, _id: doc.key ?? doc.id } }, doc);
    }
    const result = await es.bulk({ operations });
    if (result.errors) throw new Error(`bulk load of ${label} failed: ${JSON.stringify(result.items.find((i) => i.index?.error)?.index?.error)}`);
    if ((from / batch) % 25 === 0) process.stdout.write(`\r  ${label}: ${Math.min(total, from + batch).toLocaleString('en')} / ${total.toLocaleString('en')}`);
  }
  process.stdout.write(`\r  ${label}: ${total.toLocaleString('en')} in ${round((Date.now() - started) / 1000, 1)} s\n`);
}

async function measure(label: string, fn: () => Promise<unknown>): Promise<{ label: string; p50: number; p95: number; runs: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const result = { label, p50: round(median(times), 1), p95: round(percentile(times, 95), 1), runs };
  console.log(`  ${label.padEnd(58)} p50 ${String(result.p50).padStart(7)} ms   p95 ${String(result.p95).padStart(7)} ms`);
  return result;
}

async function main() {
  const p = await startBenchPanorama({ withIndexer: false });
  const es = createElasticsearch(p.elasticsearchUrl);
  const names = indexNames(p.prefix);
  try {
    console.log(`bench:analytics — ${customers.toLocaleString('en')} customers, ${(customers * perCustomer).toLocaleString('en')} touchpoints (prefix ${p.prefix})`);
    for (const index of [names.customers, names.touchpoints]) await es.indices.putSettings({ index, settings: { refresh_interval: '-1' } });
    const r1 = rng(42);
    await bulkLoad(es, names.customers, customers, (i) => customerDoc(i, r1), 'customers');
    const r2 = rng(7);
    await bulkLoad(es, names.touchpoints, customers * perCustomer, (i) => touchpointDoc(Math.floor(i / perCustomer), i % perCustomer, r2), 'touchpoints');
    for (const index of [names.customers, names.touchpoints]) {
      await es.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
      await es.indices.refresh({ index });
      // Optional: a merged index is faster than one just written; off by default so figures are not flattered.
      if (process.env.BENCH_FORCEMERGE === '1') await es.indices.forcemerge({ index, max_num_segments: 1 }).catch(() => {});
    }

    console.log('dashboard panels (all panels of one range are one _msearch):');
    const panels = [];
    for (const range of ['24h', '7d', '30d', '365d']) panels.push(await measure(`dashboard range=${range}`, () => p.get(`/api/v1/analytics/dashboard?range=${range}`)));

    console.log('each panel alone (range 30d; one aggregation per search, straight to Elasticsearch):');
    const perPanel = [];
    const searches = dashboardSearches('30d');
    for (const [target, request] of Object.entries(searches)) {
      const index = target === 'customers' ? names.customers : names.touchpoints;
      for (const [agg, body] of Object.entries(request.aggs ?? {})) {
        perPanel.push(await measure(`panel ${target}.${agg}`, () => es.search({ ...request, index, aggs: { [agg]: body } })));
      }
    }

    console.log('facet explorer requests:');
    const facetAggs = {
      segment: { type: 'terms', field: 'segment' },
      city: { type: 'terms', field: 'address.city' },
      products: { type: 'terms', field: 'products' },
      channels: { type: 'terms', field: 'channels' },
      consent: { type: 'terms', field: 'consentGranted' },
      ltv: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 250 },
      lastOrder: { type: 'dateHistogram', field: 'kpis.lastOrderAt', interval: 'month' },
      ltvStats: { type: 'stats', field: 'kpis.lifetimeValue' },
    };
    const page = { size: 50, sort: [{ field: 'kpis.lifetimeValue', order: 'desc' }], columns: ['name', 'customerNumber', 'address.city', 'segment', 'kpis.lifetimeValue'] };
    const notFilter = { kind: 'and', filters: [{ kind: 'terms', field: 'products', values: ['Router'] }, { kind: 'not', filter: { kind: 'terms', field: 'products', values: ['TV'] } }] };
    const contractFilter = { kind: 'and', filters: [{ kind: 'dateRange', field: 'kpis.nextContractEnd', from: { days: 0 }, to: { days: 60 } }, { kind: 'not', filter: { kind: 'terms', field: 'consentGranted', values: ['email'] } }] };
    const ltvFilter = { kind: 'and', filters: [{ kind: 'range', field: 'kpis.lifetimeValue', gt: 1000 }, { kind: 'terms', field: 'segment', values: ['Premium'] }] };
    const facets = [
      await measure('all facets, no filter, first page', () => p.post('/api/v1/analytics/query', { aggs: facetAggs, page })),
      await measure('all facets, "product A and not B", first page', () => p.post('/api/v1/analytics/query', { filter: notFilter, aggs: facetAggs, page })),
      await measure('all facets, "contract ends ≤60 d and no email consent"', () => p.post('/api/v1/analytics/query', { filter: contractFilter, aggs: facetAggs, page })),
      await measure('all facets, "LTV > 1,000 in segment Premium"', () => p.post('/api/v1/analytics/query', { filter: ltvFilter, aggs: facetAggs, page })),
      await measure('count only while editing (no aggs, no rows)', () => p.post('/api/v1/analytics/query', { filter: notFilter })),
      await measure('nested: segment → city → ltv percentiles', () =>
        p.post('/api/v1/analytics/query', { aggs: { s: { type: 'terms', field: 'segment', aggs: { c: { type: 'terms', field: 'address.city', aggs: { p: { type: 'percentiles', field: 'kpis.lifetimeValue' } } } } } } }),
      ),
    ];

    console.log('full CSV export:');
    const exportRuns: number[] = [];
    let rows = 0;
    for (let i = 0; i < exportRunCount; i++) {
      const t = performance.now();
      const res = await fetch(`${p.url}/api/v1/exports/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ columns: ['id', 'name', 'email', 'customerNumber', 'address.city', 'segment', 'products', 'kpis.lifetimeValue'] }),
      });
      const text = await res.text();
      rows = text.split('\r\n').length - 2;
      exportRuns.push(performance.now() - t);
    }
    const exportResult = { rows, runs: exportRunCount, p50Ms: round(median(exportRuns), 0), rowsPerSecond: Math.round(rows / (median(exportRuns) / 1000)) };
    console.log(`  ${rows.toLocaleString('en')} rows: median ${exportResult.p50Ms} ms (${exportResult.rowsPerSecond.toLocaleString('en')} rows/s)`);

    console.log('full daily snapshot:');
    const ctx: IndexerContext = { es, redis: null as unknown as IndexerContext['redis'], names, queues: queueNames(p.prefix), log: () => {} } as IndexerContext;
    const snapshot = await takeSnapshot(ctx);
    const perMillionMin = round((snapshot.ms / snapshot.customers) * 1_000_000 / 60_000, 1);
    console.log(`  ${snapshot.customers.toLocaleString('en')} profiles in ${round(snapshot.ms / 1000, 1)} s (≈ ${perMillionMin} min per 1,000,000 at this rate)`);

    const file = writeResults('analytics', {
      sizes: { customers, touchpoints: customers * perCustomer, runsPerRequest: runs },
      note: 'Synthetic profiles and touchpoints bulk-written with the real mappings; requests over HTTP to the API in the same process; Elasticsearch on the same shared 2-core machine.',
      panels,
      perPanel,
      facets,
      export: exportResult,
      snapshot: { customers: snapshot.customers, ms: snapshot.ms, extrapolatedMinutesPerMillion: perMillionMin },
    });
    console.log(`results: ${file}`);
  } finally {
    await es.close();
    await p.close({ keep: process.env.BENCH_KEEP === '1' });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
