import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileIdentityRules, loadIdentityRules } from '../../store/src/identity/identity-rules';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

beforeAll(async () => {
  // The deterministic rules alone: probabilistic matching would join a colleague calling again from the
  // switchboard by name and number (identity-matching.test.ts covers matching and its look-alikes).
  p = await startPanorama({ matching: false });
});
afterAll(async () => {
  await p?.close();
});

let seq = 0;
function call(customer: Record<string, unknown>, source = 'helpdesk') {
  seq += 1;
  return {
    source,
    id: `r-${seq}`,
    type: 'call',
    occurredAt: `2026-10-0${1 + (seq % 8)}T10:00:00Z`,
    customer,
    data: { direction: 'inbound' },
  };
}

async function ingest(touchpoints: ReturnType<typeof call>[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { body: touchpoints, role: 'ingest' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
}

/** The surviving customer of a record (following merges). */
async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.customerId as string;
}

describe('identity rules from config/identity-rules.json', () => {
  it('when two people give a placeholder email, they stay two customers', async () => {
    const a = call({ email: 'test@test.de', firstName: 'Lena', lastName: 'Vogt' }, 'shop');
    const b = call({ email: 'TEST@test.de ', firstName: 'Jonas', lastName: 'Brandt' }, 'shop');
    const c = call(
      { email: 'noreply@shop-system.de', firstName: 'Mia', lastName: 'Keller' },
      'shop',
    );
    const d = call(
      { email: 'noreply@shop-system.de', firstName: 'Paul', lastName: 'Roth' },
      'shop',
    );
    await ingest([a, b]);
    await ingest([c, d]);
    expect(await customerOf(a)).not.toBe(await customerOf(b));
    expect(await customerOf(c)).not.toBe(await customerOf(d));
  });

  it('when a household shares a landline, each member keeps an own profile and later calls find the right one', async () => {
    const anna = call(
      {
        email: 'anna.weber@example.de',
        phone: '089 4711 0815',
        firstName: 'Anna',
        lastName: 'Weber',
      },
      'crm',
    );
    const peter = call(
      {
        email: 'p.weber@example.de',
        phone: '+49 89 47110815',
        firstName: 'Peter',
        lastName: 'Weber',
      },
      'crm',
    );
    await ingest([anna]);
    await ingest([peter]);
    const annaId = await customerOf(anna);
    const peterId = await customerOf(peter);
    expect(annaId).not.toBe(peterId);

    const peterCalls = call({ phone: '0049-89-4711-0815', firstName: 'peter', lastName: 'WEBER' });
    const annaCalls = call({ phone: '089/47110815', firstName: 'Anna', lastName: 'Webre' });
    await ingest([peterCalls, annaCalls]);
    expect(await customerOf(peterCalls)).toBe(peterId);
    expect(await customerOf(annaCalls)).toBe(annaId);
  });

  it('when one person writes the phone differently and with a typo in the name, the records join', async () => {
    const first = call({
      phone: '+49 151 2345 6789',
      firstName: 'Katharina',
      lastName: 'Schmidt',
      birthDate: '1979-02-03',
    });
    const second = call({ phone: '0151-23456789', firstName: 'Katharina', lastName: 'Schmitd' });
    const married = call(
      {
        phone: '01512345 6789',
        firstName: 'Katharina',
        lastName: 'Becker',
        birthDate: '1979-02-03',
      },
      'crm',
    );
    await ingest([first]);
    await ingest([second, married]);
    const id = await customerOf(first);
    expect(await customerOf(second)).toBe(id);
    expect(await customerOf(married)).toBe(id);
  });

  it('when namesakes share a phone but differ in birth date, they stay apart', async () => {
    const father = call(
      {
        phone: '+49 30 5550 1234',
        firstName: 'Thomas',
        lastName: 'Müller',
        birthDate: '1961-05-01',
      },
      'crm',
    );
    const son = call(
      { phone: '030 55501234', firstName: 'Thomas', lastName: 'Mueller', birthDate: '1992-11-30' },
      'crm',
    );
    await ingest([father, son]);
    expect(await customerOf(father)).not.toBe(await customerOf(son));
  });

  it('when more people than the limit share a switchboard number, it stops linking anyone', async () => {
    const limit = loadIdentityRules().maxPeople('phone');
    const names = [
      'Albers',
      'Brenner',
      'Claasen',
      'Dietrich',
      'Eckert',
      'Fischer',
      'Graf',
      'Hahn',
    ].slice(0, limit + 1);
    const colleagues = names.map((lastName, i) =>
      call(
        { phone: '+49 40 1234 0', firstName: `Kollege${i}`, lastName, company: 'Hafen AG' },
        'crm',
      ),
    );
    for (const c of colleagues) await ingest([c]);
    const ids = await Promise.all(colleagues.map(customerOf));
    expect(new Set(ids).size).toBe(colleagues.length);
    // The first colleague calls again from the switchboard: the number links nobody now.
    const again = call({ phone: '040 12340', firstName: 'Kollege0', lastName: 'Albers' });
    await ingest([again]);
    expect(await customerOf(again)).not.toBe(ids[0]);
  });

  it('when a record carries only a placeholder, resending it still lands on the same customer', async () => {
    const tp = call({ email: 'unknown@firma.de', lastName: 'Ohne' }, 'shop');
    await ingest([tp]);
    const id = await customerOf(tp);
    await ingest([{ ...tp, occurredAt: '2026-10-09T10:00:00Z' }]);
    expect(await customerOf(tp)).toBe(id);
  });

  it('when a customer changes email and phone, the former ones still find the customer, marked former, and still link late records', async () => {
    const before = {
      ...call(
        {
          externalId: 'u-4242',
          email: 'old.mail@example.org',
          phone: '0171 1111111',
          firstName: 'Nora',
          lastName: 'Wechsel',
        },
        'shop',
      ),
      occurredAt: '2026-01-05T10:00:00Z',
    };
    const after = {
      ...call(
        {
          externalId: 'u-4242',
          email: 'new.mail@example.org',
          phone: '0171 2222222',
          firstName: 'Nora',
          lastName: 'Wechsel',
        },
        'shop',
      ),
      occurredAt: '2026-06-05T10:00:00Z',
    };
    await ingest([before, after]);
    const id = await customerOf(before);
    const profile = await (async () => {
      for (let i = 0; i < 50; i++) {
        const res = await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });
        if (res.status === 200 && res.body.kpis.touchpointCount === 2) return res.body;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('profile not rebuilt');
    })();
    expect(
      profile.emails.find((e: { value: string }) => e.value === 'old.mail@example.org'),
    ).toMatchObject({ current: false });
    expect(
      profile.phones.find((e: { value: string }) => e.value === '+491711111111'),
    ).toMatchObject({ current: false });
    for (const q of ['old.mail@example.org', '0171 1111111']) {
      const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
        role: 'agent',
      });
      expect(res.body.items[0]?.id, q).toBe(id);
    }
    const late = call({ email: 'OLD.mail@example.org ' }, 'mail');
    const lateCall = call({ phone: '+49 171 1111111', firstName: 'Nora', lastName: 'Wechsel' });
    await ingest([late, lateCall]);
    expect(await customerOf(late)).toBe(id);
    expect(await customerOf(lateCall)).toBe(id);
  });

  it('when the rules file is broken, loading it names every problem', () => {
    expect(() =>
      compileIdentityRules({
        kinds: { email: { strength: 'very', maxPeople: 0 } },
        blocked: { email: ['/(/'] },
      }),
    ).toThrow(/kinds\.email\.strength.*kinds\.email\.maxPeople.*blocked\.email\.0/);
    const rules = loadIdentityRules();
    expect(rules.isBlocked('email:noreply@anything.de')).toBe(true);
    expect(rules.isBlocked('email:anna@example-shop.de')).toBe(false);
    expect(rules.isBlocked('phone:+490000000')).toBe(true);
  });
});
