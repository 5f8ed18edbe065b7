/**
 * At scale: dashboard panels count closed days from the touchpoint
 * rollups, and today plus every day changed since its last rollup from the
 * touchpoints — so the figures are the same before and after a recompute,
 * a late touchpoint counts at once, and erasure and retention take people
 * out of the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf, hourOf } from '../../domain/src/analytics/touchpoint-rollups';
import { enforceRetention } from '../../indexers/src/retention/enforce-retention';
import { rollUpDirtyHours } from '../../indexers/src/rollups/rollup-loop';
import { dirtyRollupHours } from '../../infra/src/rollup-hours';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
/** When O-5 was first said to have happened (the next test moves it). */
let movedFrom = '';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const daysAgo = (d: number) => hoursAgo(d * 24);

const order = (
  id: string,
  customerNumber: string,
  occurredAt: string,
  total: number,
  extra: Record<string, unknown> = {},
) => ({
  source: 'shop',
  id,
  type: 'order',
  occurredAt,
  customer: { customerNumber },
  data: { orderNumber: id, total, currency: 'EUR', channel: 'web', ...extra },
});

const touchpoints = [
  {
    source: 'crm',
    id: 'P-1',
    type: 'profile',
    occurredAt: daysAgo(100),
    customer: { customerNumber: 'R-1', firstName: 'Rita', lastName: 'Rollup' },
    data: { segment: 'Premium' },
  },
  order('O-1', 'R-1', daysAgo(40), 100),
  order('O-2', 'R-1', daysAgo(12), 50, { status: 'returned', channel: 'store' }),
  order('O-3', 'R-2', daysAgo(3), 20),
  order('O-4', 'R-2', hoursAgo(1), 10),
  {
    source: 'pbx',
    id: 'C-1',
    type: 'call',
    occurredAt: hoursAgo(20),
    customer: { customerNumber: 'R-1' },
    data: { direction: 'inbound' },
  },
  {
    source: 'pbx',
    id: 'C-2',
    type: 'call',
    occurredAt: daysAgo(2),
    customer: { customerNumber: 'R-2' },
    data: { direction: 'inbound' },
  },
  {
    source: 'pbx',
    id: 'C-3',
    type: 'call',
    occurredAt: daysAgo(2),
    customer: { customerNumber: 'R-2' },
    data: { direction: 'outbound' },
  },
  {
    source: 'mail',
    id: 'E-1',
    type: 'email',
    occurredAt: daysAgo(5),
    customer: { customerNumber: 'R-1' },
    data: { direction: 'inbound', subject: 'Frage' },
  },
  {
    source: 'desk',
    id: 'T-1',
    type: 'ticket',
    occurredAt: daysAgo(6),
    customer: { customerNumber: 'R-2' },
    data: {
      ticketNumber: 'T-1',
      subject: 'Kaputt',
      status: 'open',
      channel: 'chat',
      complaint: true,
    },
  },
  {
    source: 'survey',
    id: 'S-1',
    type: 'survey',
    occurredAt: daysAgo(4),
    customer: { customerNumber: 'R-1' },
    data: { kind: 'nps', score: 10 },
  },
  {
    source: 'survey',
    id: 'S-2',
    type: 'survey',
    occurredAt: daysAgo(4),
    customer: { customerNumber: 'R-2' },
    data: { kind: 'nps', score: 3 },
  },
  {
    source: 'survey',
    id: 'S-3',
    type: 'survey',
    occurredAt: daysAgo(8),
    customer: { customerNumber: 'R-2' },
    data: { kind: 'csat', score: 4 },
  },
  {
    source: 'survey',
    id: 'S-4',
    type: 'survey',
    occurredAt: daysAgo(8),
    customer: { customerNumber: 'R-1' },
    data: { kind: 'csat', score: 2 },
  },
  {
    source: 'telco',
    id: 'K-1',
    type: 'contract',
    occurredAt: daysAgo(9),
    customer: { customerNumber: 'R-2' },
    data: { contractNumber: 'K-1', product: 'TV', status: 'cancelled', monthlyFee: 20 },
  },
  {
    source: 'web',
    id: 'W-1',
    type: 'web_session',
    occurredAt: daysAgo(50),
    customer: { customerNumber: 'R-3' },
    data: { pages: 2 },
  },
  {
    source: 'web',
    id: 'W-2',
    type: 'web_session',
    occurredAt: daysAgo(1),
    customer: { customerNumber: 'R-3' },
    data: { pages: 4 },
  },
  {
    source: 'crm',
    id: 'D-1',
    type: 'order',
    occurredAt: daysAgo(7),
    deleted: true,
    customer: { customerNumber: 'R-3' },
    data: { orderNumber: 'D-1', total: 999, currency: 'EUR' },
  },
];

async function ingest(items: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: items });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

/** Closed hours still waiting for (or in) a recompute. */
async function closedDirtyHours(): Promise<string[]> {
  return (await dirtyRollupHours(p.server.ctx.redis, p.server.ctx.queues)).filter(
    (h) => h < hourOf(Date.now()),
  );
}

/** One round of the indexer's rollup loop, run here (the loop itself is stopped, so the tests see dirty days before they are recomputed). */
async function recomputeRollups(): Promise<void> {
  await rollUpDirtyHours(p.indexers[0].ctx);
  expect(await closedDirtyHours()).toEqual([]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- panels are read as JSON
async function panels(range: string): Promise<any> {
  const res = await p.request('GET', `/api/v1/analytics/dashboard?range=${range}`, {
    role: 'manager',
  });
  expect(res.status).toBe(200);
  const { generatedAt: _g, tookMs: _t, ...rest } = res.body;
  return rest;
}

const sum = (points: Record<string, unknown>[], series: string) =>
  points.reduce((n, t) => n + Number(t[series] ?? 0), 0);

async function rollupDocs(): Promise<Record<string, unknown>[]> {
  const es = p.server.ctx.es;
  await es.indices.refresh({ index: p.server.ctx.names.touchpointRollups });
  const answer = await es.search({ index: p.server.ctx.names.touchpointRollups, size: 10_000 });
  return answer.hits.hits.map((h) => h._source as Record<string, unknown>);
}

beforeAll(async () => {
  p = await startPanorama();
  await p.indexers[0].rollups.close();
  await ingest(touchpoints);
});
afterAll(async () => {
  await p?.close();
});

describe('touchpoint rollups', () => {
  it('give every panel the same figures as the raw touchpoints, and hold counts only', async () => {
    // Just indexed: every past hour with a touchpoint is dirty and read from the touchpoints.
    expect((await closedDirtyHours()).length).toBeGreaterThan(0);
    const before = Object.fromEntries(
      await Promise.all(['24h', '7d', '30d', '90d', '365d'].map(async (r) => [r, await panels(r)])),
    );
    const firstDashboard = async () => {
      const { generatedAt: _g, ...rest } = (
        await p.request('GET', '/api/v1/dashboard', { role: 'manager' })
      ).body;
      return rest;
    };
    const dashboardBefore = await firstDashboard();
    await recomputeRollups();
    for (const range of ['24h', '7d', '30d', '90d', '365d'])
      expect(await panels(range), range).toEqual(before[range]);
    // The first dashboard counts all touchpoints (the deleted order not) and the last 30 days per channel the same way.
    expect(dashboardBefore.totals.touchpoints).toBe(touchpoints.length - 1);
    expect(await firstDashboard()).toEqual(dashboardBefore);
    const perChannel = (
      dashboardBefore.touchpointsPerChannelPerDay as { counts: Record<string, number> }[]
    ).reduce((n, d) => n + (d.counts.phone ?? 0), 0);
    expect(perChannel).toBe(3);

    const d90 = before['90d'];
    expect(d90.totals.touchpointsInRange).toBe(touchpoints.length - 2); // the profile is 100 days old; the deleted order does not count
    expect(sum(d90.ordersAndReturns, 'orders')).toBe(4);
    expect(sum(d90.ordersAndReturns, 'returns')).toBe(1);
    expect(sum(d90.ordersAndReturns, 'revenue')).toBe(180);
    expect(
      Object.fromEntries(
        d90.revenueBySalesChannel.map((b: { label: string; value: number }) => [b.label, b.value]),
      ),
    ).toEqual({ web: 130, store: 50 });
    expect(sum(d90.inboundCallsPerHour, 'calls')).toBe(2);
    expect(sum(d90.complaintsTrend, 'complaints')).toBe(1);
    expect(sum(d90.cancellationsTrend, 'cancellations')).toBe(1);
    expect(d90.satisfactionTrend.find((t: { nps: number | null }) => t.nps !== null).nps).toBe(0); // one promoter, one detractor
    expect(d90.satisfactionTrend.find((t: { csat: number | null }) => t.csat !== null).csat).toBe(
      3,
    );
    const phone = before['7d'].contactsPerChannel.find(
      (c: { channel: string }) => c.channel === 'phone',
    );
    expect(phone).toMatchObject({ last7d: 3, last30d: 3 });
    expect(sum(before['24h'].inboundCallsPerHour, 'calls')).toBe(1);

    const docs = await rollupDocs();
    expect(docs.length).toBeGreaterThan(0);
    const allowed = new Set([
      'key',
      'day',
      'granularity',
      'occurredAt',
      'type',
      'channel',
      'direction',
      'facts',
      'count',
    ]);
    for (const doc of docs) expect(Object.keys(doc).filter((k) => !allowed.has(k))).toEqual([]);
    const text = JSON.stringify(docs);
    for (const value of ['R-1', 'R-2', 'Rita', 'Rollup', 'O-1', 'shop'])
      expect(text).not.toContain(value);
    // Hours and days agree.
    const count = (granularity: string) =>
      docs.filter((d) => d.granularity === granularity).reduce((n, d) => n + Number(d.count), 0);
    expect(count('hour')).toBe(count('day'));
  });

  it('counts a touchpoint dated days back at once, and again after its day was recomputed', async () => {
    await recomputeRollups();
    const before = await panels('30d');
    movedFrom = daysAgo(3);
    await ingest([order('O-5', 'R-2', movedFrom, 5)]);
    expect(await closedDirtyHours()).toContain(hourOf(movedFrom));
    const now = await panels('30d');
    expect(sum(now.ordersAndReturns, 'orders')).toBe(sum(before.ordersAndReturns, 'orders') + 1);
    await recomputeRollups();
    expect(await panels('30d')).toEqual(now);
  });

  it('leaves the current hour to the touchpoints: it is not rolled up before it is over', async () => {
    await recomputeRollups();
    const before = await panels('24h');
    const now = new Date().toISOString();
    await ingest([
      {
        source: 'pbx',
        id: 'C-NOW',
        type: 'call',
        occurredAt: now,
        customer: { customerNumber: 'R-1' },
        data: { direction: 'inbound' },
      },
    ]);
    await rollUpDirtyHours(p.indexers[0].ctx);
    const dirty = await dirtyRollupHours(p.server.ctx.redis, p.server.ctx.queues);
    // Unless the hour turned in between, the call's hour is still dirty and counted from the touchpoints.
    if (hourOf(now) === hourOf(Date.now())) expect(dirty).toContain(hourOf(now));
    expect(sum((await panels('24h')).inboundCallsPerHour, 'calls')).toBe(
      sum(before.inboundCallsPerHour, 'calls') + 1,
    );
  });

  it('moves a record sent again with another time out of its old day', async () => {
    await recomputeRollups();
    const moved = daysAgo(2);
    const day3 = dayOf(movedFrom);
    const day2 = dayOf(moved);
    const ordersOn = async (day: string) =>
      (await rollupDocs())
        .filter((d) => d.day === day && d.granularity === 'day' && d.type === 'order')
        .reduce((n, d) => n + Number(d.count), 0);
    const on3 = await ordersOn(day3);
    const on2 = await ordersOn(day2);
    // Without a version the later time wins: O-5 moves from three days ago to two.
    await ingest([order('O-5', 'R-2', moved, 5)]);
    expect(await closedDirtyHours()).toEqual(
      expect.arrayContaining([hourOf(movedFrom), hourOf(moved)]),
    );
    await recomputeRollups();
    expect(await ordersOn(day3)).toBe(on3 - 1);
    expect(await ordersOn(day2)).toBe(on2 + 1);
  });

  it('takes an erased customer out of the counts at once and out of the rollups at the next recompute', async () => {
    await recomputeRollups();
    const before = await panels('90d');
    const found = await p.request('GET', '/api/v1/customers/search?q=R-2', { role: 'admin' });
    const erased = await p.request('DELETE', `/api/v1/customers/${found.body.items[0].id}`, {
      role: 'admin',
    });
    expect(erased.status).toBe(200);
    // R-2 had O-3, O-4, O-5 (orders), C-2, C-3 (calls), T-1, S-2, S-3, K-1.
    expect((await closedDirtyHours()).map((h) => h.slice(0, 10))).toEqual(
      expect.arrayContaining([dayOf(daysAgo(6)), dayOf(daysAgo(9))]),
    );
    await p.server.ctx.es.indices.refresh({ index: p.server.ctx.names.touchpoints });
    const during = await panels('90d');
    expect(during.totals.touchpointsInRange).toBe(before.totals.touchpointsInRange - 9);
    await recomputeRollups();
    const after = await panels('90d');
    expect(after).toEqual({
      ...during,
      totals: { ...during.totals, customers: after.totals.customers },
    });
    expect(sum(after.ordersAndReturns, 'orders')).toBe(sum(before.ordersAndReturns, 'orders') - 3);
    expect(sum(after.complaintsTrend, 'complaints')).toBe(0);
    expect(sum(after.cancellationsTrend, 'cancellations')).toBe(0);
    const docs = await rollupDocs();
    expect(docs.filter((d) => d.type === 'ticket' || d.type === 'contract')).toEqual([]);
  });

  it('takes touchpoints past their retention out of the counts', async () => {
    await recomputeRollups();
    const before = await panels('90d');
    const result = await enforceRetention(p.indexers[0].ctx, { web_session: 30 });
    expect(result.deleted.web_session).toBe(1);
    expect((await closedDirtyHours()).map((h) => h.slice(0, 10))).toContain(dayOf(daysAgo(50)));
    await recomputeRollups();
    const after = await panels('90d');
    expect(after.totals.touchpointsInRange).toBe(before.totals.touchpointsInRange - 1);
    expect(
      (await rollupDocs()).filter((d) => d.type === 'web_session' && d.day === dayOf(daysAgo(50))),
    ).toEqual([]);
  });
});
