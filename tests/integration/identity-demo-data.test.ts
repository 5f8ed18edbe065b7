import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRedirects } from '../../store/src/identity/identity-links';
import { processIngestBatch } from '../../indexers/src/processors/ingest-batch';
import { generateDemo } from '../../scripts/demo/generate';
import { messify } from '../../scripts/demo/messy-variants';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
beforeAll(async () => {
  p = await startPanorama({ indexers: 2 });
});
afterAll(async () => {
  await p?.close();
});

describe('identity resolution on messy demo data', () => {
  it('when 200 messy people are resolved by parallel jobs of two indexers, no profile mixes people and at most 2 % of people are split', async () => {
    const all = [
      ...messify(
        generateDemo({ customers: 200, seed: 42, now: new Date('2026-11-22T00:00:00Z') }),
        { seed: 42 },
      ),
    ];
    const batches: (typeof all)[number]['touchpoint'][][] = [];
    for (let i = 0; i < all.length; i += 500)
      batches.push(all.slice(i, i + 500).map((x) => x.touchpoint));
    // Four jobs at a time, spread over both indexers, as the ingest worker would run them.
    for (let i = 0; i < batches.length; i += 4) {
      await Promise.all(
        batches.slice(i, i + 4).map((touchpoints, j) =>
          processIngestBatch(p.indexers[j % 2].ctx, {
            id: `demo-${i + j}`,
            data: { touchpoints },
          }),
        ),
      );
    }
    const ctx = p.indexers[0].ctx;
    await ctx.es.indices.refresh({ index: ctx.names.touchpoints });
    const res = await ctx.es.search<{ key: string; customerId: string }>({
      index: ctx.names.touchpoints,
      size: 10_000,
      _source: ['key', 'customerId'],
    });
    const stored = res.hits.hits.map((h) => h._source!);
    const survivors = await resolveRedirects(ctx, new Set(stored.map((r) => r.customerId)));
    const personOf = new Map(
      all.map((x) => [`${x.touchpoint.source}:${x.touchpoint.id}`, x.personId]),
    );
    const customersOfPerson = new Map<string, Set<string>>();
    const peopleOfCustomer = new Map<string, Set<string>>();
    for (const r of stored) {
      const person = personOf.get(r.key)!;
      const customer = survivors.get(r.customerId) ?? r.customerId;
      customersOfPerson.set(person, (customersOfPerson.get(person) ?? new Set()).add(customer));
      peopleOfCustomer.set(customer, (peopleOfCustomer.get(customer) ?? new Set()).add(person));
    }
    const mixed = [...peopleOfCustomer.values()].filter((s) => s.size > 1).length;
    const split = [...customersOfPerson.values()].filter((s) => s.size > 1).length;
    expect(mixed).toBe(0);
    expect(split / customersOfPerson.size).toBeLessThanOrEqual(0.02);
  });
});
