/**
 * Erasure that stays erased, on the real Elasticsearch and Redis, with
 * suppression on (the default): records sent while the erasure runs and
 * after it never bring the person back, a phone shared with someone else
 * keeps no trace of the erased holder, and no store of the installation
 * (every index of the prefix, every Redis key) holds an identifier of the
 * erased person afterwards.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearch } from '../../infra/src/elasticsearch';
import { serviceUrls, startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
function order(id: string, customer: Record<string, unknown>, occurredAt = at(60)) {
  return {
    source: 'shop',
    id,
    type: 'order',
    occurredAt,
    customer,
    data: { orderNumber: `ON-${id}`, total: 42, currency: 'EUR', status: 'paid' },
  };
}

async function ingest(touchpoints: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

/** Until the queue is empty and every dirty profile rebuilt. */
async function settle() {
  await p.waitUntilIndexed();
  const deadline = Date.now() + 30_000;
  while (
    (await p.server.ctx.redis.zcard(`${p.prefix}:dirty-customers`)) > 0 &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 100));
  await p.server.ctx.es.indices.refresh({ index: `${p.prefix}-*` });
}

async function idOf(q: string): Promise<string> {
  const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
    role: 'admin',
  });
  expect(res.body.items?.length, `search ${q}`).toBeGreaterThan(0);
  return res.body.items[0].id as string;
}

async function customerOfTouchpoint(key: string): Promise<string | null> {
  const res = await p.request('GET', `/api/v1/touchpoints/${key}`, { role: 'admin' });
  return res.status === 200 ? (res.body.customerId as string) : null;
}

interface Found {
  where: string;
  id: string;
  text: string;
}

/** Every document of every index of the test prefix (snapshots included) and every Redis key of it, as text. */
async function everything(): Promise<Found[]> {
  const { elasticsearchUrl, redisUrl } = serviceUrls();
  const es = createElasticsearch(elasticsearchUrl);
  const found: Found[] = [];
  try {
    await p.server.ctx.audit.flush(true);
    await es.indices.refresh({ index: `${p.prefix}-*`, expand_wildcards: 'all' });
    const all = await es.search({
      index: `${p.prefix}-*`,
      expand_wildcards: 'all',
      size: 10_000,
      query: { match_all: {} },
    });
    for (const hit of all.hits.hits)
      found.push({
        where: hit._index,
        id: hit._id ?? '',
        text: `${hit._id} ${JSON.stringify(hit._source)}`,
      });
  } finally {
    await es.close();
  }
  const redis = new Redis(redisUrl);
  try {
    const keys = [...(await redis.keys(`*${p.prefix}*`))];
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown = null;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      found.push({ where: `redis:${type}`, id: key, text: `${key} ${JSON.stringify(value)}` });
    }
  } finally {
    redis.disconnect();
  }
  return found;
}

function holding(found: Found[], values: string[]): { where: string; id: string; value: string }[] {
  return found.flatMap((f) =>
    values
      .filter((v) => f.text.toLowerCase().includes(v.toLowerCase()))
      .map((value) => ({ where: f.where, id: f.id, value })),
  );
}

const oskar = {
  firstName: 'Oskar',
  lastName: 'Verschwindibus',
  email: 'oskar.verschwindibus@example.org',
  phone: '0151 4470 3321',
  customerNumber: 'KN-778899',
  birthDate: '1979-03-14',
  address: { street: 'Nebelgasse 7', postalCode: '10115', city: 'Berlin', country: 'DE' },
};
const secondEmail = 'oskar.zweitadresse@example.org';
/** What must be found nowhere once Oskar is erased (compared case-insensitively; the phone also in E.164 and national digits). */
const oskarValues = [
  'verschwindibus',
  'KN-778899',
  'KN778899',
  '778899',
  'zweitadresse',
  '44703321',
  '4470 3321',
  '1979-03-14',
  'Nebelgasse',
];
const kurt = {
  firstName: 'Kurt',
  lastName: 'Keeper',
  email: 'kurt.keeper@example.com',
  customerNumber: 'KN-KEEP1',
};

describe('an erasure while records of the person keep coming', () => {
  let erasedIds: string[] = [];
  const posted: string[] = [];
  let erasure: { status: number; body: any } | null = null; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON answer

  beforeAll(async () => {
    await ingest([
      order('O1', oskar),
      order('O2', { email: oskar.email, firstName: 'Oskar', lastName: 'Verschwindibus' }),
      // A placeholder email, which links nobody.
      order('O3', { customerNumber: oskar.customerNumber, email: 'noreply@example.com' }),
      order('K1', kurt),
      // A record of Oskar's that landed on Kurt (his customer number, Oskar's second email) …
      order('K2', { customerNumber: kurt.customerNumber, email: secondEmail }),
    ]);
    const oskarId = await idOf(oskar.email);
    const kurtId = await idOf(kurt.email);
    // … detached by an admin (the action names the identifier), then merged into Oskar: Oskar's record, on Kurt's action.
    const detached = await p.request('POST', '/api/v1/identity/detach', {
      body: { customerId: kurtId, identifier: `email:${secondEmail}` },
    });
    expect(detached.status, JSON.stringify(detached.body)).toBe(200);
    const merged = await p.request('POST', '/api/v1/identity/merge', {
      body: { a: oskarId, b: detached.body.otherId },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    await settle();
    // A saved segment he is in (segment events), a daily snapshot of him, views and searches in the audit log.
    const segment = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: {
        name: 'No email consent',
        filter: {
          kind: 'not',
          filter: { kind: 'terms', field: 'consentGranted', values: ['email'] },
        },
      },
    });
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);
    await settle();
    const snapshot = await p.request('POST', '/api/v1/snapshots', {
      role: 'analyst',
      body: { waitMs: 20_000 },
    });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
    const id = await idOf(oskar.customerNumber);
    expect((await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).status).toBe(200);
    expect(
      (await p.request('GET', `/api/v1/customers/${id}/timeline`, { role: 'agent' })).status,
    ).toBe(200);
    expect(
      holding(await everything(), ['verschwindibus']).length,
      'the person is stored before',
    ).toBeGreaterThan(0);

    // Every 200 ms a record by one identifier (email, phone, customer number), before, during and 3 s after the erasure.
    const by = [
      { email: oskar.email },
      { phone: oskar.phone },
      { customerNumber: oskar.customerNumber },
      { phone: oskar.phone, firstName: 'Oskar', lastName: 'Verschwindibus' },
    ];
    let n = 0;
    let stop = false;
    const poster = (async () => {
      while (!stop) {
        const tpId = `P${++n}`;
        const res = await p.request('POST', '/api/v1/touchpoints', {
          role: 'ingest',
          body: [order(tpId, by[n % by.length], at(0))],
        });
        expect(res.status).toBe(202);
        posted.push(`shop/${tpId}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await new Promise((r) => setTimeout(r, 700));
    erasure = await p.request('DELETE', `/api/v1/customers/${id}`, { role: 'admin' });
    await new Promise((r) => setTimeout(r, 3_000));
    stop = true;
    await poster;
    await settle();
    erasedIds = erasure.body.customerIds ?? [];
  }, 120_000);

  it('answers 200 {"erased": true} with ids and counts', () => {
    expect(erasure?.status, JSON.stringify(erasure?.body)).toBe(200);
    expect(erasure?.body).toMatchObject({ erased: true });
    expect(erasedIds.length).toBe(2);
    expect(erasure?.body.suppressedIdentifiers).toBeGreaterThanOrEqual(4);
    expect(posted.length).toBeGreaterThan(15);
  });

  it('finds the person by no identifier and keeps no profile of them, although records kept coming', async () => {
    for (const q of [
      oskar.email,
      oskar.phone,
      '+4915144703321',
      oskar.customerNumber,
      'Verschwindibus',
      secondEmail,
    ]) {
      const found = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
        role: 'admin',
      });
      expect(found.body.total, q).toBe(0);
    }
    for (const id of erasedIds)
      expect((await p.request('GET', `/api/v1/customers/${id}`, { role: 'admin' })).status).toBe(
        404,
      );
    const profiles = await p.server.ctx.es.search({
      index: `${p.prefix}-customers`,
      size: 100,
      query: { match_all: {} },
    });
    expect(
      holding(
        profiles.hits.hits.map((h) => ({
          where: 'customers',
          id: h._id ?? '',
          text: JSON.stringify(h._source),
        })),
        oskarValues,
      ),
    ).toEqual([]);
  });

  it('drops every record sent during and after the erasure (none is stored, none recreates him)', async () => {
    const kept = [];
    for (const key of posted) if ((await customerOfTouchpoint(key)) !== null) kept.push(key);
    expect(kept).toEqual([]);
    for (const key of ['shop/O1', 'shop/O2', 'shop/O3', 'shop/K2'])
      expect(await customerOfTouchpoint(key)).toBeNull();
  });

  it('leaves no identifier of the person in any index or Redis key: identity actions, marks, segment events, snapshots, audit, suppression list', async () => {
    expect(holding(await everything(), oskarValues)).toEqual([]);
  });

  it('keeps only ids and counts of the identity actions on either side, which can no longer be undone', async () => {
    const actions = await p.request('GET', '/api/v1/identity/actions', { role: 'admin' });
    const involved = (
      actions.body.items as {
        id: string;
        customerId: string;
        otherId: string;
        touchpoints: string[];
        identifier: string | null;
        erasedAt?: string;
      }[]
    ).filter((a) => erasedIds.includes(a.customerId) || erasedIds.includes(a.otherId));
    // The detach (and the "not the same" mark it made) on Kurt's side, the merge on Oskar's.
    expect(involved.map((a) => a.identifier)).toEqual([null, null, null]);
    expect(involved.every((a) => a.touchpoints.length === 0 && a.erasedAt)).toBe(true);
    for (const a of involved)
      expect(
        (await p.request('POST', `/api/v1/identity/actions/${a.id}/undo`, { role: 'admin' }))
          .status,
      ).toBe(409);
  });

  it('names the erased ids nowhere but in the audit log and those identity actions', async () => {
    const naming = (await everything()).filter((f) => erasedIds.some((id) => f.text.includes(id)));
    const allowed = naming.filter((f) => f.where.includes('-audit') || f.id.startsWith('action:'));
    expect(naming.filter((f) => !allowed.includes(f)).map((f) => `${f.where} ${f.id}`)).toEqual([]);
  });

  it('does not suppress an identifier of someone else that one of his records carried, nor a placeholder: Kurt keeps being indexed', async () => {
    await ingest([
      order('K3', { customerNumber: kurt.customerNumber }),
      order('K4', { email: kurt.email, phone: '0170 1112223' }),
    ]);
    await ingest([
      order('K5', { customerNumber: kurt.customerNumber, email: 'noreply@example.com' }),
    ]);
    await settle();
    const kurtId = await idOf(kurt.email);
    for (const key of ['shop/K3', 'shop/K4', 'shop/K5'])
      expect(await customerOfTouchpoint(key), key).toBe(kurtId);
  });
});

describe('an erasure of one of two people sharing a phone', () => {
  const greta = {
    firstName: 'Greta',
    lastName: 'Nebelkind',
    email: 'greta.nebelkind@example.org',
    phone: '030 5550 1177',
    birthDate: '1985-07-21',
  };
  const hans = {
    firstName: 'Hans',
    lastName: 'Bleibtreu',
    email: 'hans.bleibtreu@example.org',
    phone: '030 5550 1177',
    birthDate: '1960-01-02',
  };
  const phoneKey = 'phone:+493055501177';
  let gretaId = '';
  let hansId = '';

  beforeAll(async () => {
    // Greta first: she is the phone link's first holder, the one its `customerId` names.
    await ingest([order('G1', greta)]);
    await ingest([order('H1', hans)]);
    await settle();
    gretaId = await idOf(greta.email);
    hansId = await idOf(hans.email);
    expect(gretaId).not.toBe(hansId);
    const link = await p.server.ctx.es.get<{
      customerId: string;
      holders: { customerId: string }[];
    }>({ index: `${p.prefix}-identities`, id: phoneKey });
    expect(link._source?.holders.map((h) => h.customerId).sort()).toEqual([gretaId, hansId].sort());
    // Hans' export shows his holding of the phone, not Greta's names.
    const exported = await p.request('GET', `/api/v1/customers/${hansId}/export`, {
      role: 'admin',
    });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body.identityLinks)).toContain(phoneKey);
    expect(JSON.stringify(exported.body).toLowerCase()).not.toContain('nebelkind');
    const erased = await p.request('DELETE', `/api/v1/customers/${gretaId}`, { role: 'admin' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.sharedIdentifiersKept).toBe(1);
    await settle();
  }, 60_000);

  it('keeps the phone for the other holder, without the erased holder, her names or her birth date', async () => {
    const link = await p.server.ctx.es.get<{
      customerId: string;
      holders: { customerId: string }[];
    }>({ index: `${p.prefix}-identities`, id: phoneKey });
    expect(link._source?.customerId).toBe(hansId);
    expect(link._source?.holders.map((h) => h.customerId)).toEqual([hansId]);
    expect(holding(await everything(), ['nebelkind', 'greta', '1985-07-21'])).toEqual([]);
    const profile = await p.request('GET', `/api/v1/customers/${hansId}`, { role: 'admin' });
    expect(profile.status).toBe(200);
    expect(JSON.stringify(profile.body.phones)).toContain('+493055501177');
  });

  it('never joins a later record with that phone to the erased id: a call joins the remaining holder, her name makes someone new', async () => {
    await ingest([
      {
        source: 'pbx',
        id: 'C1',
        type: 'call',
        occurredAt: at(0),
        customer: { phone: greta.phone },
        data: { direction: 'inbound', durationSec: 30 },
      },
    ]);
    await ingest([
      order('G2', { phone: greta.phone, firstName: 'Greta', lastName: 'Nebelkind' }, at(0)),
    ]);
    await ingest([
      order('H2', { phone: hans.phone, firstName: 'Hans', lastName: 'Bleibtreu' }, at(0)),
    ]);
    await settle();
    const call = await customerOfTouchpoint('pbx/C1');
    const later = await customerOfTouchpoint('shop/G2');
    expect(call).toBe(hansId);
    expect(later).not.toBeNull();
    expect(later).not.toBe(gretaId);
    expect(later).not.toBe(hansId);
    expect(await customerOfTouchpoint('shop/H2')).toBe(hansId);
    expect((await p.request('GET', `/api/v1/customers/${gretaId}`, { role: 'admin' })).status).toBe(
      404,
    );
  });
});
