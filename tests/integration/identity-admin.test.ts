import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  p = await startPanorama();
});
afterAll(async () => {
  await p?.close();
});

let seq = 0;
function record(source: string, customer: Record<string, unknown>) {
  seq += 1;
  return { source, id: `adm-${seq}`, type: 'note', occurredAt: `2026-09-${String(1 + (seq % 28)).padStart(2, '0')}T10:00:00Z`, customer, data: { text: `note ${seq}` } };
}

async function ingest(touchpoints: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, { role: 'agent' });
  expect(res.status).toBe(200);
  return res.body.customerId as string;
}

/** Polls until the condition holds (profiles are rebuilt asynchronously after every change). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const duplicates = async () => (await p.request('GET', '/api/v1/identity/duplicates')).body.items as { pairId: string; a: { id: string }; b: { id: string }; reasons: string[] }[];
const profile = (id: string) => p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });

describe('identity review and repair', () => {
  it('lists profiles with the same name and birth date but no shared identifier as suspected duplicates, without merging them', async () => {
    const crm = record('crm', { customerNumber: 'K-77001', email: 'maria.lang@example.org', firstName: 'Maria', lastName: 'Lang', birthDate: '1980-01-01' });
    const shop = record('shop', { externalId: 'u-77001', email: 'mlang@example.net', firstName: 'maria', lastName: 'LANG', birthDate: '1980-01-01' });
    await ingest([crm, shop]);
    const [a, b] = [await customerOf(crm), await customerOf(shop)];
    expect(a).not.toBe(b);
    const items = await eventually(duplicates, (list) => list.some((d) => [d.a.id, d.b.id].includes(a)));
    const pair = items.find((d) => [d.a.id, d.b.id].includes(a));
    expect(pair && [pair.a.id, pair.b.id].sort()).toEqual([a, b].sort());
    expect(pair?.reasons).toContain('same name and birth date');
  });

  it('when an admin marks a pair "not the same person", it leaves the list and a record carrying both emails does not merge them', async () => {
    const one = record('crm', { customerNumber: 'K-77002', email: 'jan.kurz@example.org', firstName: 'Jan', lastName: 'Kurz', birthDate: '1975-05-05' });
    const two = record('shop', { externalId: 'u-77002', email: 'kurz.jan@example.net', firstName: 'Jan', lastName: 'Kurz', birthDate: '1975-05-05' });
    await ingest([one, two]);
    const [a, b] = [await customerOf(one), await customerOf(two)];
    await eventually(duplicates, (list) => list.some((d) => d.pairId === [a, b].sort().join('|')));
    const marked = await p.request('POST', '/api/v1/identity/not-same', { body: { a, b } });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect((await duplicates()).some((d) => d.pairId === [a, b].sort().join('|'))).toBe(false);
    const both = record('mail', { email: 'jan.kurz@example.org', customerNumber: 'K-77002' });
    const bridging = record('helpdesk', { email: 'kurz.jan@example.net', customerNumber: 'K-77002', firstName: 'Jan', lastName: 'Kurz' });
    await ingest([both]);
    await ingest([bridging]);
    expect(await customerOf(one)).not.toBe(await customerOf(two));
  });

  it('when an admin merges two profiles, one remains, the other answers 308, and undo splits them again', async () => {
    const one = record('crm', { customerNumber: 'K-77003', firstName: 'Eva', lastName: 'Berg', birthDate: '1990-03-03' });
    const two = record('shop', { externalId: 'u-77003', firstName: 'Eva', lastName: 'Berg', birthDate: '1990-03-03' });
    await ingest([one, two]);
    const [a, b] = [await customerOf(one), await customerOf(two)];
    const merged = await p.request('POST', '/api/v1/identity/merge', { body: { a, b } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const [winner, loser] = [a, b].sort();
    expect(await customerOf(b === loser ? two : one)).toBe(winner);
    const redirect = await eventually(() => profile(loser), (r) => r.status === 308);
    expect(redirect.status).toBe(308);
    const survivor = await eventually(() => profile(winner), (r) => r.status === 200 && r.body.kpis.touchpointCount === 2);
    expect(survivor.body.kpis.touchpointCount).toBe(2);

    const undone = await p.request('POST', `/api/v1/identity/actions/${merged.body.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await customerOf(one)).not.toBe(await customerOf(two));
    const back = await eventually(() => profile(loser), (r) => r.status === 200);
    expect(back.body.kpis.touchpointCount).toBe(1);
  });

  it('when an admin splits records out of a wrongly merged profile, they become a profile of their own, remembered as not the same; undo merges back', async () => {
    const mine = record('crm', { customerNumber: 'K-77004', email: 'tom.wirt@example.org', firstName: 'Tom', lastName: 'Wirt' });
    const wrong = record('shop', { externalId: 'u-77004', email: 'tom.wirt@example.org', firstName: 'Tim', lastName: 'Wirth' });
    await ingest([mine, wrong]);
    const id = await customerOf(mine);
    expect(await customerOf(wrong)).toBe(id);
    const split = await p.request('POST', '/api/v1/identity/split', { body: { customerId: id, touchpoints: [`shop:${wrong.id}`] } });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const other = split.body.otherId as string;
    expect(await customerOf(wrong)).toBe(other);
    const newProfile = await eventually(() => profile(other), (r) => r.status === 200);
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
    const wrong = record('crm', { customerNumber: 'K-77005', email: 'fremd@example.org', firstName: 'Ute', lastName: 'Sand' });
    const alsoWrong = record('mail', { email: 'fremd@example.org' });
    await ingest([right, wrong, alsoWrong]);
    const id = await customerOf(right);
    const detached = await p.request('POST', '/api/v1/identity/detach', { body: { customerId: id, identifier: 'email:fremd@example.org' } });
    expect(detached.status, JSON.stringify(detached.body)).toBe(200);
    expect(detached.body.touchpoints.sort()).toEqual([`crm:${wrong.id}`, `mail:${alsoWrong.id}`].sort());
    expect(await customerOf(right)).toBe(id);
    expect(await customerOf(alsoWrong)).toBe(detached.body.otherId);
  });

  it('refuses bad input with the contract error body and changes nothing; only admins may act', async () => {
    const bad = await p.request('POST', '/api/v1/identity/merge', { body: { a: 'x y', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['', 'a', 'b'].sort());
    const unknown = await p.request('POST', '/api/v1/identity/split', { body: { customerId: 'c-nobody', touchpoints: ['shop:1'] } });
    expect(unknown.status).toBe(404);
    const agent = await p.request('POST', '/api/v1/identity/not-same', { body: { a: 'c1', b: 'c2' }, role: 'agent' });
    expect(agent.status).toBe(403);
    const actions = await p.request('GET', '/api/v1/identity/actions');
    expect(actions.body.items.length).toBeGreaterThanOrEqual(4);
  });

  it('reports data quality: valid shares, consent coverage, open duplicates, profiles per source and the worst sources', async () => {
    await ingest([record('legacy', { externalId: 'L-1', email: 'kaputt@', phone: '12', firstName: 'Alt', lastName: 'Daten', address: { postalCode: '1', city: 'Berlin', country: 'DE' } })]);
    const res = await eventually(() => p.request('GET', '/api/v1/data-quality', { role: 'manager' }), (r) => r.body?.worstSources?.some((s: { source: string }) => s.source === 'legacy'));
    expect(res.status).toBe(200);
    expect(res.body.profiles).toBeGreaterThan(5);
    expect(res.body.validEmailShare).toBeGreaterThan(0);
    expect(res.body.validEmailShare).toBeLessThan(1);
    expect(res.body.openSuspectedDuplicates).toBeGreaterThanOrEqual(1);
    expect(res.body.profilesPerSource.map((s: { value: string }) => s.value)).toContain('crm');
    expect(res.body.worstSources[0]).toMatchObject({ source: 'legacy', profilesWithInvalidValues: 1, share: 1 });
  });
});
