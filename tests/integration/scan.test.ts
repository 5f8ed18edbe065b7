/**
 * scan() and compositeBuckets() (infra/src/scan.ts) against a real
 * Elasticsearch: every document once, the query and sort honoured, progress,
 * and the point in time closed however the walk ends.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { compositeBuckets, scan, type ScanProgress } from '../../infra/src/scan';
import { serviceUrls } from '../support/panorama';

interface Doc {
  n: number;
  parity: 'even' | 'odd';
  mod: string;
}

const documents = 2_500;
let es: Client;
let index: string;

beforeAll(async () => {
  es = createElasticsearch(serviceUrls().elasticsearchUrl);
  index = `scan-test-${randomBytes(4).toString('hex')}`;
  await es.indices.create({
    index,
    // Several shards, so `_shard_doc` order really crosses shards.
    settings: { number_of_shards: 3, number_of_replicas: 0 },
    mappings: {
      properties: { n: { type: 'integer' }, parity: { type: 'keyword' }, mod: { type: 'keyword' } },
    },
  });
  const operations = Array.from({ length: documents }, (_, n) => [
    { index: { _index: index, _id: `d${n}` } },
    { n, parity: n % 2 === 0 ? 'even' : 'odd', mod: `m${n % 7}` } satisfies Doc,
  ]).flat();
  const result = await es.bulk({ operations, refresh: true });
  expect(result.errors).toBe(false);
});

afterAll(async () => {
  await es?.indices.delete({ index, ignore_unavailable: true });
  await es?.close();
});

/** Spies on the walk's point in time: the ids it opened and closed. */
function watchPointsInTime() {
  const opened = vi.spyOn(es, 'openPointInTime');
  const closed = vi.spyOn(es, 'closePointInTime');
  return {
    async ids(): Promise<{ opened: string[]; closed: string[] }> {
      const results = await Promise.all(opened.mock.results.map((r) => r.value));
      const ids = {
        opened: results.map((r: { id: string }) => r.id),
        closed: closed.mock.calls.map(([params]) => (params as { id: string }).id),
      };
      opened.mockRestore();
      closed.mockRestore();
      return ids;
    },
  };
}

/** A closed point in time is gone: a search with its id fails. */
async function expectGone(id: string): Promise<void> {
  await expect(es.search({ pit: { id }, size: 0 })).rejects.toMatchObject({
    meta: { statusCode: 404 },
  });
}

async function expectClosed(watch: ReturnType<typeof watchPointsInTime>): Promise<void> {
  const { opened, closed } = await watch.ids();
  expect(opened).toHaveLength(1);
  expect(closed).toHaveLength(1);
  for (const id of new Set([...opened, ...closed])) await expectGone(id);
}

describe('scan', () => {
  it('hands out every document exactly once, in pages of the given size', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    for await (const hits of scan<Doc>(es, { index, size: 400 })) {
      sizes.push(hits.length);
      for (const hit of hits) seen.push(hit._id ?? '');
    }
    expect(sizes).toEqual([400, 400, 400, 400, 400, 400, 100]);
    expect(seen).toHaveLength(documents);
    expect(new Set(seen).size).toBe(documents);
  });

  it('honours the query, the sort and the _source filter', async () => {
    const ns: number[] = [];
    for await (const hits of scan<Doc>(es, {
      index,
      query: { term: { parity: 'even' } },
      sort: [{ n: 'desc' }],
      _source: ['n'],
      size: 300,
    })) {
      for (const hit of hits) {
        expect(Object.keys(hit._source ?? {})).toEqual(['n']);
        ns.push(hit._source?.n ?? -1);
      }
    }
    const expected = Array.from({ length: documents / 2 }, (_, i) => documents - 2 - 2 * i);
    expect(ns).toEqual(expected);
  });

  it('reports progress after each page, with the total only when it is counted', async () => {
    const counted: ScanProgress[] = [];
    for await (const hits of scan(es, {
      index,
      query: { term: { parity: 'odd' } },
      size: 500,
      trackTotalHits: true,
      onProgress: (progress) => counted.push(progress),
    }))
      expect(hits.length).toBeGreaterThan(0);
    expect(counted).toEqual([
      { seen: 500, total: 1_250 },
      { seen: 1_000, total: 1_250 },
      { seen: 1_250, total: 1_250 },
    ]);

    const uncounted: ScanProgress[] = [];
    for await (const hits of scan(es, {
      index,
      size: 1_000,
      onProgress: (progress) => uncounted.push(progress),
    }))
      expect(hits.length).toBeGreaterThan(0);
    expect(uncounted).toEqual([
      { seen: 1_000, total: undefined },
      { seen: 2_000, total: undefined },
      { seen: 2_500, total: undefined },
    ]);
  });

  it('closes its point in time when the walk ends', async () => {
    const watch = watchPointsInTime();
    let pages = 0;
    for await (const _hits of scan(es, { index, size: 1_000 })) pages++;
    expect(pages).toBe(3);
    await expectClosed(watch);
  });

  it('closes its point in time when the consumer breaks out of the loop', async () => {
    const watch = watchPointsInTime();
    let pages = 0;
    for await (const _hits of scan(es, { index, size: 100 })) {
      pages++;
      if (pages === 2) break;
    }
    expect(pages).toBe(2);
    await expectClosed(watch);
  });

  it('closes its point in time when the consumer throws, and the error goes through', async () => {
    const watch = watchPointsInTime();
    const walk = async () => {
      for await (const _hits of scan(es, { index, size: 100 })) throw new Error('consumer failed');
    };
    await expect(walk()).rejects.toThrow('consumer failed');
    await expectClosed(watch);
  });

  it('closes its point in time on abort and ends with the signal’s reason', async () => {
    const watch = watchPointsInTime();
    const controller = new AbortController();
    let pages = 0;
    const walk = async () => {
      for await (const _hits of scan(es, { index, size: 100, signal: controller.signal })) {
        pages++;
        controller.abort();
      }
    };
    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' });
    expect(pages).toBe(1);
    await expectClosed(watch);
  });

  it('closes its point in time when aborted while a page is being read', async () => {
    const watch = watchPointsInTime();
    const controller = new AbortController();
    const search = vi.spyOn(es, 'search');
    let pages = 0;
    const walk = async () => {
      for await (const _hits of scan(es, { index, size: 100, signal: controller.signal })) {
        pages++;
        // Aborts once the next page's request is on its way.
        search.mockClear();
        setImmediate(() => controller.abort());
      }
    };
    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' });
    expect(search).toHaveBeenCalledTimes(1);
    search.mockRestore();
    expect(pages).toBe(1);
    await expectClosed(watch);
  });

  it('opens nothing when the signal is aborted before the walk starts', async () => {
    const watch = watchPointsInTime();
    const walk = async () => {
      for await (const _hits of scan(es, { index, signal: AbortSignal.abort() }));
    };
    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' });
    const { opened, closed } = await watch.ids();
    expect(opened).toEqual([]);
    expect(closed).toEqual([]);
  });

  it('without a point in time, starts after a cursor and hands out the plain sort values', async () => {
    const watch = watchPointsInTime();
    const ns: number[] = [];
    for await (const hits of scan<Doc>(es, {
      index,
      sort: [{ n: 'asc' }],
      searchAfter: [2_000],
      size: 200,
      pointInTime: false,
    })) {
      for (const hit of hits) {
        expect(hit.sort).toEqual([hit._source?.n]);
        ns.push(hit._source?.n ?? -1);
      }
    }
    expect(ns).toEqual(Array.from({ length: 499 }, (_, i) => 2_001 + i));
    const { opened } = await watch.ids();
    expect(opened).toEqual([]);
  });

  it('without a point in time, refuses to walk without a sort', async () => {
    const walk = async () => {
      for await (const _hits of scan(es, { index, pointInTime: false }));
    };
    await expect(walk()).rejects.toThrow(/needs a sort/);
  });
});

describe('compositeBuckets', () => {
  it('hands out every bucket once, in key order, page by page', async () => {
    const pages: string[][] = [];
    let docs = 0;
    for await (const buckets of compositeBuckets<{ key: { mod: string }; doc_count: number }>(es, {
      index,
      query: { term: { parity: 'even' } },
      aggregation: { composite: { size: 3, sources: [{ mod: { terms: { field: 'mod' } } }] } },
    })) {
      pages.push(buckets.map((b) => b.key.mod));
      for (const b of buckets) docs += b.doc_count;
    }
    expect(pages).toEqual([['m0', 'm1', 'm2'], ['m3', 'm4', 'm5'], ['m6']]);
    expect(docs).toBe(documents / 2);
  });
});
