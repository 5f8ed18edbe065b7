/**
 * The steward's queue against a whole Panorama: pairs recorded in the pair
 * store between customers ingested through the API, then listed (exact
 * total, pages without gaps or repeats, filters, sort), decided in bulk
 * (accept = undoable merge with its explanation, reject = "not the same"),
 * exported as labels, counted on the data-quality page, and refused to
 * every role but admin however the path is spelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import {
  getPairs,
  pairIdOf,
  recordProposals,
  type MatchProposal,
} from '../../store/src/matching/match-pairs';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
/** Customer ids of the people ingested, in the order of `people`. */
const ids: string[] = [];
const cityOf = ['München', 'Berlin', 'Köln'];

// Names no matching would pair by itself: every pair in the queue is one this test recorded.
const people = Array.from({ length: 12 }, (_, i) => ({
  source: i % 2 === 0 ? 'shop' : 'crm',
  id: `stw-${i}`,
  type: 'profile',
  occurredAt: `2026-09-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
  customer: {
    email: `steward.person${i}@example.org`,
    firstName: `Quirin${String.fromCharCode(65 + i)}x`,
    lastName: `Zwiebelmeyer${String.fromCharCode(75 + i)}q`,
    birthDate: `19${50 + i}-0${1 + (i % 9)}-1${i % 10}`,
    address: {
      street: `Lindenallee ${i + 1}`,
      postalCode: `${10_000 + i * 1_111}`,
      city: cityOf[i % 3],
      country: 'DE',
    },
  },
  data: {},
}));

const pairs: { a: number; b: number; probability: number }[] = [];
// 30 pairs, each person with its next three, several tying on probability, so paging must break ties by pair id.
for (let d = 1; d <= 3; d++)
  for (let a = 0; a + d < 12; a++)
    pairs.push({ a, b: a + d, probability: [0.97, 0.9, 0.9, 0.75, 0.6, 0.55][pairs.length % 6] });

function proposalOf(pair: { a: number; b: number; probability: number }): MatchProposal {
  const [x, y] = [people[pair.a], people[pair.b]];
  return {
    a: ids[pair.a],
    b: ids[pair.b],
    probability: pair.probability,
    weight: Math.log2(pair.probability / (1 - pair.probability)),
    fields: [
      {
        field: 'lastName',
        level: 'close',
        weight: 4.5,
        a: x.customer.lastName,
        b: y.customer.lastName,
        note: 'Jaro-Winkler 0.93',
      },
      {
        field: 'firstName',
        level: 'different',
        weight: -3.1,
        a: x.customer.firstName,
        b: y.customer.firstName,
      },
      { field: 'birthDate', level: 'missing', weight: 0, a: x.customer.birthDate, b: null },
      { field: 'email', level: 'different', weight: -1, a: x.customer.email, b: y.customer.email },
    ],
    modelVersion: 'test-model-1',
    sources: [x.source, y.source],
    cities: [x.customer.address.city, y.customer.address.city],
  };
}

const store = () => ({ es: p.server.ctx.es, names: p.server.ctx.names });
const pairIds = () => pairs.map((x) => pairIdOf(ids[x.a], ids[x.b]));

beforeAll(async () => {
  // Every pair in the queue is one this test recorded: matching stays off (the model may pair two of these names).
  p = await startPanorama({ matching: false });
  const res = await p.request('POST', '/api/v1/touchpoints', { body: people, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
  for (const person of people) {
    const found = await p.request('GET', `/api/v1/touchpoints/${person.source}/${person.id}`, {
      role: 'agent',
    });
    expect(found.status).toBe(200);
    ids.push(found.body.customerId as string);
  }
  expect(new Set(ids).size).toBe(12);
  await recordProposals(store(), pairs.map(proposalOf));
  await p.server.ctx.es.indices.refresh({ index: p.server.ctx.names.matchPairs });
}, 180_000);

afterAll(async () => {
  await p?.close();
});

type Item = {
  pairId: string;
  a: { id: string; name: string; city: string | null };
  b: { id: string; name: string };
  reasons: string[];
  score: number;
  status: string;
  fields: { field: string; level: string; a: string | null }[];
  createdAt: string;
};

const list = async (query = '') => {
  const res = await p.request('GET', `/api/v1/identity/duplicates${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    items: Item[];
    total: number;
    next: string | null;
    thresholds?: { review: number; autoMerge: number };
  };
};

/** Every page of a query, following `next`. */
async function allPages(query: string, size: number): Promise<Item[][]> {
  const pages: Item[][] = [];
  let after: string | null = null;
  do {
    const page = await list(
      `?size=${size}${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    pages.push(page.items);
    after = page.next;
  } while (after && pages.length < 50);
  return pages;
}

describe("the steward's queue", () => {
  it('answers the exact total and pages through every open pair once, highest score first, ties by pair id', async () => {
    const first = await list('?size=7');
    expect(first.total).toBe(30);
    expect(first.thresholds).toEqual({
      review: expect.any(Number),
      autoMerge: expect.any(Number),
    });
    expect(first.items).toHaveLength(7);
    expect(first.next).toEqual(expect.any(String));
    const pages = await allPages('', 7);
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 2]);
    const seen = pages.flat();
    expect(seen.map((i) => i.pairId).sort()).toEqual(pairIds().sort());
    const expected = [...seen].sort((x, y) =>
      x.score !== y.score ? y.score - x.score : x.pairId < y.pairId ? -1 : 1,
    );
    expect(seen.map((i) => i.pairId)).toEqual(expected.map((i) => i.pairId));
    // An exact last page has no next: no empty page to fetch.
    const exact = await allPages('', 10);
    expect(exact.map((page) => page.length)).toEqual([10, 10, 10]);
  });

  it("shows both sides from their profiles and the pair's explanation", async () => {
    const { items } = await list('?size=1');
    const [item] = items;
    const person = people[ids.indexOf(item.a.id)];
    expect(item.a.name).toContain(person.customer.lastName);
    expect(item).toMatchObject({ score: 0.97, status: 'open', modelVersion: 'test-model-1' });
    expect(item.reasons).toEqual(['lastName: close']);
    expect(item.fields.map((f) => f.field)).toEqual([
      'lastName',
      'firstName',
      'birthDate',
      'email',
    ]);
    expect(item.fields[0]).toMatchObject({ level: 'close', note: 'Jaro-Winkler 0.93' });
    expect(item.createdAt).toEqual(expect.any(String));
  });

  it('sorts lowest score first and newest first, each paging without gaps', async () => {
    const lowest = (await allPages('&sort=-score', 8)).flat();
    expect(lowest).toHaveLength(30);
    expect(lowest[0].score).toBe(0.55);
    for (let i = 1; i < lowest.length; i++)
      expect(lowest[i].score).toBeGreaterThanOrEqual(lowest[i - 1].score);
    const newest = (await allPages('&sort=newest', 8)).flat();
    expect(new Set(newest.map((i) => i.pairId)).size).toBe(30);
    for (let i = 1; i < newest.length; i++)
      expect(newest[i].createdAt <= newest[i - 1].createdAt).toBe(true);
  });

  it('filters by score range, source and city (folded), each with its own total', async () => {
    const high = await list('?minScore=0.9&size=100');
    expect(high.total).toBe(pairs.filter((x) => x.probability >= 0.9).length);
    expect(high.items.every((i) => i.score >= 0.9)).toBe(true);
    const band = await list('?minScore=0.6&maxScore=0.75&size=100');
    expect(band.total).toBe(
      pairs.filter((x) => x.probability >= 0.6 && x.probability <= 0.75).length,
    );
    const crmOnly = (x: { a: number; b: number }) =>
      people[x.a].source === 'crm' || people[x.b].source === 'crm';
    expect((await list('?source=crm&size=100')).total).toBe(pairs.filter(crmOnly).length);
    const inMunich = (x: { a: number; b: number }) => x.a % 3 === 0 || x.b % 3 === 0;
    const munich = await list('?city=muenchen&size=100');
    expect(munich.total).toBe(pairs.filter(inMunich).length);
    expect((await list('?city=M%C3%BCNCHEN&size=100')).total).toBe(munich.total);
    const both = await list('?city=K%C3%B6ln&source=shop&minScore=0.9&size=100');
    expect(both.total).toBe(
      pairs.filter(
        (x) =>
          x.probability >= 0.9 &&
          (x.a % 3 === 2 || x.b % 3 === 2) &&
          (people[x.a].source === 'shop' || people[x.b].source === 'shop'),
      ).length,
    );
    expect((await list('?status=rejected')).total).toBe(0);
  });

  it('refuses a bad cursor, a cursor of another sort and bad filters with 400, naming the problem', async () => {
    const { next } = await list('?size=3');
    const cases = [
      ['?after=not-a-cursor', /after/],
      [
        `?after=${encodeURIComponent(Buffer.from('{"s":"score","k":[1]}').toString('base64url'))}`,
        /after/,
      ],
      [`?sort=newest&after=${encodeURIComponent(next!)}`, /sort=score, not sort=newest/],
      ['?minScore=2', /minScore/],
      ['?minScore=0.9&maxScore=0.5', /minScore/],
      ['?size=0', /size/],
      ['?status=maybe', /status/],
      ['?sort=name', /sort/],
      ['?page=2', /page/],
    ] as const;
    for (const [query, problem] of cases) {
      const res = await p.request('GET', `/api/v1/identity/duplicates${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('invalid_request');
      expect(JSON.stringify(res.body.error), query).toMatch(problem);
    }
  });
});

describe('bulk decisions', () => {
  const decide = async (decisions: { pairId: string; decision: 'accept' | 'reject' }[]) => {
    const res = await p.request('POST', '/api/v1/identity/duplicates/decisions', {
      body: { decisions },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.results as {
      pairId: string;
      ok: boolean;
      actionId?: string;
      error?: { code: string; message: string };
    }[];
  };
  const customerOf = async (i: number) =>
    (
      await p.request('GET', `/api/v1/touchpoints/${people[i].source}/${people[i].id}`, {
        role: 'agent',
      })
    ).body.customerId as string;
  const actions = async () =>
    (await p.request('GET', '/api/v1/identity/actions')).body.items as {
      id: string;
      action: string;
      customerId: string;
      otherId: string;
      by: string;
      explanation?: { pairId: string; probability: number; fields: { field: string }[] };
    }[];

  let acceptedAction = '';

  it('accepts: merges the two customers, records the explanation on the action, the pair is merged, and undo brings both back', async () => {
    const pairId = pairIdOf(ids[0], ids[1]);
    const [result] = await decide([{ pairId, decision: 'accept' }]);
    expect(result).toMatchObject({ pairId, ok: true, actionId: expect.any(String) });
    acceptedAction = result.actionId!;
    expect(await customerOf(0)).toBe(await customerOf(1));
    const action = (await actions()).find((x) => x.id === acceptedAction)!;
    expect(action).toMatchObject({ action: 'merge', by: p.actors.admin });
    expect(action.explanation).toMatchObject({
      pairId,
      probability: 0.97,
      modelVersion: 'test-model-1',
    });
    expect(action.explanation?.fields.map((f) => f.field)).toContain('lastName');
    const stored = (await getPairs(store(), [pairId])).get(pairId);
    expect(stored).toMatchObject({
      status: 'merged',
      decidedBy: p.actors.admin,
      actionId: acceptedAction,
    });
    const open = await list('?size=100');
    expect(open.items.some((i) => i.pairId === pairId)).toBe(false);
    // The merged-away customer's other pairs no longer name two people: closed.
    const loser = action.otherId;
    expect(open.items.some((i) => i.a.id === loser || i.b.id === loser)).toBe(false);
    expect((await list('?status=merged')).items.map((i) => i.pairId)).toEqual([pairId]);

    const undone = await p.request('POST', `/api/v1/identity/actions/${acceptedAction}/undo`);
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await customerOf(0)).not.toBe(await customerOf(1));
    // Reopened by the undo; matching, which re-matches the two after their rebuild, may close it
    // again (these made-up pairs do not score), but the decision is gone either way.
    const reopened = (await getPairs(store(), [pairId])).get(pairId)!;
    expect(['open', 'closed']).toContain(reopened.status);
    expect(reopened).toMatchObject({ decidedBy: null, decidedAt: null, actionId: null });
  });

  it('rejects: marks the two "not the same", the pair is rejected and a new proposal never reopens it', async () => {
    const pairId = pairIdOf(ids[2], ids[3]);
    const [result] = await decide([{ pairId, decision: 'reject' }]);
    expect(result).toMatchObject({ pairId, ok: true });
    const action = (await actions()).find((x) => x.id === result.actionId)!;
    expect(action.action).toBe('not-same');
    expect([action.customerId, action.otherId].sort()).toEqual([ids[2], ids[3]].sort());
    await recordProposals(store(), [proposalOf({ a: 2, b: 3, probability: 0.99 })]);
    expect((await getPairs(store(), [pairId])).get(pairId)).toMatchObject({
      status: 'rejected',
      probability: pairs.find((x) => x.a === 2 && x.b === 3)!.probability,
    });
    expect((await list('?size=100')).items.some((i) => i.pairId === pairId)).toBe(false);
    expect((await list('?status=rejected')).items.map((i) => i.pairId)).toEqual([pairId]);
    // A merge asked for anyway needs the admin to lift the mark by merging explicitly: an accept of a rejected pair is refused.
    const [again] = await decide([{ pairId, decision: 'accept' }]);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('decides each item on its own: unknown, already decided, closed and merged-away pairs fail alone', async () => {
    const good = pairIdOf(ids[4], ids[5]);
    const later = pairIdOf(ids[5], ids[6]);
    const rejected = pairIdOf(ids[2], ids[3]);
    // Either order of the ids names the same pair.
    const reversed = [ids[7], ids[9]].sort().reverse().join('|');
    const results = await decide([
      { pairId: good, decision: 'accept' },
      { pairId: 'cnobody1|cnobody2', decision: 'reject' },
      { pairId: rejected, decision: 'reject' },
      { pairId: reversed, decision: 'reject' },
    ]);
    expect(results.map((r) => [r.ok, r.error?.code])).toEqual([
      [true, undefined],
      [false, 'not_found'],
      [false, 'conflict'],
      [true, undefined],
    ]);
    expect(results[2].error?.message).toMatch(/already rejected/);
    expect(results[3].pairId).toBe(pairIdOf(ids[7], ids[9]));
    const merge = (await actions()).find((x) => x.id === results[0].actionId)!;
    const loser = merge.otherId;
    const survivor = merge.customerId;
    // A proposal made with the merged-away id before the engine saw the merge.
    const stale = ids.indexOf(loser) === 4 ? 8 : 9;
    await recordProposals(store(), [
      { ...proposalOf({ a: ids.indexOf(loser), b: stale, probability: 0.8 }) },
    ]);
    const staleId = pairIdOf(loser, ids[stale]);
    const [gone] = await decide([{ pairId: staleId, decision: 'accept' }]);
    expect(gone).toMatchObject({ ok: false, error: { code: 'merged_away' } });
    expect(gone.error?.message).toContain(`${loser} into ${survivor}`);
    expect((await getPairs(store(), [staleId])).get(staleId)?.status).toBe('closed');
    // Closed by the merge: the loser's other pair.
    const closedPair = loser === ids[5] ? later : pairIdOf(ids[4], ids[6]);
    expect((await getPairs(store(), [closedPair])).get(closedPair)?.status).toBe('closed');
    const [closed] = await decide([{ pairId: closedPair, decision: 'reject' }]);
    expect(closed).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(closed.error?.message).toMatch(/closed/);
  });

  it("lists a customer's actions, the merge with its explanation found from either id, however many came after", async () => {
    const pairId = pairIdOf(ids[4], ids[5]);
    const merge = (await actions()).find((x) => x.explanation?.pairId === pairId)!;
    for (const id of [merge.customerId, merge.otherId]) {
      const res = await p.request('GET', `/api/v1/identity/actions?customerId=${id}&size=5`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const items = res.body.items as (typeof merge)[];
      expect(items.map((x) => x.id)).toContain(merge.id);
      expect(items.every((x) => [merge.customerId, merge.otherId].includes(x.customerId))).toBe(
        true,
      );
    }
    const other = await p.request('GET', `/api/v1/identity/actions?customerId=${ids[11]}`);
    expect(other.body.items).toEqual([]);
    for (const query of ['?customerId=not%20an%20id', '?size=0', '?page=2']) {
      const res = await p.request('GET', `/api/v1/identity/actions${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  it('refuses an invalid batch whole with 400, deciding nothing', async () => {
    const pairId = pairIdOf(ids[8], ids[9]);
    for (const body of [
      { decisions: [] },
      { decisions: [{ pairId, decision: 'maybe' }] },
      { decisions: [{ pairId: 'no-pipe', decision: 'accept' }] },
      {
        decisions: [
          { pairId, decision: 'accept' },
          { pairId, decision: 'reject' },
        ],
      },
      { decisions: Array.from({ length: 201 }, () => ({ pairId, decision: 'accept' })) },
      { decisions: [{ pairId, decision: 'accept' }], extra: 1 },
    ]) {
      const res = await p.request('POST', '/api/v1/identity/duplicates/decisions', { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await getPairs(store(), [pairId])).get(pairId)?.status).toBe('open');
  });

  it('audits the decisions by customer id, with the counts', async () => {
    await p.server.ctx.audit.flush(true);
    const res = await p.request('GET', `/api/v1/audit?customerId=${ids[2]}&action=merge&size=50`);
    expect(res.status).toBe(200);
    const entries = res.body.items as { route: string; details?: Record<string, unknown> }[];
    expect(
      entries.some(
        (e) => e.route === '/identity/duplicates/decisions' && e.details?.kind === 'decisions',
      ),
    ).toBe(true);
  });
});

describe('labels and data quality', () => {
  it('exports decided pairs as CSV labels: ids, decision, score and levels, no names or contacts', async () => {
    const res = await fetch(`${p.url}/api/v1/identity/duplicates/labels?format=csv`, {
      headers: { authorization: `Bearer ${p.keys.admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    const [header, ...rows] = text.trim().split('\n');
    expect(header.split(',').slice(0, 9)).toEqual([
      'pairId',
      'a',
      'b',
      'label',
      'decidedBy',
      'decidedAt',
      'score',
      'weight',
      'modelVersion',
    ]);
    expect(header).toContain('level_lastName');
    expect(rows.length).toBe(Number(res.headers.get('x-total-count')));
    const rejected = rows.find((r) => r.startsWith(pairIdOf(ids[2], ids[3])));
    expect(rejected).toContain(',non-match,');
    expect(rows.some((r) => r.includes(',match,'))).toBe(true);
    expect(text).not.toMatch(/Zwiebelmeyer|Quirin|steward\.person|Lindenallee|Jaro/);
  });

  it('exports the same labels as JSON', async () => {
    const res = await fetch(`${p.url}/api/v1/identity/duplicates/labels?format=json`, {
      headers: { authorization: `Bearer ${p.keys.admin}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { pairId: string; label: string; levels: Record<string, string>; score: number }[];
    };
    expect(body.items.length).toBe(Number(res.headers.get('x-total-count')));
    const rejected = body.items.find((l) => l.pairId === pairIdOf(ids[2], ids[3]));
    expect(rejected).toMatchObject({
      label: 'non-match',
      levels: { lastName: 'close', firstName: 'different', birthDate: 'missing' },
    });
    expect(JSON.stringify(body)).not.toMatch(/Zwiebelmeyer|Quirin|steward\.person/);
    const bad = await p.request('GET', '/api/v1/identity/duplicates/labels?format=xml');
    expect(bad.status).toBe(400);
  });

  it('counts the open pairs exactly on the data-quality page, with the trend of the last 30 days', async () => {
    const { total } = await list();
    const res = await p.request('GET', '/api/v1/data-quality', { role: 'manager' });
    expect(res.status).toBe(200);
    expect(res.body.openSuspectedDuplicates).toBe(total);
    const trend = res.body.duplicatesTrend as {
      day: string;
      opened: number;
      merged: number;
      rejected: number;
    }[];
    expect(trend).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(trend[29].day).toBe(today);
    expect(trend[29].opened).toBeGreaterThanOrEqual(30);
    expect(trend[29].merged).toBeGreaterThanOrEqual(1);
    expect(trend[29].rejected).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(res.body)).not.toMatch(/Zwiebelmeyer|Quirin/);
  });
});

describe('only admins', () => {
  const routes: [string, string][] = [
    ['GET', '/api/v1/identity/duplicates'],
    ['HEAD', '/api/v1/identity/duplicates'],
    ['POST', '/api/v1/identity/duplicates/decisions'],
    ['GET', '/api/v1/identity/duplicates/labels?format=csv'],
    ['HEAD', '/api/v1/identity/duplicates/labels'],
  ];

  it('every other role gets 403 on every steward route, without credentials 401', async () => {
    const pairId = pairIdOf(ids[10], ids[11]);
    for (const role of ['ingest', 'agent', 'manager', 'analyst'] as Role[]) {
      for (const [method, url] of routes) {
        const res = await p.request(method, url, {
          role,
          body: method === 'POST' ? { decisions: [{ pairId, decision: 'accept' }] } : undefined,
        });
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
        if (method !== 'HEAD') expect(res.body.error.code).toBe('forbidden');
      }
    }
    for (const [method, url] of routes)
      expect((await p.request(method, url, { role: null })).status, `${method} ${url}`).toBe(401);
    expect((await getPairs(store(), [pairId])).get(pairId)?.status).toBe('open');
  });

  it('another case or a trailing slash is a 404, never the queue without its policy', async () => {
    const variants: [string, string][] = [
      ['GET', '/api/v1/identity/duplicates/'],
      ['GET', '/api/v1/Identity/duplicates'],
      ['GET', '/api/v1/identity/Duplicates'],
      ['HEAD', '/api/v1/identity/DUPLICATES'],
      ['POST', '/api/v1/identity/duplicates/decisions/'],
      ['POST', '/api/v1/identity/duplicates/Decisions'],
      ['GET', '/api/v1/identity/duplicates/labels/'],
      ['GET', '/api/v1/identity/duplicates/Labels'],
    ];
    for (const role of ['admin', 'manager', 'analyst'] as Role[]) {
      for (const [method, url] of variants) {
        const res = await p.request(method, url, {
          role,
          body: method === 'POST' ? { decisions: [] } : undefined,
        });
        expect(res.status, `${role} ${method} ${url}`).toBe(404);
        expect(JSON.stringify(res.body ?? '')).not.toMatch(/Zwiebelmeyer|Quirin/);
      }
    }
  });

  it('HEAD answers an admin through the same policy, with no body', async () => {
    const res = await p.request('HEAD', '/api/v1/identity/duplicates');
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('erasure', () => {
  it("erasing a customer removes its pairs and keeps only levels and weights of a merge's explanation", async () => {
    const actions = (await p.request('GET', '/api/v1/identity/actions')).body.items as {
      id: string;
      customerId: string;
      otherId: string;
      undoneAt: string | null;
      explanation?: { fields: { a: string | null; b: string | null; level: string }[] };
    }[];
    const merge = actions.find((a) => a.explanation && !a.undoneAt)!;
    expect(merge.explanation!.fields.some((f) => f.a !== null)).toBe(true);
    const erased = await p.request('DELETE', `/api/v1/customers/${merge.customerId}`);
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const touching = pairs
      .map((x) => [ids[x.a], ids[x.b]])
      .filter((pair) => pair.includes(merge.customerId) || pair.includes(merge.otherId))
      .map(([a, b]) => pairIdOf(a, b));
    expect(touching.length).toBeGreaterThan(0);
    expect((await getPairs(store(), touching)).size).toBe(0);
    const after = (await p.request('GET', '/api/v1/identity/actions')).body.items as typeof actions;
    const rewritten = after.find((a) => a.id === merge.id)!;
    expect(rewritten.explanation!.fields.length).toBe(merge.explanation!.fields.length);
    expect(rewritten.explanation!.fields.every((f) => f.a === null && f.b === null)).toBe(true);
    expect(rewritten.explanation!.fields.map((f) => f.level)).toEqual(
      merge.explanation!.fields.map((f) => f.level),
    );
    const { items } = await list('?size=500');
    expect(
      items.some((i) => [merge.customerId, merge.otherId].some((id) => i.pairId.includes(id))),
    ).toBe(false);
  });
});
