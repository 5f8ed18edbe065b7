import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  // Matching proposes these look-alikes for review and never merges them itself (identity-matching.test.ts
  // covers automatic merges): the admin's review and repairs are what is tested here.
  p = await startPanorama({ matching: { thresholds: { review: 0.5, autoMerge: 1 } } });
});
afterAll(async () => {
  await p?.close();
});

let seq = 0;
function record(source: string, customer: Record<string, unknown>) {
  seq += 1;
  return {
    source,
    id: `adm-${seq}`,
    type: 'note',
    occurredAt: `2026-09-${String(1 + (seq % 28)).padStart(2, '0')}T10:00:00Z`,
    customer,
    data: { text: `note ${seq}` },
  };
}

async function ingest(touchpoints: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  expect(res.status).toBe(200);
  return res.body.customerId as string;
}

/** Polls until the condition holds (profiles are rebuilt asynchronously after every change). */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const duplicates = async () =>
  (await p.request('GET', '/api/v1/identity/duplicates')).body.items as {
    pairId: string;
    a: { id: string };
    b: { id: string };
    reasons: string[];
  }[];
const profile = (id: string) => p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });

describe('identity review and repair', () => {
  it('lists profiles with the same name and birth date but no shared identifier as suspected duplicates, without merging them', async () => {
    const crm = record('crm', {
      customerNumber: 'K-77001',
      email: 'maria.lang@example.org',
      firstName: 'Maria',
      lastName: 'Lang',
      birthDate: '1980-01-01',
    });
    const shop = record('shop', {
      externalId: 'u-77001',
      email: 'mlang@example.net',
      firstName: 'maria',
      lastName: 'LANG',
      birthDate: '1980-01-01',
    });
    await ingest([crm, shop]);
    const [a, b] = [await customerOf(crm), await customerOf(shop)];
    expect(a).not.toBe(b);
    const items = await eventually(duplicates, (list) =>
      list.some((d) => [d.a.id, d.b.id].includes(a)),
    );
    const pair = items.find((d) => [d.a.id, d.b.id].includes(a));
    expect(pair && [pair.a.id, pair.b.id].sort()).toEqual([a, b].sort());
    expect(pair?.reasons).toContain('same name and birth date');
  });

  it('when an admin marks a pair "not the same person", it leaves the list and a record carrying both emails does not merge them', async () => {
    const one = record('crm', {
      customerNumber: 'K-77002',
      email: 'jan.kurz@example.org',
      firstName: 'Jan',
      lastName: 'Kurz',
      birthDate: '1975-05-05',
    });
    const two = record('shop', {
      externalId: 'u-77002',
      email: 'kurz.jan@example.net',
      firstName: 'Jan',
      lastName: 'Kurz',
      birthDate: '1975-05-05',
    });
    await ingest([one, two]);
    const [a, b] = [await customerOf(one), await customerOf(two)];
    await eventually(duplicates, (list) => list.some((d) => d.pairId === [a, b].sort().join('|')));
    const marked = await p.request('POST', '/api/v1/identity/not-same', { body: { a, b } });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect((await duplicates()).some((d) => d.pairId === [a, b].sort().join('|'))).toBe(false);
    const both = record('mail', { email: 'jan.kurz@example.org', customerNumber: 'K-77002' });
    const bridging = record('helpdesk', {
      email: 'kurz.jan@example.net',
      customerNumber: 'K-77002',
      firstName: 'Jan',
      lastName: 'Kurz',
    });
    await ingest([both]);
    await ingest([bridging]);
    expect(await customerOf(one)).not.toBe(await customerOf(two));
  });

  it('when an admin merges two profiles, one remains, the other answers 308, and undo splits them again', async () => {
    const one = record('crm', {
      customerNumber: 'K-77003',
      firstName: 'Eva',
      lastName: 'Berg',
      birthDate: '1990-03-03',
    });
    const two = record('shop', {
      externalId: 'u-77003',
      firstName: 'Eva',
      lastName: 'Berg',
      birthDate: '1990-03-03',
    });
    await ingest([one, two]);
    const [a, b] = [await customerOf(one), await customerOf(two)];
    const merged = await p.request('POST', '/api/v1/identity/merge', { body: { a, b } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const [winner, loser] = [a, b].sort();
    expect(await customerOf(b === loser ? two : one)).toBe(winner);
    const redirect = await eventually(
      () => profile(loser),
      (r) => r.status === 308,
    );
    expect(redirect.status).toBe(308);
    const survivor = await eventually(
      () => profile(winner),
      (r) => r.status === 200 && r.body.kpis.touchpointCount === 2,
    );
    expect(survivor.body.kpis.touchpointCount).toBe(2);

    const undone = await p.request('POST', `/api/v1/identity/actions/${merged.body.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await customerOf(one)).not.toBe(await customerOf(two));
    const back = await eventually(
      () => profile(loser),
      (r) => r.status === 200,
    );
    expect(back.body.kpis.touchpointCount).toBe(1);
  });

  it('when an admin splits records out of a wrongly merged profile, they become a profile of their own, remembered as not the same; undo merges back', async () => {
    const mine = record('crm', {
      customerNumber: 'K-77004',
      email: 'tom.wirt@example.org',
      firstName: 'Tom',
      lastName: 'Wirt',
    });
    const wrong = record('shop', {
      externalId: 'u-77004',
      email: 'tom.wirt@example.org',
      firstName: 'Tim',
      lastName: 'Wirth',
    });
    await ingest([mine, wrong]);
    const id = await customerOf(mine);
    expect(await customerOf(wrong)).toBe(id);
    const split = await p.request('POST', '/api/v1/identity/split', {
      body: { customerId: id, touchpoints: [`shop:${wrong.id}`] },
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const other = split.body.otherId as string;
    expect(await customerOf(wrong)).toBe(other);
    const newProfile = await eventually(
      () => profile(other),
      (r) => r.status === 200,
    );
    expect(newProfile.body.firstName).toBe('Tim');
    // A later record with the shared email stays with the original (the email stayed there).
    const later = record('mail', { email: 'tom.wirt@example.org' });
    await ingest([later]);
    expect(await customerOf(later)).toBe(id);

    const undone = await p.request('POST', `/api/v1/identity/actions/${split.body.id}/undo`, {});
    expect(undone.status).toBe(200);
    expect(await customerOf(wrong)).toBe(id);
  });

  it('when an admin detaches a wrong email, the records carrying it leave with it and later records with it follow', async () => {
    const right = record('crm', { customerNumber: 'K-77005', firstName: 'Ute', lastName: 'Sand' });
    const wrong = record('crm', {
      customerNumber: 'K-77005',
      email: 'fremd@example.org',
      firstName: 'Ute',
      lastName: 'Sand',
    });
    const alsoWrong = record('mail', { email: 'fremd@example.org' });
    await ingest([right, wrong, alsoWrong]);
    const id = await customerOf(right);
    const detached = await p.request('POST', '/api/v1/identity/detach', {
      body: { customerId: id, identifier: 'email:fremd@example.org' },
    });
    expect(detached.status, JSON.stringify(detached.body)).toBe(200);
    expect(detached.body.touchpoints.sort()).toEqual(
      [`crm:${wrong.id}`, `mail:${alsoWrong.id}`].sort(),
    );
    expect(await customerOf(right)).toBe(id);
    expect(await customerOf(alsoWrong)).toBe(detached.body.otherId);
  });

  it('a "not the same" mark follows a later merge into a third profile: never proposed again, never merged automatically, and a split keeps it on both parts', async () => {
    // The third profile exists first, so its id is the older one and survives the merge below.
    const third = record('crm', { customerNumber: 'K-78010', email: 'post.weiss@example.org' });
    await ingest([third]);
    const one = record('crm', {
      customerNumber: 'K-78011',
      email: 'lena.weiss@example.org',
      firstName: 'Lena',
      lastName: 'Weiss',
      birthDate: '1982-02-02',
    });
    const two = record('shop', {
      externalId: 'u-78011',
      email: 'weiss.lena@example.net',
      firstName: 'Lena',
      lastName: 'Weiss',
      birthDate: '1982-02-02',
    });
    await ingest([one, two]);
    const [a, b, c] = [await customerOf(one), await customerOf(two), await customerOf(third)];
    expect(new Set([a, b, c]).size).toBe(3);
    await eventually(duplicates, (list) => list.some((d) => d.pairId === [a, b].sort().join('|')));
    expect((await p.request('POST', '/api/v1/identity/not-same', { body: { a, b } })).status).toBe(
      200,
    );
    const involvesA = (list: Awaited<ReturnType<typeof duplicates>>) =>
      list.filter((d) => [d.a.id, d.b.id].includes(a));

    // A record carrying B's email and the third profile's customer number merges B into it.
    const bridge = record('mail', { email: 'weiss.lena@example.net', customerNumber: 'K-78010' });
    await ingest([bridge]);
    expect(await customerOf(two)).toBe(c);
    expect(
      (
        await eventually(
          () => profile(b),
          (r) => r.status === 308,
        )
      ).status,
    ).toBe(308);
    // It now has B's name and birth date, like A: the marked pair is A and this profile now, and stays off the list.
    const merged = await eventually(
      () => profile(c),
      (r) => r.status === 200 && r.body.birthDate === '1982-02-02',
    );
    expect(merged.body.name).toBe('Lena Weiss');
    expect(involvesA(await duplicates())).toEqual([]);

    // A record carrying identifiers of both is no reason to merge them either.
    const joining = record('helpdesk', {
      customerNumber: 'K-78011',
      email: 'post.weiss@example.org',
      firstName: 'Lena',
      lastName: 'Weiss',
    });
    await ingest([joining]);
    expect(await customerOf(one)).toBe(a);
    expect(await customerOf(third)).toBe(c);
    expect((await profile(a)).status).toBe(200);

    // Splitting B's record out again: the new part keeps the mark against A, the rest keeps it through B.
    const split = await p.request('POST', '/api/v1/identity/split', {
      body: { customerId: c, touchpoints: [`shop:${two.id}`] },
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const n = split.body.otherId as string;
    expect(split.body.marks).toEqual([[a, n].sort().join('|')]);
    await eventually(
      () => profile(n),
      (r) => r.status === 200 && r.body.birthDate === '1982-02-02',
    );
    expect(involvesA(await duplicates())).toEqual([]);
    const again = record('shop', {
      externalId: 'u-78011',
      email: 'lena.weiss@example.org',
      firstName: 'Lena',
      lastName: 'Weiss',
    });
    await ingest([again]);
    expect(await customerOf(two)).toBe(n);
    expect(await customerOf(one)).toBe(a);
    expect(a).not.toBe(n);

    // Undoing the split removes the inherited mark and joins the records again; A stays apart.
    const undone = await p.request('POST', `/api/v1/identity/actions/${split.body.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await customerOf(two)).toBe(c);
    expect(await customerOf(one)).toBe(a);
  });

  it('an admin merge lifts the marks between the two, and undoing it restores them', async () => {
    const one = record('crm', {
      customerNumber: 'K-78030',
      email: 'nils.hahn@example.org',
      firstName: 'Nils',
      lastName: 'Hahn',
      birthDate: '1969-09-09',
    });
    const two = record('shop', {
      externalId: 'u-78030',
      email: 'hahn.nils@example.net',
      firstName: 'Nils',
      lastName: 'Hahn',
      birthDate: '1969-09-09',
    });
    await ingest([one, two]);
    const [a, b] = [await customerOf(one), await customerOf(two)];
    const pairId = [a, b].sort().join('|');
    await eventually(duplicates, (list) => list.some((d) => d.pairId === pairId));
    expect((await p.request('POST', '/api/v1/identity/not-same', { body: { a, b } })).status).toBe(
      200,
    );

    const merged = await p.request('POST', '/api/v1/identity/merge', { body: { a, b } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.marks).toEqual([pairId]);
    expect(await customerOf(two)).toBe(await customerOf(one));

    const undone = await p.request('POST', `/api/v1/identity/actions/${merged.body.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const [winner, loser] = [a, b].sort();
    await eventually(
      () => profile(loser),
      (r) => r.status === 200 && r.body.kpis.touchpointCount === 1,
    );
    await eventually(
      () => profile(winner),
      (r) => r.status === 200 && r.body.kpis.touchpointCount === 1,
    );
    expect((await duplicates()).some((d) => d.pairId === pairId)).toBe(false);
    const both = record('helpdesk', {
      email: 'hahn.nils@example.net',
      customerNumber: 'K-78030',
      firstName: 'Nils',
      lastName: 'Hahn',
    });
    await ingest([both]);
    expect(await customerOf(one)).not.toBe(await customerOf(two));
  });

  it('shows a messy record standardized with the original writing beside each value, and flags invalid values instead of dropping them', async () => {
    const messy = record('oldcrm', {
      customerNumber: 'K-78040',
      email: '  Grete.MUELLER@Example.DE ',
      phone: '0171 / 234 56-78',
      firstName: 'grete',
      lastName: 'MÜLLER',
      address: {
        street: 'HAUPTSTRASSE 5',
        postalCode: 'd-80331',
        city: 'MÜNCHEN',
        country: 'Deutschland',
      },
    });
    const broken = record('oldcrm', {
      customerNumber: 'K-78041',
      email: 'grete@',
      phone: '12',
      lastName: 'Alt',
      address: { street: 'Ring 2', postalCode: '803', city: 'Köln', country: 'DE' },
    });
    await ingest([messy, broken]);
    const clean = await eventually(
      async () => profile(await customerOf(messy)),
      (r) => r.status === 200,
    );
    expect(clean.body).toMatchObject({
      firstName: 'Grete',
      lastName: 'Müller',
      address: {
        street: 'Hauptstrasse 5',
        postalCode: '80331',
        city: 'München',
        country: 'DE',
        source: 'oldcrm',
      },
      originals: {
        firstName: { original: 'grete', valid: true },
        lastName: { original: 'MÜLLER', valid: true },
        street: { original: 'HAUPTSTRASSE 5', valid: true },
        postalCode: { original: 'd-80331', valid: true },
        city: { original: 'MÜNCHEN', valid: true },
        country: { original: 'Deutschland', valid: true },
      },
      quality: { emailValid: true, phoneValid: true, addressValid: true, invalid: [] },
    });
    expect(clean.body.emails[0]).toMatchObject({
      value: 'grete.mueller@example.de',
      original: 'Grete.MUELLER@Example.DE',
      valid: true,
    });
    expect(clean.body.phones[0]).toMatchObject({
      value: '+491712345678',
      original: '0171 / 234 56-78',
      valid: true,
    });
    expect(clean.body.fieldSources.lastName).toMatchObject({
      source: 'oldcrm',
      key: `oldcrm:${messy.id}`,
    });

    const flagged = await eventually(
      async () => profile(await customerOf(broken)),
      (r) => r.status === 200,
    );
    expect(flagged.body.address).toMatchObject({ postalCode: '803', city: 'Köln' });
    expect(flagged.body.originals.postalCode).toEqual({ original: '803', valid: false });
    expect(flagged.body.emails[0]).toMatchObject({ value: 'grete@', valid: false });
    expect(flagged.body.phones[0]).toMatchObject({ original: '12', valid: false });
    expect(flagged.body.quality).toMatchObject({
      emailValid: false,
      phoneValid: false,
      addressValid: false,
      invalid: ['email', 'phone', 'postalCode'],
      invalidSources: ['oldcrm'],
    });

    // Managers see the profile masked: the writings too.
    const masked = await p.request('GET', `/api/v1/customers/${clean.body.id}`, {
      role: 'manager',
    });
    expect(masked.body.originals).toMatchObject({
      lastName: { original: 'M.' },
      street: { original: '***' },
      postalCode: { original: 'd-***' },
      city: { original: 'MÜNCHEN' },
    });
  });

  it('refuses bad input with the contract error body and changes nothing; only admins may act', async () => {
    const bad = await p.request('POST', '/api/v1/identity/merge', { body: { a: 'x y', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['', 'a', 'b'].sort(),
    );
    const unknown = await p.request('POST', '/api/v1/identity/split', {
      body: { customerId: 'c-nobody', touchpoints: ['shop:1'] },
    });
    expect(unknown.status).toBe(404);
    const agent = await p.request('POST', '/api/v1/identity/not-same', {
      body: { a: 'c1', b: 'c2' },
      role: 'agent',
    });
    expect(agent.status).toBe(403);
    const actions = await p.request('GET', '/api/v1/identity/actions');
    expect(actions.body.items.length).toBeGreaterThanOrEqual(4);
  });

  it('reports data quality: valid shares, consent coverage, open duplicates, profiles per source and the worst sources', async () => {
    await ingest([
      record('legacy', {
        externalId: 'L-1',
        email: 'kaputt@',
        phone: '12',
        firstName: 'Alt',
        lastName: 'Daten',
        address: { postalCode: '1', city: 'Berlin', country: 'DE' },
      }),
    ]);
    const res = await eventually(
      () => p.request('GET', '/api/v1/data-quality', { role: 'manager' }),
      (r) => r.body?.worstSources?.some((s: { source: string }) => s.source === 'legacy'),
    );
    expect(res.status).toBe(200);
    expect(res.body.profiles).toBeGreaterThan(5);
    expect(res.body.validEmailShare).toBeGreaterThan(0);
    expect(res.body.validEmailShare).toBeLessThan(1);
    expect(res.body.openSuspectedDuplicates).toBeGreaterThanOrEqual(1);
    expect(res.body.profilesPerSource.map((s: { value: string }) => s.value)).toContain('crm');
    expect(res.body.worstSources[0]).toMatchObject({
      source: 'legacy',
      profilesWithInvalidValues: 1,
      share: 1,
    });
  });
});
