/**
 * Every customer route, every role — who may use it, and what of
 * the customer's personal data each role gets to see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/src/api';
import { startPanorama, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let id: string;

const person = {
  customerNumber: 'K-778899',
  email: 'greta.maske@example.de',
  phone: '+49 172 5556667',
  firstName: 'Greta',
  lastName: 'Maske',
  birthDate: '1980-02-03',
  address: { street: 'Hidden Str. 1', postalCode: '20095', city: 'Hamburg', country: 'DE' },
};
const personal = [
  'greta.maske',
  '5556667',
  'Greta',
  'Maske',
  '1980-02-03',
  'Hidden Str',
  '20095',
  'K-778899',
  'Bitte an Frau Maske',
];

beforeAll(async () => {
  p = await startPanorama();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'shop',
        id: 'M1',
        type: 'order',
        occurredAt: '2026-10-01T10:00:00Z',
        customer: person,
        data: {
          orderNumber: 'M1',
          total: 120,
          currency: 'EUR',
          status: 'shipped',
          shipping: { carrier: 'DHL', trackingNumber: '00340434169999999999' },
        },
      },
      {
        source: 'crm',
        id: 'N1',
        type: 'note',
        occurredAt: '2026-10-02T10:00:00Z',
        customer: { email: person.email },
        data: { text: 'Bitte an Frau Maske nur vormittags liefern', pinned: true },
      },
      {
        source: 'crm',
        id: 'P1',
        type: 'profile',
        occurredAt: '2026-10-02T10:00:00Z',
        customer: { email: person.email },
        data: { segment: 'Gold' },
      },
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  const found = await p.request(
    'GET',
    `/api/v1/customers/search?q=${encodeURIComponent(person.email)}`,
    { role: 'admin' },
  );
  id = found.body.items[0].id;
});
afterAll(async () => {
  await p?.close();
});

function leaks(body: unknown): string[] {
  const text = JSON.stringify(body);
  return personal.filter((v) => text.includes(v));
}

const allRoles: Role[] = ['ingest', 'agent', 'manager', 'analyst', 'admin'];

describe('who may use which route', () => {
  const table: { route: () => string; name: string; method?: string; allowed: Role[] }[] = [
    // Managers and analysts browse by facets only: text search is refused to them (masked-roles.test.ts).
    {
      route: () => `/api/v1/customers/search?f.city=Hamburg`,
      name: '/api/v1/customers/search?f.city=Hamburg',
      allowed: ['agent', 'manager', 'analyst', 'admin'],
    },
    {
      route: () => `/api/v1/customers/${id}`,
      name: '/api/v1/customers/{id}',
      allowed: ['agent', 'manager', 'analyst', 'admin'],
    },
    {
      route: () => `/api/v1/customers/${id}/timeline`,
      name: '/api/v1/customers/{id}/timeline',
      allowed: ['agent', 'manager', 'analyst', 'admin'],
    },
    {
      route: () => `/api/v1/customers/${id}/viewers`,
      name: '/api/v1/customers/{id}/viewers',
      allowed: ['agent', 'manager', 'analyst', 'admin'],
    },
    // Analysts open a touchpoint by the pseudonym their timeline shows, never by its number (masked-roles.test.ts).
    {
      route: () => `/api/v1/touchpoints/shop/M1`,
      name: '/api/v1/touchpoints/shop/M1',
      allowed: ['agent', 'admin'],
    },
    {
      route: () => `/api/v1/customers/${id}/export`,
      name: '/api/v1/customers/{id}/export',
      allowed: ['admin'],
    },
    { route: () => `/api/v1/audit`, name: '/api/v1/audit', allowed: ['admin'] },
    {
      route: () => `/api/v1/dashboard`,
      name: '/api/v1/dashboard',
      allowed: ['manager', 'analyst', 'admin'],
    },
    {
      route: () => `/api/v1/ingest/status`,
      name: '/api/v1/ingest/status',
      allowed: ['ingest', 'agent', 'manager', 'analyst', 'admin'],
    },
  ];
  for (const row of table) {
    it(`${row.method ?? 'GET'} ${row.name} answers 2xx only to ${row.allowed.join(', ')}, 403 to the others and 401 without a token`, async () => {
      for (const role of allRoles) {
        const res = await p.request(row.method ?? 'GET', row.route(), { role });
        if (row.allowed.includes(role))
          expect(res.status, `${role}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(
            300,
          );
        else {
          expect(res.status, role).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      }
      expect((await p.request(row.method ?? 'GET', row.route(), { role: null })).status).toBe(401);
    });
  }
  it('DELETE /api/v1/customers/{id} is refused to every role but admin', async () => {
    for (const role of ['ingest', 'agent', 'manager', 'analyst'] as Role[]) {
      expect((await p.request('DELETE', `/api/v1/customers/${id}`, { role })).status).toBe(403);
    }
  });
});

describe('what each role sees', () => {
  async function searchAs(role: Role) {
    const query =
      role === 'manager' || role === 'analyst'
        ? 'f.city=Hamburg'
        : `q=${encodeURIComponent('Greta Maske')}`;
    const res = await p.request('GET', `/api/v1/customers/search?${query}`, { role });
    expect(res.status).toBe(200);
    return res.body;
  }

  it('agents get in lists what finding the right person needs: name, number, city, masked email and phone', async () => {
    const item = (await searchAs('agent')).items[0];
    expect(item).toMatchObject({
      id,
      name: 'Greta Maske',
      customerNumber: 'K-778899',
      city: 'Hamburg',
      email: 'g***@example.de',
      phone: '***6667',
    });
  });

  it('agents see the full personal data of the profile they open, its timeline and touchpoints', async () => {
    const profile = (await p.request('GET', `/api/v1/customers/${id}`, { role: 'agent' })).body;
    expect(profile.name).toBe('Greta Maske');
    expect(profile.emails[0].value).toBe('greta.maske@example.de');
    expect(profile.address.street).toBe('Hidden Str. 1');
    expect(profile.pinnedNotes[0].text).toContain('Frau Maske');
    const timeline = (await p.request('GET', `/api/v1/customers/${id}/timeline`, { role: 'agent' }))
      .body;
    expect(JSON.stringify(timeline)).toContain('greta.maske@example.de');
    const tp = (await p.request('GET', '/api/v1/touchpoints/shop/M1', { role: 'agent' })).body;
    expect(tp.touchpoint.customer.email).toBe('greta.maske@example.de');
  });

  for (const role of ['manager', 'analyst'] as Role[]) {
    it(`${role}s get pseudonymized lists: initials, masked contacts, no customer number or highlights; facets stay`, async () => {
      const answer = await searchAs(role);
      expect(answer.items[0]).toMatchObject({
        id,
        name: 'G. M.',
        email: 'g***@***',
        phone: '***',
        city: 'Hamburg',
        customerNumber: '***',
        highlight: {},
      });
      expect(answer.facets.segment).toEqual(expect.arrayContaining([{ value: 'Gold', count: 1 }]));
      expect(leaks(answer.items)).toEqual([]);
    });

    it(`${role}s see the profile and timeline masked: KPIs and facts, no contact data, no free text`, async () => {
      const profile = (await p.request('GET', `/api/v1/customers/${id}`, { role })).body;
      expect(profile.kpis.lifetimeValue).toBe(120);
      expect(profile.segment).toBe('Gold');
      expect(profile.address.city).toBe('Hamburg');
      expect(profile.recentOrders[0].shipping.trackingNumber).toBe('***');
      expect(profile.pinnedNotes[0].text).toMatch(/^\[hidden: \d+ characters\]$/);
      expect(leaks(profile)).toEqual([]);
      const timeline = (await p.request('GET', `/api/v1/customers/${id}/timeline`, { role })).body;
      expect(timeline.items.length).toBe(3);
      expect(leaks(timeline)).toEqual([]);
    });
  }

  it('analysts see a single touchpoint masked', async () => {
    const timeline = (
      await p.request('GET', `/api/v1/customers/${id}/timeline?types=order`, { role: 'analyst' })
    ).body;
    const tp = (
      await p.request('GET', `/api/v1/touchpoints/shop/${timeline.items[0].id}`, {
        role: 'analyst',
      })
    ).body;
    expect(tp.touchpoint.data.total).toBe(120);
    expect(leaks(tp)).toEqual([]);
  });

  for (const role of ['manager', 'analyst'] as Role[]) {
    it(`${role}s get analytics rows pseudonymized`, async () => {
      const res = await p.request('POST', '/api/v1/analytics/query', {
        role,
        body: {
          page: {
            size: 10,
            columns: [
              'name',
              'email',
              'phone',
              'customerNumber',
              'birthDate',
              'address.postalCode',
              'address.city',
              'kpis.lifetimeValue',
            ],
          },
        },
      });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      const row = res.body.items.find((r: { id: string }) => r.id === id);
      expect(row).toMatchObject({
        name: 'G. M.',
        email: 'g***@***',
        phone: '***',
        customerNumber: '***',
        birthDate: '1980',
        'address.postalCode': '20***',
        'address.city': 'Hamburg',
        'kpis.lifetimeValue': 120,
      });
      expect(leaks(res.body.items)).toEqual([]);
    });
  }

  it('analysts get the CSV export pseudonymized, and the export is audited', async () => {
    const res = await p.request('POST', '/api/v1/exports/customers', {
      role: 'analyst',
      body: {
        columns: ['id', 'name', 'email', 'phone', 'customerNumber', 'birthDate', 'address.city'],
      },
    });
    expect(res.status).toBe(200);
    const csv = String(res.body);
    expect(csv).toContain('G. M.');
    expect(csv).toContain('g***@***');
    expect(leaks(csv)).toEqual([]);
    const admin = await p.request('POST', '/api/v1/exports/customers', {
      role: 'admin',
      body: { columns: ['id', 'name', 'email'] },
    });
    expect(String(admin.body)).toContain('greta.maske@example.de');
    await p.server.ctx.audit.flush(true);
    const audit = await p.request(
      'GET',
      `/api/v1/audit?action=export&actor=${encodeURIComponent(p.actors.analyst)}`,
      { role: 'admin' },
    );
    expect(audit.body.total).toBe(1);
    expect(audit.body.items[0].resultCount).toBeGreaterThan(0);
  });

  it('a marketing export leaves out customers without marketing consent for the channel and says how many', async () => {
    const consent = (id: string, email: string, granted: boolean) => ({
      source: 'crm',
      id,
      type: 'consent',
      occurredAt: '2026-10-05T10:00:00Z',
      customer: { email, lastName: id },
      data: { channel: 'email', purpose: 'marketing', granted },
    });
    const ingested = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        consent('Yes', 'yes.consent@example.com', true),
        consent('Withdrawn', 'no.consent@example.com', true),
        {
          source: 'mail',
          id: 'U1',
          type: 'campaign_response',
          occurredAt: '2026-10-06T10:00:00Z',
          customer: { email: 'no.consent@example.com' },
          data: { campaignId: 'C1', channel: 'email', action: 'unsubscribed' },
        },
      ],
    });
    expect(ingested.status).toBe(202);
    await p.waitUntilIndexed();
    const all = await p.request('POST', '/api/v1/exports/customers', {
      role: 'admin',
      body: { columns: ['id', 'name'] },
    });
    const res = await p.request('POST', '/api/v1/exports/customers', {
      role: 'admin',
      body: { columns: ['id', 'name'], marketingChannel: 'email' },
    });
    expect(res.status).toBe(200);
    const rows = String(res.body).trim().split('\r\n').slice(1);
    expect(rows.length).toBe(1);
    expect(rows[0]).toContain('Yes');
    const total = Number(all.headers.get('x-total-count'));
    expect(Number(res.headers.get('x-excluded-without-consent'))).toBe(total - 1);
    const bad = await p.request('POST', '/api/v1/exports/customers', {
      role: 'admin',
      body: { marketingChannel: 'fax' },
    });
    expect(bad.status).toBe(400);
  });

  it('a marketing segment leaves out customers without consent on its channels, counts them, and admits one once consent is given', async () => {
    const spring = (id: string, email: string) => ({
      source: 'crm',
      id: `S-${id}`,
      type: 'profile',
      occurredAt: '2026-10-07T10:00:00Z',
      customer: { email, lastName: id },
      data: { tags: ['spring-mailing'] },
    });
    const consent = (id: string, email: string, granted: boolean, at: string) => ({
      source: 'crm',
      id: `SC-${id}-${at}`,
      type: 'consent',
      occurredAt: at,
      customer: { email },
      data: { channel: 'email', purpose: 'marketing', granted },
    });
    const ingested = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        spring('Allowed', 'allowed@example.com'),
        consent('Allowed', 'allowed@example.com', true, '2026-10-07T11:00:00Z'),
        spring('Silent', 'silent@example.com'),
        spring('Sms', 'sms.only@example.com'),
        {
          source: 'crm',
          id: 'SC-Sms',
          type: 'consent',
          occurredAt: '2026-10-07T11:00:00Z',
          customer: { email: 'sms.only@example.com' },
          data: { channel: 'sms', purpose: 'marketing', granted: true },
        },
      ],
    });
    expect(ingested.status).toBe(202);
    await p.waitUntilIndexed();
    const filter = { kind: 'terms', field: 'tags', values: ['spring-mailing'] };
    const created = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: 'Spring mailing', filter, purpose: 'marketing', consentChannels: ['email'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.segment).toMatchObject({
      purpose: 'marketing',
      consentChannels: ['email'],
      excludedWithoutConsent: 2,
    });
    // The same filter for any use: everyone matching is a member.
    expect(
      (
        await p.request('POST', '/api/v1/segments', {
          role: 'analyst',
          body: { name: 'Spring all', filter },
        })
      ).body.segment.excludedWithoutConsent,
    ).toBeUndefined();
    await p.waitUntilIndexed();

    const members = async (segment: string) => {
      const answer = await p.request('POST', '/api/v1/analytics/query', {
        role: 'admin',
        body: {
          filter: { kind: 'terms', field: 'segments', values: [segment] },
          page: { size: 10, columns: ['name'] },
        },
      });
      return (answer.body.items as { name: string }[]).map((row) => row.name).sort();
    };
    const listed = async () =>
      Object.fromEntries(
        (
          (await p.request('GET', '/api/v1/segments', { role: 'analyst' })).body.items as {
            name: string;
            excludedWithoutConsent?: number;
          }[]
        ).map((s) => [s.name, s]),
      );
    expect(await members('Spring mailing')).toEqual(['Allowed']);
    expect(await members('Spring all')).toEqual(['Allowed', 'Silent', 'Sms']);
    expect((await listed())['Spring mailing']).toMatchObject({
      members: 1,
      excludedWithoutConsent: 2,
    });
    expect((await listed())['Spring all'].excludedWithoutConsent).toBeUndefined();

    // Silent gives email consent: the rebuild of the profile puts them in the segment and they no longer count as left out.
    expect(
      (
        await p.request('POST', '/api/v1/touchpoints', {
          role: 'ingest',
          body: [consent('Silent', 'silent@example.com', true, '2026-10-08T09:00:00Z')],
        })
      ).status,
    ).toBe(202);
    await p.waitUntilIndexed();
    expect(await members('Spring mailing')).toEqual(['Allowed', 'Silent']);
    expect(
      (await p.request('GET', '/api/v1/segments/spring-mailing', { role: 'manager' })).body.segment,
    ).toMatchObject({ excludedWithoutConsent: 1 });
    const events = await p.request('GET', '/api/v1/segments/spring-mailing/events', {
      role: 'analyst',
    });
    expect(events.body.items.filter((e: { kind: string }) => e.kind === 'entered')).toHaveLength(2);
    // …and withdrawing it again (an unsubscribe) takes them out.
    const unsubscribe = {
      source: 'mail',
      id: 'SU-Silent',
      type: 'campaign_response',
      occurredAt: '2026-10-09T09:00:00Z',
      customer: { email: 'silent@example.com' },
      data: { campaignId: 'C9', channel: 'email', action: 'unsubscribed' },
    };
    expect(
      (await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: [unsubscribe] }))
        .status,
    ).toBe(202);
    await p.waitUntilIndexed();
    expect(await members('Spring mailing')).toEqual(['Allowed']);
  });

  it('a newsletter reader who unsubscribes leaves the marketing segment (exit recorded) and the marketing export (counted as excluded); sms stays', async () => {
    const tag = (id: string, email: string) => ({
      source: 'crm',
      id: `NL-${id}`,
      type: 'profile',
      occurredAt: '2026-10-10T10:00:00Z',
      customer: { email, lastName: id },
      data: { tags: ['autumn-news'] },
    });
    const newsletter = (id: string, email: string, channel: string) => ({
      source: 'crm',
      id: `NLC-${id}-${channel}`,
      type: 'consent',
      occurredAt: '2026-10-10T11:00:00Z',
      customer: { email },
      data: { channel, purpose: 'newsletter', granted: true },
    });
    const reader = 'reader@example.com';
    const ingested = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        tag('Reader', reader),
        newsletter('Reader', reader, 'email'),
        newsletter('Reader', reader, 'sms'),
        tag('Stays', 'stays@example.com'),
        newsletter('Stays', 'stays@example.com', 'email'),
      ],
    });
    expect(ingested.status).toBe(202);
    await p.waitUntilIndexed();
    const filter = { kind: 'terms', field: 'tags', values: ['autumn-news'] };
    const created = await p.request('POST', '/api/v1/segments', {
      role: 'analyst',
      body: { name: 'Autumn newsletter', filter, purpose: 'marketing', consentChannels: ['email'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.segment).toMatchObject({ excludedWithoutConsent: 0 });
    await p.waitUntilIndexed();

    const members = async () => {
      const answer = await p.request('POST', '/api/v1/analytics/query', {
        role: 'admin',
        body: {
          filter: { kind: 'terms', field: 'segments', values: ['Autumn newsletter'] },
          page: { size: 10, columns: ['name'] },
        },
      });
      return (answer.body.items as { name: string }[]).map((row) => row.name).sort();
    };
    const exported = async (marketingChannel: string) => {
      const res = await p.request('POST', '/api/v1/exports/customers', {
        role: 'admin',
        body: { columns: ['name'], filter, marketingChannel },
      });
      expect(res.status).toBe(200);
      return {
        names: String(res.body).trim().split('\r\n').slice(1).sort(),
        excluded: Number(res.headers.get('x-excluded-without-consent')),
      };
    };
    expect(await members()).toEqual(['Reader', 'Stays']);
    expect(await exported('email')).toEqual({ names: ['Reader', 'Stays'], excluded: 0 });

    const unsubscribe = {
      source: 'mail',
      id: 'NLU-Reader',
      type: 'campaign_response',
      occurredAt: '2026-10-11T09:00:00Z',
      customer: { email: reader },
      data: { campaignId: 'NL-10', channel: 'email', action: 'unsubscribed' },
    };
    expect(
      (await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: [unsubscribe] }))
        .status,
    ).toBe(202);
    await p.waitUntilIndexed();

    expect(await members()).toEqual(['Stays']);
    const readerId = (
      await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(reader)}`, {
        role: 'admin',
      })
    ).body.items[0].id as string;
    const events = (
      await p.request('GET', '/api/v1/segments/autumn-newsletter/events', { role: 'analyst' })
    ).body.items as { customerId: string; kind: string }[];
    expect(events.filter((e) => e.kind === 'exited')).toEqual([
      expect.objectContaining({ customerId: readerId, kind: 'exited' }),
    ]);
    expect(
      (await p.request('GET', '/api/v1/segments/autumn-newsletter', { role: 'analyst' })).body
        .segment,
    ).toMatchObject({ excludedWithoutConsent: 1 });
    expect(await exported('email')).toEqual({ names: ['Stays'], excluded: 1 });
    // The unsubscribe came from an email campaign: the sms newsletter consent stands.
    expect(await exported('sms')).toEqual({ names: ['Reader'], excluded: 1 });
    // The profile shows the email newsletter withdrawn as of the unsubscribe, the sms one still granted.
    const profile = (await p.request('GET', `/api/v1/customers/${readerId}`, { role: 'admin' }))
      .body;
    expect(profile.consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          purpose: 'newsletter',
          granted: false,
          source: 'mail',
        }),
        expect.objectContaining({ channel: 'sms', purpose: 'newsletter', granted: true }),
      ]),
    );
  });

  it('refuses a marketing segment without channels, channels without the purpose, and unknown channels, writing nothing', async () => {
    const filter = { kind: 'exists', field: 'segment' };
    for (const body of [
      { name: 'No channels', filter, purpose: 'marketing' },
      { name: 'No purpose', filter, consentChannels: ['email'] },
      { name: 'Fax', filter, purpose: 'marketing', consentChannels: ['fax'] },
      { name: 'Twice', filter, purpose: 'marketing', consentChannels: ['email', 'email'] },
      { name: 'Other purpose', filter, purpose: 'research', consentChannels: ['email'] },
    ]) {
      const res = await p.request('POST', '/api/v1/segments', { role: 'analyst', body });
      expect(res.status, body.name).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.length, body.name).toBeGreaterThan(0);
    }
    const names = (
      (await p.request('GET', '/api/v1/segments', { role: 'analyst' })).body.items as {
        name: string;
      }[]
    ).map((s) => s.name);
    for (const name of ['No channels', 'No purpose', 'Fax', 'Twice', 'Other purpose'])
      expect(names).not.toContain(name);
  });

  it('the dashboard holds aggregates only', async () => {
    for (const role of ['manager', 'analyst'] as Role[]) {
      const res = await p.request('GET', '/api/v1/dashboard', { role });
      expect(leaks(res.body), role).toEqual([]);
    }
  });

  it('admins see everything', async () => {
    const item = (await searchAs('admin')).items[0];
    expect(item.email).toBe('greta.maske@example.de');
    const profile = (await p.request('GET', `/api/v1/customers/${id}`, { role: 'admin' })).body;
    expect(profile.birthDate).toBe('1980-02-03');
  });
});
