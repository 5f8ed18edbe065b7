import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

const day = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();

// Four customers: A holds product "Router" and "TV", B holds "Router" only, C holds "TV" with a contract
// ending in 30 days and no email consent, D granted email consent and moved from Basic to Premium.
const touchpoints = [
  {
    source: 'shop',
    id: 'O-A1',
    type: 'order',
    occurredAt: at(-40),
    customer: { customerNumber: 'K-A', firstName: 'Anna', lastName: 'Alt' },
    data: {
      orderNumber: 'O-A1',
      total: 1200,
      currency: 'EUR',
      channel: 'web',
      items: [{ sku: 'R', name: 'Router', quantity: 1 }],
    },
  },
  {
    source: 'shop',
    id: 'O-A2',
    type: 'order',
    occurredAt: at(-10),
    customer: { customerNumber: 'K-A' },
    data: {
      orderNumber: 'O-A2',
      total: 300,
      currency: 'EUR',
      channel: 'store',
      status: 'returned',
      items: [{ sku: 'T', name: 'TV', quantity: 1 }],
    },
  },
  {
    source: 'crm',
    id: 'P-A',
    type: 'profile',
    occurredAt: at(-50),
    customer: { customerNumber: 'K-A' },
    data: { segment: 'Premium' },
  },
  {
    source: 'shop',
    id: 'O-B1',
    type: 'order',
    occurredAt: at(-5),
    customer: { customerNumber: 'K-B', firstName: 'Bert', lastName: 'Bauer' },
    data: {
      orderNumber: 'O-B1',
      total: 80,
      currency: 'EUR',
      channel: 'web',
      items: [{ sku: 'R', name: 'Router', quantity: 1 }],
    },
  },
  {
    source: 'crm',
    id: 'P-B',
    type: 'profile',
    occurredAt: at(-50),
    customer: { customerNumber: 'K-B' },
    data: { segment: 'Basic' },
  },
  {
    source: 'telco',
    id: 'C-C1',
    type: 'contract',
    occurredAt: at(-300),
    customer: { customerNumber: 'K-C', firstName: 'Clara', lastName: 'Conrad' },
    data: {
      contractNumber: 'C-C1',
      product: 'TV',
      status: 'active',
      endDate: day(30),
      monthlyFee: 20,
      currency: 'EUR',
    },
  },
  {
    source: 'helpdesk',
    id: 'T-C1',
    type: 'ticket',
    occurredAt: at(-2),
    customer: { customerNumber: 'K-C' },
    data: {
      ticketNumber: 'T-C1',
      subject: 'Kein Bild',
      status: 'open',
      priority: 'urgent',
      complaint: true,
    },
  },
  {
    source: 'crm',
    id: 'P-C',
    type: 'profile',
    occurredAt: at(-50),
    customer: { customerNumber: 'K-C' },
    data: { segment: 'Basic' },
  },
  {
    source: 'crm',
    id: 'P-D1',
    type: 'profile',
    occurredAt: at(-60),
    customer: { customerNumber: 'K-D', firstName: 'Dora', lastName: 'Dahl' },
    data: { segment: 'Basic' },
  },
  {
    source: 'crm',
    id: 'P-D2',
    type: 'profile',
    occurredAt: at(-3),
    customer: { customerNumber: 'K-D' },
    data: { segment: 'Premium' },
  },
  {
    source: 'consent',
    id: 'CO-D',
    type: 'consent',
    occurredAt: at(-20),
    customer: { customerNumber: 'K-D' },
    data: { channel: 'email', granted: true, purpose: 'newsletter' },
  },
  {
    source: 'survey',
    id: 'S-D',
    type: 'survey',
    occurredAt: at(-1),
    customer: { customerNumber: 'K-D' },
    data: { kind: 'nps', score: 10 },
  },
];

async function ingest(items: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: items });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
}

async function idOf(customerNumber: string): Promise<string> {
  const res = await p.request('POST', '/api/v1/analytics/query', {
    role: 'admin',
    body: { page: { size: 100, columns: ['customerNumber'] } },
  });
  const row = res.body.items.find(
    (i: { customerNumber: string }) => i.customerNumber === customerNumber,
  );
  if (!row) {
    const all = await p.request('POST', '/api/v1/analytics/query', {
      role: 'admin',
      body: { page: { columns: ['customerNumber', 'name', 'segments'] } },
    });
    throw new Error(`no customer ${customerNumber}: ${JSON.stringify(all.body)}`);
  }
  return row.id;
}

beforeAll(async () => {
  p = await startPanorama();
  await ingest(touchpoints);
});

afterAll(async () => {
  if (!p) return;
  const queue = new Queue(`${p.prefix}-snapshots`, { connection: { url: serviceUrls().redisUrl } });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  await p.close();
});

// Analysts and managers see names as initials (privacy/masking.ts): assertions on names ask as admin.
const query = (body: unknown, role: 'analyst' | 'agent' | 'manager' | 'admin' = 'admin') =>
  p.request('POST', '/api/v1/analytics/query', { role, body });

describe('the analytics endpoint', () => {
  it('answers "holds product A but not B" with a NOT inside an AND', async () => {
    const res = await query({
      filter: {
        kind: 'and',
        filters: [
          { kind: 'terms', field: 'products', values: ['Router'] },
          { kind: 'not', filter: { kind: 'terms', field: 'products', values: ['TV'] } },
        ],
      },
      page: { size: 10, columns: ['name', 'products'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items[0].name).toBe('Bert Bauer');
  });

  it('answers "contract ends within 60 days and no email consent" with a date relative to now', async () => {
    const res = await query({
      filter: {
        kind: 'and',
        filters: [
          { kind: 'dateRange', field: 'kpis.nextContractEnd', from: { days: 0 }, to: { days: 60 } },
          { kind: 'not', filter: { kind: 'terms', field: 'consentGranted', values: ['email'] } },
        ],
      },
      page: { size: 10, columns: ['name'] },
    });
    expect(res.body.total).toBe(1);
    expect(res.body.items[0].name).toBe('Clara Conrad');
    const consenting = await query({
      filter: { kind: 'terms', field: 'consentGranted', values: ['email:newsletter'] },
      page: { columns: ['name'] },
    });
    expect(consenting.body.items.map((i: { name: string }) => i.name)).toEqual(['Dora Dahl']);
  });

  it('answers OR, ranges and exists, and sorts and pages the rows', async () => {
    const res = await query({
      filter: {
        kind: 'or',
        filters: [
          { kind: 'range', field: 'kpis.lifetimeValue', gt: 1000 },
          { kind: 'exists', field: 'kpis.lastNps' },
        ],
      },
      page: {
        size: 1,
        from: 0,
        sort: [{ field: 'name', order: 'desc' }],
        columns: ['name', 'kpis.lifetimeValue'],
      },
    });
    expect(res.body.total).toBe(2);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].name).toBe('Dora Dahl');
    const second = await query({
      filter: {
        kind: 'or',
        filters: [
          { kind: 'range', field: 'kpis.lifetimeValue', gt: 1000 },
          { kind: 'exists', field: 'kpis.lastNps' },
        ],
      },
      page: {
        size: 1,
        from: 1,
        sort: [{ field: 'name', order: 'desc' }],
        columns: ['name', 'kpis.lifetimeValue'],
      },
    });
    expect(second.body.items[0]).toMatchObject({ name: 'Anna Alt', 'kpis.lifetimeValue': 1200 });
  });

  it('answers terms, histogram, date histogram, range, stats, percentiles and cardinality with nested sub-aggregations', async () => {
    const res = await query({
      aggs: {
        bySegment: {
          type: 'terms',
          field: 'segment',
          aggs: {
            ltv: { type: 'stats', field: 'kpis.lifetimeValue' },
            products: { type: 'cardinality', field: 'products' },
          },
        },
        ltvHistogram: { type: 'histogram', field: 'kpis.lifetimeValue', interval: 500 },
        lastSeen: { type: 'dateHistogram', field: 'lastSeenAt', interval: 'month' },
        ltvBands: {
          type: 'range',
          field: 'kpis.lifetimeValue',
          ranges: [
            { key: 'small', to: 100 },
            { key: 'big', from: 100 },
          ],
        },
        ltvPercentiles: { type: 'percentiles', field: 'kpis.lifetimeValue', percents: [50] },
        ending: {
          type: 'dateRange',
          field: 'kpis.nextContractEnd',
          ranges: [{ key: 'next 90 days', from: { days: 0 }, to: { days: 90 } }],
        },
        urgent: {
          type: 'filter',
          filter: { kind: 'terms', field: 'openTicketPriorities', values: ['urgent'] },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items).toBeUndefined();
    const segments = res.body.aggs.bySegment.buckets;
    expect(segments.map((b: { key: string; count: number }) => [b.key, b.count])).toEqual([
      ['Basic', 2],
      ['Premium', 2],
    ]);
    expect(segments[1].aggs.ltv).toMatchObject({ type: 'stats', count: 2, sum: 1200, max: 1200 });
    expect(segments[1].aggs.products.value).toBeGreaterThanOrEqual(2);
    expect(
      res.body.aggs.ltvBands.buckets.map((b: { label: string; count: number }) => [
        b.label,
        b.count,
      ]),
    ).toEqual([
      ['small', 3],
      ['big', 1],
    ]);
    expect(res.body.aggs.ltvHistogram.buckets[0]).toMatchObject({ key: 0, count: 3 });
    expect(res.body.aggs.ltvPercentiles.type).toBe('percentiles');
    expect(res.body.aggs.ending.buckets[0].count).toBe(1);
    expect(res.body.aggs.urgent).toEqual({ type: 'filter', count: 1 });
    expect(res.body.aggs.lastSeen.buckets.length).toBeGreaterThan(0);
  });

  it('refuses unknown fields, raw DSL and wrong field kinds with the contract error body, and agents', async () => {
    const unknown = await query({
      filter: { kind: 'terms', field: 'search.emails', values: ['x'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_request');
    expect(unknown.body.error.details[0].path).toBe('filter.field');
    const raw = await query({ query: { match_all: {} } });
    expect(raw.status).toBe(400);
    const kind = await query({ aggs: { x: { type: 'histogram', field: 'segment', interval: 1 } } });
    expect(kind.status).toBe(400);
    expect(kind.body.error.details[0].path).toBe('aggs.x.field');
    const agent = await query({}, 'agent');
    expect(agent.status).toBe(403);
  });

  it('is documented in the OpenAPI page with the recursive filter as a component', async () => {
    const doc = await p.request('GET', '/api/openapi.json', { role: null });
    expect(
      doc.body.paths['/api/v1/analytics/query'].post.requestBody.content['application/json'].schema
        .properties.filter.$ref,
    ).toBe('#/components/schemas/AnalyticsFilter');
    expect(Object.keys(doc.body.components.schemas)).toEqual(
      expect.arrayContaining(['AnalyticsFilter', 'AnalyticsAggregation']),
    );
  });
});

describe('saved segments', () => {
  it('saves a NOT filter, marks the matching profiles, records entries, and a new touchpoint moves a customer in', async () => {
    const filter = {
      kind: 'not',
      filter: { kind: 'terms', field: 'consentGranted', values: ['email'] },
    };
    const bad = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: '', filter },
    });
    expect(bad.status).toBe(400);
    const saved = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: 'No email consent', filter },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.segment.id).toBe('no-email-consent');
    const again = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: 'No email consent', filter },
    });
    expect(again.status).toBe(409);
    await p.waitUntilIndexed();

    const members = await query({
      filter: { kind: 'terms', field: 'segments', values: ['No email consent'] },
      page: { columns: ['name'], sort: [{ field: 'name', order: 'asc' }] },
    });
    expect(members.body.items.map((i: { name: string }) => i.name)).toEqual([
      'Anna Alt',
      'Bert Bauer',
      'Clara Conrad',
    ]);

    // Bert grants email consent: he leaves; a new customer without consent enters.
    await ingest([
      {
        source: 'consent',
        id: 'CO-B',
        type: 'consent',
        occurredAt: at(0),
        customer: { customerNumber: 'K-B' },
        data: { channel: 'email', granted: true },
      },
      {
        source: 'shop',
        id: 'O-E1',
        type: 'order',
        occurredAt: at(0),
        customer: { customerNumber: 'K-E', firstName: 'Emil', lastName: 'Ernst' },
        data: { orderNumber: 'O-E1', total: 10, currency: 'EUR' },
      },
    ]);
    const emil = await p.request('GET', `/api/v1/customers/${await idOf('K-E')}`, {
      role: 'analyst',
    });
    expect(emil.body.segments).toEqual(['No email consent']);
    const bert = await p.request('GET', `/api/v1/customers/${await idOf('K-B')}`, {
      role: 'analyst',
    });
    expect(bert.body.segments).toEqual([]);

    const events = await p.request('GET', '/api/v1/segments/no-email-consent/events', {
      role: 'analyst',
    });
    const kinds = events.body.items.map((e: { customerId: string; kind: string }) => e.kind).sort();
    expect(kinds).toEqual(['entered', 'entered', 'entered', 'entered', 'exited']);
    const list = await p.request('GET', '/api/v1/segments', { role: 'manager' });
    expect(list.body.items).toEqual([
      expect.objectContaining({ name: 'No email consent', members: 3 }),
    ]);
  });
});

describe('clock-dependent segments', () => {
  it('are reconciled before the daily snapshot: a profile that drifted in or out is corrected and the change recorded', async () => {
    // Membership only changes on a rebuild; time alone can move a customer in or out of a filter like
    // "contract ends within 60 days". Simulate that drift by editing the stored membership behind the indexer's back.
    const es = p.server.ctx.es;
    const anna = await idOf('K-A');
    const dora = await idOf('K-D');
    await es.update({
      index: `${p.prefix}-customers`,
      id: anna,
      doc: { segments: [] },
      refresh: 'wait_for',
    });
    await es.update({
      index: `${p.prefix}-customers`,
      id: dora,
      doc: { segments: ['No email consent'] },
      refresh: 'wait_for',
    });
    const snapshot = await p.request('POST', '/api/v1/snapshots', { role: 'analyst', body: {} });
    expect(snapshot.status).toBe(200);
    expect(
      (await p.request('GET', `/api/v1/customers/${anna}`, { role: 'admin' })).body.segments,
    ).toEqual(['No email consent']);
    expect(
      (await p.request('GET', `/api/v1/customers/${dora}`, { role: 'admin' })).body.segments,
    ).toEqual([]);
    const events = (
      await p.request('GET', '/api/v1/segments/no-email-consent/events', { role: 'analyst' })
    ).body.items as { customerId: string; kind: string }[];
    expect(events.filter((e) => e.customerId === anna && e.kind === 'entered')).toHaveLength(2);
    expect(events.filter((e) => e.customerId === dora && e.kind === 'exited')).toHaveLength(1);
  });
});

describe('the live dashboard', () => {
  it('answers every panel, and streams new panels after a touchpoint is indexed (with a single-use ticket, never a token in the URL)', async () => {
    const panels = await p.request('GET', '/api/v1/analytics/dashboard?range=30d', {
      role: 'manager',
    });
    expect(panels.status).toBe(200);
    expect(panels.body.totals.contractsEnding90d).toBe(1);
    expect(panels.body.openTicketsByPriority).toEqual([
      expect.objectContaining({ label: 'urgent', value: 1 }),
    ]);
    expect(panels.body.totals.openTickets).toBe(1);
    expect(panels.body.revenueBySalesChannel.map((b: { label: string }) => b.label)).toEqual(
      expect.arrayContaining(['store', 'web']),
    );
    expect(
      panels.body.ordersAndReturns.reduce((n: number, t: { returns: number }) => n + t.returns, 0),
    ).toBe(1);
    expect(
      panels.body.complaintsTrend.reduce(
        (n: number, t: { complaints: number }) => n + t.complaints,
        0,
      ),
    ).toBe(1);
    expect(panels.body.satisfactionTrend.some((t: { nps: number | null }) => t.nps === 100)).toBe(
      true,
    );

    const refused = await fetch(`${p.url}/api/v1/analytics/dashboard/stream`);
    expect(refused.status).toBe(401);
    // A long-lived token in the query string is no credential.
    expect(
      (await fetch(`${p.url}/api/v1/analytics/dashboard/stream?range=24h&token=${p.keys.manager}`))
        .status,
    ).toBe(401);
    const issued = await p.request('POST', '/api/v1/auth/stream-ticket', {
      role: 'manager',
      body: { purpose: 'dashboard-stream' },
    });
    expect(issued.status).toBe(201);
    const controller = new AbortController();
    const res = await fetch(
      `${p.url}/api/v1/analytics/dashboard/stream?range=24h&ticket=${issued.body.ticket}`,
      { signal: controller.signal },
    );
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    // Spent on connecting: the same ticket opens nothing twice.
    expect(
      (
        await fetch(
          `${p.url}/api/v1/analytics/dashboard/stream?range=24h&ticket=${issued.body.ticket}`,
        )
      ).status,
    ).toBe(401);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const nextEvent = async () => {
      for (;;) {
        const end = text.indexOf('\n\n');
        if (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          if (block.startsWith('event: panels'))
            return JSON.parse(
              block
                .split('\n')
                .find((l) => l.startsWith('data: '))!
                .slice(6),
            );
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextEvent();
    const calls = (panels: { inboundCallsPerHour: { calls: number }[] }) =>
      panels.inboundCallsPerHour.reduce((n, t) => n + t.calls, 0);
    expect(calls(first)).toBe(0);
    await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'pbx',
          id: 'CALL-1',
          type: 'call',
          occurredAt: at(0),
          customer: { customerNumber: 'K-A' },
          data: { direction: 'inbound', durationSec: 60 },
        },
      ],
    });
    const second = await nextEvent();
    expect(calls(second)).toBe(1);

    // A burst of rebuilds: pushes stay at least a second apart, and the last one has everything.
    const pushedAt: number[] = [Date.parse(second.generatedAt)];
    for (let i = 2; i <= 4; i++) {
      await p.request('POST', '/api/v1/touchpoints', {
        role: 'ingest',
        body: [
          {
            source: 'pbx',
            id: `CALL-${i}`,
            type: 'call',
            occurredAt: at(0),
            customer: { customerNumber: 'K-A' },
            data: { direction: 'inbound' },
          },
        ],
      });
      await p.waitUntilIndexed();
    }
    let latest = second;
    while (calls(latest) < 4) {
      latest = await nextEvent();
      pushedAt.push(Date.parse(latest.generatedAt));
    }
    for (let i = 1; i < pushedAt.length; i++)
      expect(pushedAt[i] - pushedAt[i - 1]).toBeGreaterThanOrEqual(950);
    controller.abort();
  });
});

describe('the CSV export', () => {
  it('streams every matching customer with the chosen columns and announces the count first', async () => {
    const res = await fetch(`${p.url}/api/v1/exports/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filter: { kind: 'exists', field: 'kpis.lifetimeValue' },
        columns: ['id', 'name', 'products', 'kpis.lifetimeValue'],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const total = Number(res.headers.get('x-total-count'));
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,name,products,kpis.lifetimeValue');
    expect(lines).toHaveLength(total + 1);
    expect(total).toBe(5);
    const annaId = await idOf('K-A');
    const anna = lines.find((l) => l.startsWith(`${annaId},Anna Alt,`));
    expect(anna).toMatch(/^[^,]+,Anna Alt,"[^"]*Router[^"]*TV[^"]*",1200$/);
    const bad = await p.request('POST', '/api/v1/exports/customers', {
      role: 'analyst',
      body: { columns: ['search.emails'] },
    });
    expect(bad.status).toBe(400);
    // An analyst's file shows what the analyst's screen shows: initials, not names.
    const analysts = await p.request('POST', '/api/v1/exports/customers', {
      role: 'analyst',
      body: { columns: ['id', 'name'] },
    });
    expect(analysts.body).toContain(`${annaId},A. A.`);
    expect(analysts.body).not.toContain('Anna Alt');
  });
});

describe('the customer view over time', () => {
  it('folds a profile as of a past day', async () => {
    const id = await idOf('K-D');
    const past = await p.request('GET', `/api/v1/customers/${id}?asOf=${day(-30)}`, {
      role: 'analyst',
    });
    expect(past.status).toBe(200);
    expect(past.body.segment).toBe('Basic');
    expect(past.body.consents).toEqual([]);
    const now = await p.request('GET', `/api/v1/customers/${id}`, { role: 'analyst' });
    expect(now.body.segment).toBe('Premium');
    const bad = await p.request('GET', `/api/v1/customers/${id}?asOf=yesterday`, {
      role: 'analyst',
    });
    expect(bad.status).toBe(400);
  });

  it('takes snapshots of a past day and of today, and shows who moved between segments', async () => {
    const past = await p.request('POST', '/api/v1/snapshots', {
      role: 'analyst',
      body: { date: day(-30) },
    });
    expect(past.status).toBe(200);
    expect(past.body.result).toMatchObject({ mode: 'refold', customers: 4 });
    const today = await p.request('POST', '/api/v1/snapshots', { role: 'analyst', body: {} });
    expect(today.body.result).toMatchObject({ mode: 'copy', customers: 5 });
    const days = await p.request('GET', '/api/v1/snapshots', { role: 'analyst' });
    expect(days.body.items.map((d: { date: string }) => d.date)).toEqual([day(-30), day(0)]);

    const migration = await p.request(
      'GET',
      `/api/v1/analytics/migration?from=${day(-30)}&to=${day(0)}`,
      { role: 'manager' },
    );
    expect(migration.status).toBe(200);
    expect(migration.body.flows).toEqual(
      expect.arrayContaining([
        { from: 'Basic', to: 'Premium', count: 1 },
        { from: 'Basic', to: 'Basic', count: 2 },
        { from: 'Premium', to: 'Premium', count: 1 },
        { from: '(not a customer)', to: '(none)', count: 1 },
      ]),
    );
    const movers = await p.request(
      'GET',
      `/api/v1/analytics/migration/customers?from=${day(-30)}&to=${day(0)}&fromLabel=Basic&toLabel=Premium`,
      { role: 'admin' },
    );
    expect(movers.body.items.map((c: { name: string }) => c.name)).toEqual(['Dora Dahl']);
    const masked = await p.request(
      'GET',
      `/api/v1/analytics/migration/customers?from=${day(-30)}&to=${day(0)}&fromLabel=Basic&toLabel=Premium`,
      { role: 'manager' },
    );
    expect(masked.body.items).toHaveLength(1);
    const trends = await p.request('GET', '/api/v1/analytics/trends', { role: 'manager' });
    expect(trends.body.days.map((d: { customers: number }) => d.customers)).toEqual([4, 5]);
    const missing = await p.request(
      'GET',
      `/api/v1/analytics/migration?from=2020-01-01&to=${day(0)}`,
      { role: 'manager' },
    );
    expect(missing.status).toBe(404);
  });
});
