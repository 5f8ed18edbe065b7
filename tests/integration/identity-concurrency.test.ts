import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRedirects } from '../../store/src/identity/identity-links';
import { processIngestBatch } from '../../indexers/src/processors/ingest-batch';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama({ indexers: 3 });
});
afterAll(async () => {
  await p?.close();
});

/**
 * Six records of one new person, each carrying a different pair of
 * identifiers, so only together do they form a chain — every worker sees a
 * different part of it first.
 */
function recordsOfNewPerson(n: number) {
  const customer = {
    customerNumber: `K-9${String(n).padStart(5, '0')}`,
    email: `person${n}@concurrency.example.de`,
    phone: `+49 171 ${String(5_000_000 + n)}`,
    firstName: 'Clara',
    lastName: `Parallel${n}`,
  };
  const at = '2026-10-05T09:00:00Z';
  const tp = (source: string, id: string, c: Record<string, unknown>) => ({
    source,
    id: `${id}-${n}`,
    type: 'note',
    occurredAt: at,
    customer: { firstName: customer.firstName, lastName: customer.lastName, ...c },
    data: { text: 'parallel' },
  });
  return [
    tp('crm', 'a', { customerNumber: customer.customerNumber, email: customer.email }),
    tp('shop', 'b', { externalId: `u-${n}`, email: ` ${customer.email.toUpperCase()}` }),
    tp('shop', 'c', { externalId: `u-${n}`, phone: customer.phone }),
    tp('helpdesk', 'd', { phone: customer.phone.replace('+49 ', '0') }),
    tp('crm', 'e', { customerNumber: customer.customerNumber.toLowerCase() }),
    tp('app', 'f', { externalId: `dev-${n}`, phone: customer.phone.replace(/ /g, '-') }),
  ];
}

/** The surviving customer of a record: its stored customer, following merge redirects. */
async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const stored = res.body.customerId as string;
  return (await resolveRedirects(p.indexers[0].ctx, [stored])).get(stored) ?? stored;
}

async function profileCount(): Promise<number> {
  const es = p.indexers[0].ctx.es;
  await es.indices.refresh({ index: p.indexers[0].ctx.names.customers });
  return (await es.count({ index: p.indexers[0].ctx.names.customers })).count;
}

async function waitForProfiles(expected: number) {
  const deadline = Date.now() + 20_000;
  while ((await profileCount()) !== expected && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
}

describe('identity resolution under concurrency', () => {
  it('when three workers process the records of one new person at the same moment, they end in exactly one profile', async () => {
    const people = Array.from({ length: 12 }, (_, i) => recordsOfNewPerson(i));
    // Each record is its own job, handed to the three indexers round-robin, all started together.
    let job = 0;
    const runs = people.flatMap((records) =>
      records.map((tp) => {
        const indexer = p.indexers[job % p.indexers.length];
        job += 1;
        return processIngestBatch(indexer.ctx, { id: `c-${job}`, data: { touchpoints: [tp] } });
      }),
    );
    await Promise.all(runs);
    for (const records of people) {
      const ids = new Set(await Promise.all(records.map(customerOf)));
      expect(ids.size, `customers of ${records[0].customer.lastName}`).toBe(1);
    }
    await waitForProfiles(people.length);
    expect(await profileCount()).toBe(people.length);
  });

  it('when the records arrive through the API as separate requests, three indexers still make one profile per person', async () => {
    const people = Array.from({ length: 10 }, (_, i) => recordsOfNewPerson(100 + i));
    const before = await profileCount();
    const answers = await Promise.all(
      people
        .flat()
        .map((tp) => p.request('POST', '/api/v1/touchpoints', { body: [tp], role: 'ingest' })),
    );
    for (const a of answers) expect(a.status).toBe(202);
    await p.waitUntilIndexed();
    for (const records of people) {
      const ids = new Set(await Promise.all(records.map(customerOf)));
      expect(ids.size, `customers of ${records[0].customer.lastName}`).toBe(1);
    }
    await waitForProfiles(before + people.length);
    expect(await profileCount()).toBe(before + people.length);
  });
});
