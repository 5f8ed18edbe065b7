/**
 * Managers and analysts see customers pseudonymized: no answer they can get
 * holds any of a customer's personal values, and no request lets them infer
 * one (searching by it, filtering or aggregating finer than it is shown).
 *
 * The check is generic: every answer is serialized whole and scanned for
 * every distinctive value the customer was loaded with, so a field added to
 * any answer tomorrow is caught without naming it here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let id: string;

const person = {
  customerNumber: 'KQ-246813',
  externalId: 'ext-qq-5551',
  email: 'zofia.quendrix@quendrixhaus.example',
  phone: '+49 151 98765432',
  firstName: 'Zofia',
  lastName: 'Quendrix',
  company: 'Wolkenkratzer Beratung',
  birthDate: '1977-08-19',
  address: { street: 'Xylophonweg 77', postalCode: '97531', city: 'Würzburg', country: 'DE' },
};

/** Every value that must never reach a manager or analyst, compared case-insensitively. */
const secrets = [
  'zofia',
  'quendrix',
  'quendrixhaus',
  '98765432',
  '765432',
  'KQ-246813',
  '246813',
  'ext-qq-5551',
  'Wolkenkratzer',
  'Xylophonweg',
  '97531',
  '1977-08-19',
  '08-19',
  'ORD-Q-777111',
  '777111',
  'JJD0099887766',
  'TKT-Q-90210',
  '90210',
  'VTR-Q-313131',
  '313131',
  'Zylinderkopf',
  'zehn an',
  'Vulkanfiberplatte',
  'Ombudsmann',
  'Bellofantino',
  'Waschbärenplage',
  'Marzipankartoffel',
  'Quakenbrück',
  'Trampolinwartung',
  'LC-Q-424242',
  '424242',
  'Ultramarinblau',
  '864209',
  'Agentin Hollerbusch',
  'Hollerbusch',
];

const customer = person;
const tp = (
  source: string,
  tpId: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown>,
  ref: Record<string, unknown> = { email: person.email },
) => ({
  source,
  id: tpId,
  type,
  occurredAt,
  customer: ref,
  data,
});

const masked: Role[] = ['manager', 'analyst'];

beforeAll(async () => {
  p = await startPanorama();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      tp(
        'crm',
        'PRF-Q-1',
        'profile',
        '2026-09-01T08:00:00Z',
        { segment: 'Gold', tags: ['vip'], favouriteColour: 'Ultramarinblau' },
        customer,
      ),
      tp(
        'shop',
        'ORD-Q-777111',
        'order',
        '2026-09-02T08:00:00Z',
        {
          orderNumber: 'ORD-Q-777111',
          total: 321,
          currency: 'EUR',
          status: 'shipped',
          channel: 'web',
          items: [
            {
              sku: 'SKU-1',
              name: 'Kaffeemaschine',
              category: 'Küche',
              quantity: 1,
              unitPrice: 321,
              engraving: 'Für Zofia',
            },
          ],
          shipping: { carrier: 'DHL', trackingNumber: 'JJD0099887766', status: 'delivered' },
          loyaltyCard: 'LC-Q-424242',
          secretPin: 864209,
        },
        {
          customerNumber: person.customerNumber,
          phone: person.phone,
          externalId: person.externalId,
        },
      ),
      tp('crm', 'TKT-Q-90210', 'ticket', '2026-09-03T08:00:00Z', {
        ticketNumber: 'TKT-Q-90210',
        subject: 'Kaputter Zylinderkopf',
        description: 'Ruft nie vor zehn an',
        status: 'open',
        priority: 'high',
        complaint: true,
      }),
      tp('pbx', 'CALL-Q-1', 'call', '2026-09-04T08:00:00Z', {
        direction: 'inbound',
        durationSec: 120,
        reason: 'Rückruf wegen Vulkanfiberplatte',
        outcome: 'Ombudsmann eingeschaltet',
        agent: 'Agentin Hollerbusch',
      }),
      tp('crm', 'NOTE-Q-1', 'note', '2026-09-05T08:00:00Z', {
        text: 'Hund heißt Bellofantino',
        author: 'Agentin Hollerbusch',
        pinned: true,
      }),
      tp('survey', 'SRV-Q-1', 'survey', '2026-09-06T08:00:00Z', {
        kind: 'nps',
        score: 3,
        comment: 'Waschbärenplage im Garten',
      }),
      tp('mail', 'MAIL-Q-1', 'email', '2026-09-07T08:00:00Z', {
        direction: 'inbound',
        subject: 'Marzipankartoffel Bestellung',
        snippet: 'Grüße aus Quakenbrück',
      }),
      tp('cal', 'APT-Q-1', 'appointment', '2026-09-08T08:00:00Z', {
        startsAt: '2026-10-08T08:00:00Z',
        subject: 'Termin Trampolinwartung',
        status: 'booked',
      }),
      tp('erp', 'VTR-Q-313131', 'contract', '2026-09-09T08:00:00Z', {
        contractNumber: 'VTR-Q-313131',
        product: 'Strom Basis',
        status: 'active',
        monthlyFee: 40,
        currency: 'EUR',
      }),
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await p.waitUntilIndexed();
  const found = await p.request(
    'GET',
    `/api/v1/customers/search?q=${encodeURIComponent(person.email)}`,
    { role: 'admin' },
  );
  id = found.body.items[0].id;
  const segment = await p.request('POST', '/api/v1/segments', {
    role: 'analyst',
    body: {
      name: 'Würzburg Gold',
      filter: {
        kind: 'and',
        filters: [
          { kind: 'terms', field: 'address.city', values: ['Würzburg'] },
          { kind: 'dateRange', field: 'birthDate', from: '1970-01-01', to: '1979-12-31' },
        ],
      },
    },
  });
  expect(segment.status, JSON.stringify(segment.body)).toBe(201);
  await p.waitUntilIndexed();
  // Two snapshot days for the segment migration.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  for (const date of [yesterday, undefined]) {
    const snapshot = await p.request('POST', '/api/v1/snapshots', {
      role: 'analyst',
      body: { date, waitMs: 60_000 },
    });
    expect(snapshot.status, JSON.stringify(snapshot.body)).toBe(200);
  }
});
afterAll(async () => {
  await p?.close();
});

function leaks(answer: unknown): string[] {
  const text = (typeof answer === 'string' ? answer : JSON.stringify(answer)).toLowerCase();
  return secrets.filter((s) => text.includes(s.toLowerCase()));
}

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const allColumns = [
  'id',
  'name',
  'email',
  'phone',
  'customerNumber',
  'segment',
  'segments',
  'status',
  'language',
  'tags',
  'channels',
  'products',
  'categories',
  'preferredSalesChannel',
  'sources',
  'company',
  'consentGranted',
  'openTicketPriorities',
  'address.city',
  'address.postalCode',
  'address.country',
  'kpis.lifetimeValue',
  'kpis.lastNps',
  'birthDate',
  'firstSeenAt',
  'lastSeenAt',
];

/** Every answer the role can get that touches the customer, as [what, status, body]. */
async function everyAnswer(role: Role): Promise<[string, number, unknown][]> {
  const out: [string, number, unknown][] = [];
  const get = async (what: string, route: string, method = 'GET', body?: unknown) => {
    const res = await p.request(method, route, { role, body });
    out.push([what, res.status, res.body]);
    return res;
  };
  await get('search (browse)', '/api/v1/customers/search?size=100');
  await get('search by facet', '/api/v1/customers/search?f.city=W%C3%BCrzburg&f.segment=Gold');
  await get('profile', `/api/v1/customers/${id}`);
  await get('profile as of', `/api/v1/customers/${id}?asOf=${new Date().toISOString()}`);
  const page1 = await get('timeline', `/api/v1/customers/${id}/timeline?size=4`);
  if (page1.body?.next)
    await get(
      'timeline page 2',
      `/api/v1/customers/${id}/timeline?size=30&before=${encodeURIComponent(page1.body.next)}`,
    );
  await get('timeline by type', `/api/v1/customers/${id}/timeline?types=ticket,note,call`);
  await get('viewers', `/api/v1/customers/${id}/viewers`);
  if (role === 'analyst') {
    // Opened by the pseudonyms the timeline shows: every touchpoint of the customer.
    const all = (await p.request('GET', `/api/v1/customers/${id}/timeline?size=50`, { role })).body
      .items as { source: string; id: string }[];
    expect(all).toHaveLength(9);
    for (const t of all)
      await get(
        `touchpoint ${t.source}/${t.id}`,
        `/api/v1/touchpoints/${t.source}/${encodeURIComponent(t.id)}`,
      );
  }
  await get('analytics rows and aggregations', '/api/v1/analytics/query', 'POST', {
    filter: { kind: 'terms', field: 'address.city', values: ['Würzburg'] },
    aggs: {
      segment: { type: 'terms', field: 'segment' },
      city: {
        type: 'terms',
        field: 'address.city',
        aggs: { ltv: { type: 'stats', field: 'kpis.lifetimeValue' } },
      },
      products: { type: 'terms', field: 'products' },
      years: { type: 'dateHistogram', field: 'birthDate', interval: 'year' },
      hasPostal: { type: 'filter', filter: { kind: 'exists', field: 'address.postalCode' } },
      seventies: {
        type: 'dateRange',
        field: 'birthDate',
        ranges: [{ from: '1970-01-01', to: '1980-01-01' }],
      },
    },
    page: { size: 50, columns: allColumns },
  });
  await get('analytics fields', '/api/v1/analytics/fields');
  await get('dashboard', '/api/v1/dashboard');
  await get('dashboard panels', '/api/v1/analytics/dashboard?range=365d');
  await get('snapshots', '/api/v1/snapshots');
  await get('migration', `/api/v1/analytics/migration?from=${day(-1)}&to=${day(0)}`);
  await get(
    'migration customers',
    `/api/v1/analytics/migration/customers?from=${day(-1)}&to=${day(0)}&fromLabel=Gold&toLabel=Gold`,
  );
  await get('trends', '/api/v1/analytics/trends');
  if (role === 'analyst') {
    await get('export', '/api/v1/exports/customers', 'POST', {
      columns: allColumns,
      filter: { kind: 'terms', field: 'segment', values: ['Gold'] },
    });
  }
  await get('segments', '/api/v1/segments');
  await get('segment', '/api/v1/segments/wurzburg-gold');
  await get('segment events', '/api/v1/segments/wurzburg-gold/events');
  await get('data quality', '/api/v1/data-quality');
  await get('ingest status', '/api/v1/ingest/status');
  return out;
}

describe('what managers and analysts get', () => {
  for (const role of masked) {
    it(`no answer a ${role} can get holds any personal value of the customer`, async () => {
      const answers = await everyAnswer(role);
      const found: string[] = [];
      for (const [what, status, body] of answers) {
        if (status >= 300)
          found.push(`${what}: status ${status} ${JSON.stringify(body).slice(0, 200)}`);
        const leaked = leaks(body);
        if (leaked.length > 0) found.push(`${what}: ${leaked.join(', ')}`);
      }
      expect(found).toEqual([]);
      // The scan looked at answers about this customer, not at empty ones.
      const byName = Object.fromEntries(
        answers.map(([what, , body]) => [what, JSON.stringify(body)]),
      );
      for (const what of [
        'search (browse)',
        'search by facet',
        'profile',
        'timeline',
        'analytics rows and aggregations',
        'migration customers',
      ]) {
        expect(byName[what], what).toContain(id);
      }
      if (role === 'analyst') expect(byName.export, 'export').toContain(id);
      expect(byName.timeline).toContain('Strom Basis');
    });
  }

  it('agents and admins still see the customer they open in full', async () => {
    for (const role of ['agent', 'admin'] as Role[]) {
      const profile = (await p.request('GET', `/api/v1/customers/${id}`, { role })).body;
      expect(profile.emails[0].value).toBe(person.email);
      const timeline = await p.request('GET', `/api/v1/customers/${id}/timeline?q=Bellofantino`, {
        role,
      });
      expect(timeline.status).toBe(200);
      expect(timeline.body.items.map((t: { id: string }) => t.id)).toEqual(['NOTE-Q-1']);
    }
    const search = await p.request(
      'GET',
      `/api/v1/customers/search?q=${encodeURIComponent(person.phone)}`,
      { role: 'agent' },
    );
    expect(search.body.items[0]).toMatchObject({
      id,
      name: 'Zofia Quendrix',
      email: 'z***@quendrixhaus.example',
    });
  });

  it('a timeline page continues after the page before it for masked roles too, and a made-up cursor is refused', async () => {
    const first = await p.request('GET', `/api/v1/customers/${id}/timeline?size=4`, {
      role: 'manager',
    });
    expect(first.body.items).toHaveLength(4);
    const second = await p.request(
      'GET',
      `/api/v1/customers/${id}/timeline?size=30&before=${encodeURIComponent(first.body.next)}`,
      { role: 'manager' },
    );
    expect(second.status).toBe(200);
    expect(first.body.items.length + second.body.items.length).toBe(9);
    const keys = new Set(
      [...first.body.items, ...second.body.items].map((t: { key: string }) => t.key),
    );
    expect(keys.size).toBe(9);
    const forged = Buffer.from(
      JSON.stringify([Date.parse('2026-09-05T08:00:00Z'), 'crm:NOTE-Q-1']),
    ).toString('base64url');
    const refused = await p.request('GET', `/api/v1/customers/${id}/timeline?before=${forged}`, {
      role: 'manager',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
    expect(
      (
        await p.request('GET', `/api/v1/customers/${id}/timeline?before=2026-09-05T00:00:00Z`, {
          role: 'manager',
        })
      ).status,
    ).toBe(200);
  });
});

describe('no oracles for managers and analysts', () => {
  const oracles: {
    what: string;
    method: string;
    route: () => string;
    body?: unknown;
    roles?: Role[];
  }[] = [
    ...[
      person.email,
      'quendrixhaus',
      person.phone,
      '98765432',
      person.customerNumber,
      'ORD-Q-777111',
      'JJD0099887766',
      'TKT-Q-90210',
      'VTR-Q-313131',
      'Quendrix',
      'Zylinderkopf',
      'Xylophonweg',
      '97531',
    ].map((q) => ({
      what: `search q=${q}`,
      method: 'GET',
      route: () => `/api/v1/customers/search?q=${encodeURIComponent(q)}`,
    })),
    ...[
      ['crm', 'TKT-Q-90210'],
      ['shop', 'ORD-Q-777111'],
      ['erp', 'VTR-Q-313131'],
    ].map(([source, tpId]) => ({
      what: `a touchpoint by its number ${source}/${tpId}`,
      method: 'GET',
      route: () => `/api/v1/touchpoints/${source}/${tpId}`,
    })),
    {
      what: 'timeline q',
      method: 'GET',
      route: () => `/api/v1/customers/${id}/timeline?q=Bellofantino`,
    },
    {
      what: 'analytics q',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { q: 'Quendrix' },
    },
    {
      what: 'analytics filter on postal code',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { filter: { kind: 'terms', field: 'address.postalCode', values: ['97531'] } },
    },
    {
      what: 'analytics filter on company',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: {
        filter: {
          kind: 'not',
          filter: { kind: 'terms', field: 'company', values: ['Wolkenkratzer Beratung'] },
        },
      },
    },
    {
      what: 'analytics filter on an exact birth date',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: {
        filter: { kind: 'dateRange', field: 'birthDate', from: '1977-08-19', to: '1977-08-19' },
      },
    },
    {
      what: 'analytics filter on a birth date relative to today',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { filter: { kind: 'dateRange', field: 'birthDate', from: { days: -18_000 } } },
    },
    {
      what: 'terms on postal code',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { aggs: { pc: { type: 'terms', field: 'address.postalCode' } } },
    },
    {
      what: 'terms on company',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: {
        aggs: {
          c: { type: 'terms', field: 'segment', aggs: { c: { type: 'terms', field: 'company' } } },
        },
      },
    },
    {
      what: 'stats on birth date',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { aggs: { b: { type: 'stats', field: 'birthDate' } } },
    },
    {
      what: 'birth dates by month',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { aggs: { b: { type: 'dateHistogram', field: 'birthDate', interval: 'month' } } },
    },
    {
      what: 'birth date ranges by day',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: {
        aggs: {
          b: {
            type: 'dateRange',
            field: 'birthDate',
            ranges: [{ from: '1977-08-19', to: '1977-08-20' }],
          },
        },
      },
    },
    {
      what: 'cardinality of postal codes',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { aggs: { b: { type: 'cardinality', field: 'address.postalCode' } } },
    },
    {
      what: 'filter aggregation on postal code',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: {
        aggs: {
          b: {
            type: 'filter',
            filter: { kind: 'terms', field: 'address.postalCode', values: ['97531'] },
          },
        },
      },
    },
    {
      what: 'sort by name',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { page: { size: 10, sort: [{ field: 'name', order: 'asc' }] } },
    },
    {
      what: 'sort by birth date',
      method: 'POST',
      route: () => '/api/v1/analytics/query',
      body: { page: { size: 10, sort: [{ field: 'birthDate', order: 'asc' }] } },
    },
    {
      what: 'export q',
      method: 'POST',
      route: () => '/api/v1/exports/customers',
      body: { q: person.email },
      roles: ['analyst'],
    },
    {
      what: 'export filter on postal code',
      method: 'POST',
      route: () => '/api/v1/exports/customers',
      body: { filter: { kind: 'terms', field: 'address.postalCode', values: ['97531'] } },
      roles: ['analyst'],
    },
    {
      what: 'segment on postal code',
      method: 'POST',
      route: () => '/api/v1/segments',
      body: {
        name: 'Oracle',
        filter: { kind: 'terms', field: 'address.postalCode', values: ['97531'] },
      },
      roles: ['analyst'],
    },
  ];
  for (const oracle of oracles) {
    it(`refuses ${oracle.what} with 403 forbidden saying what is allowed`, async () => {
      for (const role of oracle.roles ?? masked) {
        const res = await p.request(oracle.method, oracle.route(), { role, body: oracle.body });
        expect(res.status, `${role}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.message).toMatch(/your role/i);
        expect(leaks(res.body)).toEqual([]);
      }
    });
  }

  it('still answers what is as coarse as shown: whole birth years, the existence of a postal code, filters on shown fields', async () => {
    const res = await p.request('POST', '/api/v1/analytics/query', {
      role: 'analyst',
      body: {
        filter: {
          kind: 'and',
          filters: [
            { kind: 'dateRange', field: 'birthDate', from: '1977-01-01', to: '1977-12-31' },
            { kind: 'exists', field: 'address.postalCode' },
          ],
        },
        aggs: { years: { type: 'dateHistogram', field: 'birthDate', interval: 'year' } },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.aggs.years.buckets.map((b: { label: string }) => b.label)).toEqual(['1977']);
  });

  it('agents and admins may still search by identifiers and text', async () => {
    for (const role of ['agent', 'admin'] as Role[]) {
      for (const q of [person.email, person.customerNumber, 'TKT-Q-90210', 'Zofia Quendrix']) {
        const res = await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(q)}`, {
          role,
        });
        expect(res.status).toBe(200);
        expect(res.body.items[0]?.id, `${role} ${q}`).toBe(id);
      }
    }
    const admin = await p.request('POST', '/api/v1/analytics/query', {
      role: 'admin',
      body: { aggs: { pc: { type: 'terms', field: 'address.postalCode' } } },
    });
    expect(admin.status).toBe(200);
  });
});
