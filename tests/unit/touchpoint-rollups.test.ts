import { describe, expect, it } from 'vitest';
import {
  dayBounds,
  dayOf,
  dirtyRanges,
  hourOf,
  rollupDocsOfDay,
  touchpointsOrRollups,
  type RollupBucket,
} from '../../domain/src/analytics/touchpoint-rollups';

const hour = (day: string, h: number) => Date.parse(`${day}T${String(h).padStart(2, '0')}:00:00Z`);
const bucket = (
  h: number,
  key: Record<string, string | number | boolean | null>,
  count: number,
  amount = 0,
): RollupBucket => ({
  key: {
    h,
    type: null,
    channel: null,
    direction: null,
    status: null,
    salesChannel: null,
    complaint: null,
    surveyKind: null,
    score: null,
    ...key,
  },
  doc_count: count,
  amount: { value: amount },
});

describe('touchpoint rollups', () => {
  it('counts a timestamp of any zone on its UTC day', () => {
    expect(dayOf('2026-11-22T23:30:00-02:00')).toBe('2026-11-23');
    expect(dayOf('2026-11-22T00:30:00+02:00')).toBe('2026-11-21');
    expect(dayBounds('2026-11-22')).toEqual({
      gte: '2026-11-22T00:00:00.000Z',
      lt: '2026-11-23T00:00:00.000Z',
    });
  });

  it('turns one day of buckets into hour documents and day sums, with ids that repeat', () => {
    const day = '2026-11-20';
    const buckets = [
      bucket(hour(day, 9), { type: 'order', status: 'delivered', salesChannel: 'web' }, 3, 120.5),
      bucket(hour(day, 14), { type: 'order', status: 'delivered', salesChannel: 'web' }, 2, 30),
      bucket(
        hour(day, 14),
        { type: 'ticket', channel: 'chat', direction: 'inbound', status: 'open', complaint: true },
        1,
      ),
      bucket(hour(day, 15), { type: 'survey', channel: 'survey', surveyKind: 'nps', score: 9 }, 4),
    ];
    const docs = rollupDocsOfDay(day, buckets);
    const hours = docs.filter((d) => d.granularity === 'hour');
    const days = docs.filter((d) => d.granularity === 'day');
    expect(hours).toHaveLength(4);
    expect(days).toHaveLength(3);
    const orders = days.find((d) => d.type === 'order')!;
    expect(orders).toMatchObject({
      day,
      occurredAt: '2026-11-20T00:00:00.000Z',
      count: 5,
      facts: { status: 'delivered', salesChannel: 'web', amount: 150.5 },
    });
    expect(orders).not.toHaveProperty('channel');
    expect(days.find((d) => d.type === 'ticket')).toMatchObject({
      channel: 'chat',
      direction: 'inbound',
      facts: { complaint: true, status: 'open' },
      count: 1,
    });
    expect(days.find((d) => d.type === 'survey')!.facts).toEqual({ surveyKind: 'nps', score: 9 });
    expect(hours.find((d) => d.type === 'survey')!.occurredAt).toBe('2026-11-20T15:00:00.000Z');
    expect(new Set(docs.map((d) => d.key)).size).toBe(docs.length);
    expect(rollupDocsOfDay(day, buckets).map((d) => d.key)).toEqual(docs.map((d) => d.key));
  });

  it('keeps a complaint of false apart from a ticket without the flag, and leaves out buckets of other days', () => {
    const day = '2026-11-20';
    const docs = rollupDocsOfDay(day, [
      bucket(hour(day, 1), { type: 'ticket', complaint: false }, 2),
      bucket(hour(day, 1), { type: 'ticket' }, 1),
      bucket(hour('2026-11-21', 1), { type: 'ticket' }, 7),
    ]);
    const days = docs.filter((d) => d.granularity === 'day');
    expect(days.map((d) => [d.facts.complaint, d.count])).toEqual([
      [false, 2],
      [undefined, 1],
    ]);
  });

  it('merges dirty hours into runs and names their days', () => {
    expect(
      dirtyRanges(['2026-11-20T23', '2026-11-21T00', 'no hour', '2026-11-21T05', '2026-11-20T23']),
    ).toEqual({
      ranges: [
        { gte: '2026-11-20T23:00:00.000Z', lt: '2026-11-21T01:00:00.000Z' },
        { gte: '2026-11-21T05:00:00.000Z', lt: '2026-11-21T06:00:00.000Z' },
      ],
      days: ['2026-11-20', '2026-11-21'],
    });
    expect(hourOf('2026-11-22T13:59:59+01:00')).toBe('2026-11-22T12');
  });

  it('reads the current and the dirty hours from the touchpoints, other hours of today and of dirty days hourly, clean closed days daily', () => {
    const query = touchpointsOrRollups({
      from: 'now-30d/d',
      granularity: 'day',
      dirtyHours: ['2026-11-20T10'],
    });
    const [raw, hourly, daily] = (
      query.bool!.should as { bool: { filter: unknown[]; must_not?: unknown[] } }[]
    ).map((q) => q.bool);
    const dirtyHour = {
      range: { occurredAt: { gte: '2026-11-20T10:00:00.000Z', lt: '2026-11-20T11:00:00.000Z' } },
    };
    expect(JSON.stringify(raw.filter)).toContain(
      JSON.stringify({ range: { occurredAt: { gte: 'now/h' } } }),
    );
    expect(JSON.stringify(raw.filter)).toContain(JSON.stringify(dirtyHour));
    expect(raw.must_not).toEqual([
      { exists: { field: 'granularity' } },
      { term: { deleted: true } },
    ]);
    expect(hourly.filter).toEqual(
      expect.arrayContaining([
        { term: { granularity: 'hour' } },
        { range: { occurredAt: { lt: 'now/h' } } },
      ]),
    );
    expect(JSON.stringify(hourly.filter)).toContain(
      JSON.stringify({ terms: { day: ['2026-11-20'] } }),
    );
    expect(hourly.must_not).toEqual([dirtyHour]);
    expect(daily.filter).toEqual(
      expect.arrayContaining([
        { term: { granularity: 'day' } },
        { range: { occurredAt: { lt: 'now/d' } } },
      ]),
    );
    expect(daily.must_not).toEqual([{ terms: { day: ['2026-11-20'] } }]);
    // Ranges counted per hour read hourly rollups only.
    const hours = touchpointsOrRollups({ from: 'now-24h/h', granularity: 'hour', dirtyHours: [] });
    expect((hours.bool!.should as unknown[]).length).toBe(2);
  });
});
