import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;

function profileTp(
  id: string,
  customer: Record<string, unknown>,
  occurredAt = '2026-10-01T09:00:00Z',
) {
  return {
    source: 'crm',
    id,
    type: 'profile',
    occurredAt,
    customer,
    data: { segment: 'Standard' },
  };
}
function ticketTp(
  id: string,
  customer: Record<string, unknown>,
  subject: string,
  occurredAt = '2026-10-05T09:00:00Z',
) {
  return {
    source: 'helpdesk',
    id,
    type: 'ticket',
    occurredAt,
    customer,
    data: { ticketNumber: id, subject, status: 'open' },
  };
}

beforeAll(async () => {
  p = await startPanorama();
  const busy = {
    customerNumber: 'K-900001',
    phone: '+49 170 3411031',
    firstName: 'Jonas',
    lastName: 'Becker',
    address: { city: 'Leipzig', postalCode: '04109' },
  };
  const quiet = {
    customerNumber: 'K-900002',
    phone: '+49 171 9988776',
    firstName: 'Jonas',
    lastName: 'Becker',
    address: { city: 'Leipzig', postalCode: '04109' },
  };
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      // Two namesakes in the same city, seen on the same day: only activity tells them apart.
      profileTp('K-900001', busy),
      profileTp('K-900002', quiet),
      ...[1, 2, 3, 4, 5, 6].map((n) =>
        ticketTp(
          `T-90${n}`,
          { customerNumber: 'K-900001' },
          `Rückfrage ${n}`,
          '2026-09-01T09:00:00Z',
        ),
      ),
      profileTp('K-900003', {
        customerNumber: 'K-900003',
        email: 'greta.schroeder@example.de',
        phone: '0221 5550123',
        firstName: 'Greta',
        lastName: 'Schröder',
        address: { city: 'Köln' },
      }),
      ticketTp('T-777', { customerNumber: 'K-900003' }, 'Waschmaschine läuft aus'),
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
});

afterAll(async () => {
  await p?.close();
});

async function top(q: string) {
  const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
    role: 'agent',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as {
    id: string;
    name: string;
    customerNumber: string;
    highlight: Record<string, string[]>;
  }[];
}

describe('finding the caller', () => {
  it('finds the caller by the last digits of the phone number, however they are grouped', async () => {
    for (const q of ['1031', '411031', '341 10 31', '03411031']) {
      const items = await top(q);
      expect(items[0]?.customerNumber, q).toBe('K-900001');
    }
    expect(Object.keys((await top('1031'))[0].highlight)).toContain('phone');
  });

  it('finds the caller by the start of the number while it is still being typed', async () => {
    for (const q of ['0171 998', '+49 171 99', '0049 171 9988']) {
      const items = await top(q);
      expect(items[0]?.customerNumber, q).toBe('K-900002');
    }
  });

  it('among namesakes in the same city, the more active relationship ranks first', async () => {
    const items = await top('Jonas Becker Leipzig');
    expect(items.map((i) => i.customerNumber).slice(0, 2)).toEqual(['K-900001', 'K-900002']);
  });

  it('finds the customer by a typo, the ae/oe/ue spelling, and words of a ticket subject', async () => {
    for (const q of [
      'Greta Schroder',
      'Greta Schroeder',
      'grta schröder',
      'Waschmaschine',
      'schröd',
    ]) {
      expect((await top(q))[0]?.customerNumber, q).toBe('K-900003');
    }
  });
});

describe('search for the search box', () => {
  it('with facets=false the answer has the same hits and no facet counts; a bad value is refused', async () => {
    const withFacets = await p.request('GET', '/api/v1/customers/search?q=Becker', {
      role: 'agent',
    });
    const without = await p.request('GET', '/api/v1/customers/search?q=Becker&facets=false', {
      role: 'agent',
    });
    expect(without.status).toBe(200);
    expect(without.body.items.map((i: { id: string }) => i.id)).toEqual(
      withFacets.body.items.map((i: { id: string }) => i.id),
    );
    expect(Object.keys(withFacets.body.facets).length).toBeGreaterThan(0);
    expect(without.body.facets).toEqual({});
    const bad = await p.request('GET', '/api/v1/customers/search?q=Becker&facets=maybe', {
      role: 'agent',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('facets');
  });
});

describe('search inside the timeline', () => {
  it('finds touchpoints by words of their data over the whole history, in umlaut or plain spelling, paged by cursor', async () => {
    const id = (await top('K-900001'))[0].id;
    const route = (q: string, extra = '') =>
      `/api/v1/customers/${id}/timeline?size=2&q=${encodeURIComponent(q)}${extra}`;
    const one = await p.request('GET', route('Rückfrage 3'), { role: 'agent' });
    expect(one.status).toBe(200);
    expect(one.body.items.map((t: { id: string }) => t.id)).toEqual(['T-903']);
    expect(one.body.next).toBeNull();
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await p.request(
        'GET',
        route('ruckfrage', next ? `&before=${encodeURIComponent(next)}` : ''),
        { role: 'agent' },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      next = page.body.next;
    } while (next);
    expect(seen.sort()).toEqual(['T-901', 'T-902', 'T-903', 'T-904', 'T-905', 'T-906']);
    const none = await p.request('GET', route('waschmaschine'), { role: 'agent' });
    expect(none.body).toEqual({ items: [], next: null });
  });
});

describe('agent notes', () => {
  async function customerId(number: string) {
    return (await top(number))[0].id;
  }

  it('a note added by the agent appears in the timeline within 2 s, with the agent as author', async () => {
    const id = await customerId('K-900003');
    const started = Date.now();
    const res = await p.request('POST', `/api/v1/customers/${id}/notes`, {
      role: 'agent',
      body: { text: 'Ruft wegen Wasserschaden zurück' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.key).toMatch(/^panorama:note-/);
    let found: { data: { text: string; author: string }; source: string } | undefined;
    while (!found && Date.now() - started < 5_000) {
      const timeline = await p.request('GET', `/api/v1/customers/${id}/timeline?types=note`, {
        role: 'agent',
      });
      found = timeline.body.items.find((t: { key: string }) => t.key === res.body.key);
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = Date.now() - started;
    expect(found?.data.text).toBe('Ruft wegen Wasserschaden zurück');
    expect(found?.source).toBe('panorama');
    expect(found?.data.author).toBe(p.actors.agent);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('a pinned note is shown on the profile, and the note never creates or merges a customer', async () => {
    const id = await customerId('K-900003');
    const before = (await top('Jonas Becker')).length;
    const res = await p.request('POST', `/api/v1/customers/${id}/notes`, {
      role: 'agent',
      body: { text: 'Nur an Standort B liefern', pinned: true },
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed();
    const profile = await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' });
    expect(profile.body.pinnedNotes.map((n: { text: string }) => n.text)).toContain(
      'Nur an Standort B liefern',
    );
    expect(profile.body.mergedFrom).toEqual([]);
    expect((await top('Jonas Becker')).length).toBe(before);
  });

  it('an empty note, an unknown customer or a role that may not write is refused and nothing is queued', async () => {
    const id = await customerId('K-900003');
    const empty = await p.request('POST', `/api/v1/customers/${id}/notes`, {
      role: 'agent',
      body: { text: '   ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_request');
    expect(empty.body.error.details[0].path).toBe('text');
    const unknown = await p.request('POST', '/api/v1/customers/nobody-here/notes', {
      role: 'agent',
      body: { text: 'hallo' },
    });
    expect(unknown.status).toBe(404);
    const analyst = await p.request('POST', `/api/v1/customers/${id}/notes`, {
      role: 'analyst',
      body: { text: 'hallo' },
    });
    expect(analyst.status).toBe(403);
    const status = await p.request('GET', '/api/v1/ingest/status', { role: 'agent' });
    expect(status.body.waiting).toBe(0);
  });
});
