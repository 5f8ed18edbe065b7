/**
 * `npm run bench:audit`: what the audit trail costs a lookup.
 *
 * One data set, two API servers on it in this process: one records every
 * profile view and search in the audit trail (the default: the answer waits
 * for the entry's XADD to the Redis audit stream, a flusher writes the stream
 * to Elasticsearch), the other has auditing switched off. Rounds alternate between them (ABAB…)
 * so drift of the shared machine hits both alike. Reports median, p95 and p99
 * latency per server and the ratios, sequential and at concurrency 8, and
 * the latency of one awaited record() on its own.
 *
 * Sizes (env): BENCH_AUDIT_CUSTOMERS (default 1,000), BENCH_AUDIT_LOOKUPS
 * lookups per round and server (default 500), BENCH_AUDIT_ROUNDS (default 6).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { AuditTrail } from '../../server/src/privacy/audit-trail';
import { startServer } from '../../server/src/server';
import { startBenchPanorama } from '../support/bench-panorama';
import { median, percentile, round, writeResults } from '../support/results';

const customers = Number(process.env.BENCH_AUDIT_CUSTOMERS ?? 1_000);
const lookups = Number(process.env.BENCH_AUDIT_LOOKUPS ?? 500);
const rounds = Number(process.env.BENCH_AUDIT_ROUNDS ?? 6);

async function main(): Promise<void> {
  const loadAverageAtStart = os.loadavg().map((l) => round(l, 2));
  const p = await startBenchPanorama();
  console.log(`[bench:audit] prefix ${p.prefix}`);
  const key = `admin-off-${randomBytes(8).toString('hex')}`;
  const off = await startServer({
    elasticsearchUrl: p.elasticsearchUrl,
    redisUrl: p.redisUrl,
    indexPrefix: p.prefix,
    queuePrefix: p.prefix,
    port: 0,
    webDist: null,
    auth: {
      secret: randomBytes(32).toString('hex'),
      users: [],
      apiKeys: [{ role: 'admin', key }],
      tokenTtlMs: 3_600_000,
    },
    log: () => {},
    hardening: { apiPerMinute: 0 },
    audit: { enabled: false },
  });
  try {
    console.log(`[bench:audit] loading ${customers} customers …`);
    for (let i = 0; i < customers; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(customers, i + 500); j++) {
        const customer = {
          customerNumber: `B-${j}`,
          email: `bench.${j}@example.com`,
          firstName: `Vor${j}`,
          lastName: `Nach${j % 97}`,
          address: { city: ['Berlin', 'Köln', 'München'][j % 3] },
        };
        batch.push({
          source: 'shop',
          id: `O-${j}`,
          type: 'order',
          occurredAt: '2026-10-01T10:00:00Z',
          customer,
          data: { orderNumber: `O-${j}`, total: j % 300, currency: 'EUR' },
        });
        batch.push({
          source: 'helpdesk',
          id: `T-${j}`,
          type: 'ticket',
          occurredAt: '2026-10-02T10:00:00Z',
          customer,
          data: { ticketNumber: `T-${j}`, subject: 'Frage', status: 'open' },
        });
      }
      const res = await p.post('/api/v1/touchpoints', batch);
      if (res.status !== 202) throw new Error(`ingest failed: ${res.status}`);
    }
    await p.waitUntilIndexed();
    console.log(`[bench:audit] indexed (prefix ${p.prefix}); measuring …`);
    const ids: string[] = [];
    for (let from = 0; ids.length < customers && from < 9_900; from += 100) {
      const page = await p.get(`/api/v1/customers/search?size=100&from=${from}`);
      for (const item of page.body.items as { id: string }[]) ids.push(item.id);
      if (page.body.items.length < 100) break;
    }

    const servers = {
      audited: { url: p.url, key: p.key },
      unaudited: { url: off.url, key },
    };
    type Name = keyof typeof servers;
    const samples: Record<string, number[]> = {};
    const add = (label: string, ms: number) => (samples[label] ??= []).push(ms);

    const one = async (name: Name, route: string) => {
      const s = servers[name];
      const t0 = performance.now();
      const res = await fetch(`${s.url}${route}`, {
        headers: { authorization: `Bearer ${s.key}` },
      });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
      return ms;
    };
    const routes = (n: number, kind: 'profile' | 'search') =>
      Array.from({ length: n }, (_, i) =>
        kind === 'profile'
          ? `/api/v1/customers/${ids[(i * 7919) % ids.length]}`
          : `/api/v1/customers/search?q=${encodeURIComponent(`Nach${i % 97}`)}&size=20`,
      );

    // Warm up both servers (JIT, connections, ES caches).
    for (const name of Object.keys(servers) as Name[])
      for (const r of routes(200, 'profile')) await one(name, r);

    for (let round_ = 0; round_ < rounds; round_++) {
      const order: Name[] = round_ % 2 === 0 ? ['audited', 'unaudited'] : ['unaudited', 'audited'];
      for (const name of order) {
        for (const r of routes(lookups, 'profile'))
          add(`${name}:profile:sequential`, await one(name, r));
        for (const r of routes(Math.round(lookups / 2), 'search'))
          add(`${name}:search:sequential`, await one(name, r));
        const list = routes(lookups, 'profile');
        let next = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < list.length)
              add(`${name}:profile:concurrency8`, await one(name, list[next++]));
          }),
        );
        add(
          `${name}:profile:concurrency8:throughput`,
          list.length / ((performance.now() - t0) / 1000),
        );
      }
    }
    await p.server.ctx.audit.flush(true);

    // The part of auditing that sits on a lookup's path: one awaited record(), i.e. one XADD to Redis.
    const calls = 20_000;
    const ctx = p.server.ctx;
    const recorder = new AuditTrail(
      {
        es: ctx.es,
        redis: ctx.redis,
        index: ctx.names.audit,
        stream: `${p.prefix}:audit-bench-stream`,
      },
      { batchSize: 5_000 },
    );
    const entry = {
      at: new Date().toISOString(),
      action: 'view' as const,
      actor: 'bench',
      actorId: 'bench',
      role: 'admin',
      actorKind: 'api-key' as const,
      customerIds: [ids[0]],
      route: '/customers/{id}',
      method: 'GET',
      status: 200,
      ip: '127.0.0.1',
      userAgent: 'curl/8.5',
    };
    const recordSamples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await recorder.record({ ...entry, at: new Date().toISOString() });
      recordSamples.push(performance.now() - t0);
    }
    // What the flusher still had to write once the appends stopped, until all was searchable.
    const f0 = performance.now();
    await recorder.flush();
    const flushMs = performance.now() - f0;
    await recorder.close();

    const summary: Record<string, unknown> = {};
    for (const [label, values] of Object.entries(samples)) {
      summary[label] = label.endsWith('throughput')
        ? { medianPerSecond: round(median(values), 1), rounds: values.length }
        : {
            n: values.length,
            medianMs: round(median(values)),
            p95Ms: round(percentile(values, 95)),
            p99Ms: round(percentile(values, 99)),
          };
    }
    const ratio = (kind: string, stat: 'medianMs' | 'p95Ms') => {
      const a = (summary[`audited:${kind}`] as Record<string, number>)[stat];
      const b = (summary[`unaudited:${kind}`] as Record<string, number>)[stat];
      return round(a / b, 3);
    };
    const ratios = {
      profileSequentialMedian: ratio('profile:sequential', 'medianMs'),
      profileSequentialP95: ratio('profile:sequential', 'p95Ms'),
      searchSequentialMedian: ratio('search:sequential', 'medianMs'),
      profileConcurrency8Median: ratio('profile:concurrency8', 'medianMs'),
      profileConcurrency8P95: ratio('profile:concurrency8', 'p95Ms'),
    };
    const auditWritten = p.server.ctx.audit.written;
    const recordMicros = median(recordSamples) * 1000;
    const file = writeResults('audit', {
      sizes: { customers, lookupsPerRound: lookups, rounds },
      summary,
      ratiosAuditedOverUnaudited: ratios,
      auditEntriesWritten: auditWritten,
      auditEntriesRefused: p.server.ctx.audit.refused,
      auditMode:
        'durable: awaited XADD to a Redis stream before the answer, flusher to Elasticsearch',
      recordCall: {
        calls,
        medianMicros: round(recordMicros, 1),
        p99Micros: round(percentile(recordSamples, 99) * 1000, 1),
        drainAfterLastAppendMs: round(flushMs, 1),
        written: recorder.written,
      },
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
    });
    console.log(
      JSON.stringify(
        {
          summary,
          ratios,
          auditWritten,
          recordMicros: round(recordMicros, 3),
          flushMs: round(flushMs, 1),
          loadavg: os.loadavg(),
        },
        null,
        2,
      ),
    );
    console.log(`[bench:audit] written to ${file}`);
  } finally {
    await off.close();
    await p.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
