/**
 * The pair store (store/src/matching/match-pairs.ts) against a real
 * Elasticsearch, in the index `mappings:apply` creates: proposals open pairs,
 * decisions are final for new proposals, closing touches open pairs only,
 * undoing a decision's action reopens it, erasure forgets a customer's pairs.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { indexNames } from '../../infra/src/names';
import { removePrefixData } from '../../infra/src/prefix-cleanup';
import { applyMappings } from '../../mappings/apply';
import type { IndexContext } from '../../store/src/context';
import {
  closePairs,
  closePairsOf,
  forgetPairsOf,
  getPairs,
  markDecided,
  openPairIdsOf,
  pairIdOf,
  recordProposals,
  reopenPairsOfAction,
  type MatchProposal,
} from '../../store/src/matching/match-pairs';
import { serviceUrls } from '../support/panorama';

let es: Client;
let ctx: IndexContext;
const prefix = `t${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const { elasticsearchUrl } = serviceUrls();
  await applyMappings({ elasticsearchUrl, prefix });
  es = createElasticsearch(elasticsearchUrl);
  ctx = { es, names: indexNames(prefix) };
});

afterAll(async () => {
  await es?.close();
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  await removePrefixData(elasticsearchUrl, redisUrl, prefix);
});

function proposal(a: string, b: string, probability = 0.9): MatchProposal {
  return {
    a,
    b,
    probability,
    weight: Math.log2(probability / (1 - probability)),
    fields: [
      { field: 'lastName', level: 'exact', weight: 6.1, a: 'Müller', b: 'Müller' },
      { field: 'firstName', level: 'nickname', weight: 3.2, a: 'Hans', b: 'Johannes' },
      { field: 'birthDate', level: 'missing', weight: 0, a: null, b: '1970-01-02' },
    ],
    modelVersion: 'm1',
    sources: ['shop', 'crm', 'shop'],
    cities: ['München', 'Muenchen'],
  };
}

describe('the pair store', () => {
  it('stores a proposal open under the sorted pair id, whichever way round it comes', async () => {
    await recordProposals(ctx, [proposal('c2', 'c1'), proposal('c1', 'c1')]);
    const pairs = await getPairs(ctx, ['c1|c2', 'c1|c1']);
    expect([...pairs.keys()]).toEqual(['c1|c2']);
    const pair = pairs.get('c1|c2')!;
    expect(pair).toMatchObject({
      pairId: 'c1|c2',
      a: 'c1',
      b: 'c2',
      status: 'open',
      probability: 0.9,
      modelVersion: 'm1',
      sources: ['crm', 'shop'],
      cities: ['München', 'Muenchen'],
      decidedBy: null,
      decidedAt: null,
      actionId: null,
    });
    expect(pair.fields[1]).toEqual({
      field: 'firstName',
      level: 'nickname',
      weight: 3.2,
      a: 'Hans',
      b: 'Johannes',
    });
    expect(pair).not.toHaveProperty('cityKeys');
    expect(pairIdOf('x', 'a')).toBe('a|x');
  });

  it('a new proposal of an open pair updates its score but keeps when it first came up', async () => {
    const before = (await getPairs(ctx, ['c1|c2'])).get('c1|c2')!;
    await recordProposals(ctx, [{ ...proposal('c1', 'c2', 0.97), modelVersion: 'm2' }]);
    const after = (await getPairs(ctx, ['c1|c2'])).get('c1|c2')!;
    expect(after).toMatchObject({ probability: 0.97, modelVersion: 'm2', status: 'open' });
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('lists and closes the open pairs of a customer, and closed pairs open again when proposed', async () => {
    await recordProposals(ctx, [proposal('c1', 'c3'), proposal('c4', 'c5')]);
    expect(await openPairIdsOf(ctx, 'c1')).toEqual(['c1|c2', 'c1|c3']);
    await closePairsOf(ctx, ['c3']);
    expect(await openPairIdsOf(ctx, 'c1')).toEqual(['c1|c2']);
    expect((await getPairs(ctx, ['c1|c3'])).get('c1|c3')?.status).toBe('closed');
    await closePairs(ctx, ['c4|c5', 'nobody|none']);
    expect((await getPairs(ctx, ['c4|c5'])).get('c4|c5')?.status).toBe('closed');
    await recordProposals(ctx, [proposal('c3', 'c1')]);
    expect(await openPairIdsOf(ctx, 'c3')).toEqual(['c1|c3']);
  });

  it('a decided pair stays decided: new proposals and closes leave it as it is', async () => {
    await recordProposals(ctx, [proposal('d1', 'd2'), proposal('d3', 'd4')]);
    await markDecided(ctx, ['d1|d2'], 'rejected', 'admin', 'a-reject');
    await markDecided(ctx, ['d3|d4', 'unknown|pair'], 'merged', 'auto', 'a-merge');
    await recordProposals(ctx, [proposal('d2', 'd1', 0.99), proposal('d3', 'd4', 0.99)]);
    await closePairs(ctx, ['d1|d2', 'd3|d4']);
    await closePairsOf(ctx, ['d1', 'd3']);
    const pairs = await getPairs(ctx, ['d1|d2', 'd3|d4', 'unknown|pair']);
    expect(pairs.size).toBe(2);
    expect(pairs.get('d1|d2')).toMatchObject({
      status: 'rejected',
      decidedBy: 'admin',
      actionId: 'a-reject',
      probability: 0.9,
    });
    expect(pairs.get('d1|d2')?.decidedAt).toBeTruthy();
    expect(pairs.get('d3|d4')).toMatchObject({ status: 'merged', decidedBy: 'auto' });
    expect(await openPairIdsOf(ctx, 'd1')).toEqual([]);
  });

  it('undoing the action of a decision reopens its pair', async () => {
    expect(await reopenPairsOfAction(ctx, 'a-reject')).toEqual(['d1|d2']);
    expect((await getPairs(ctx, ['d1|d2'])).get('d1|d2')).toMatchObject({
      status: 'open',
      decidedBy: null,
      decidedAt: null,
      actionId: null,
    });
    expect(await reopenPairsOfAction(ctx, 'a-none')).toEqual([]);
  });

  it('concurrent proposals and decisions of the same pairs all land, none lost', async () => {
    const many = Array.from({ length: 300 }, (_, i) => proposal(`e${i}`, `f${i}`));
    await Promise.all([
      recordProposals(ctx, many),
      recordProposals(ctx, many.slice(0, 150)),
      recordProposals(ctx, many.slice(100)),
    ]);
    await markDecided(
      ctx,
      many.slice(0, 10).map((p) => pairIdOf(p.a, p.b)),
      'merged',
      'admin',
      'a-many',
    );
    await Promise.all([recordProposals(ctx, many), recordProposals(ctx, many)]);
    const stored = await getPairs(
      ctx,
      many.map((p) => pairIdOf(p.a, p.b)),
    );
    expect(stored.size).toBe(300);
    expect([...stored.values()].filter((p) => p.status === 'merged')).toHaveLength(10);
  });

  it('forgets every pair of an erased customer, whatever its status', async () => {
    await recordProposals(ctx, [proposal('g1', 'g2'), proposal('g3', 'g1'), proposal('g4', 'g5')]);
    await markDecided(ctx, ['g1|g2'], 'merged', 'admin', null);
    expect(await forgetPairsOf(ctx, ['g1'])).toBe(2);
    expect([...(await getPairs(ctx, ['g1|g2', 'g1|g3', 'g4|g5'])).keys()]).toEqual(['g4|g5']);
  });
});
