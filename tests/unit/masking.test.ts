import { describe, expect, it } from 'vitest';
import type { AnalyticsAnswer, AnalyticsQuery } from '../../domain/src/analytics/query-schema';
import type { StoredTouchpoint } from '../../domain/src/contract';
import type { Profile } from '../../domain/src/profile';
import {
  initials,
  maskAnalyticsAnswer,
  maskAnalyticsRow,
  maskEmail,
  maskMigrationCustomers,
  maskNumber,
  maskPhone,
  maskProfile,
  maskSearchAnswer,
  maskTimelineAnswer,
  keyOfPseudonym,
  maskTouchpoint,
  maskViewers,
  openTimelineCursor,
  openTouchpointId,
  pseudonymizeEmail,
  pseudonymizeKey,
  pseudonymOf,
} from '../../server/src/privacy/masking';

describe('masking', () => {
  it('keeps what confirms a person, not what reaches them', () => {
    expect(maskEmail('Anna.Schmidt@Example.de')).toBe('A***@Example.de');
    expect(maskEmail('not-an-email')).toBe('***');
    expect(maskPhone('+49 170 1234567')).toBe('***4567');
    expect(maskPhone('12')).toBe('***');
    expect(maskNumber('K-102934')).toBe('***934');
    expect(initials('Anna-Lena Müller')).toBe('A. L. M.');
    expect(initials('Ömer Çelik')).toBe('Ö. Ç.');
    expect(maskEmail(null)).toBeNull();
    expect(pseudonymizeEmail('Anna.Schmidt@schmidt-family.de')).toBe('A***@***');
  });

  it('masks analytics rows by exposure and leaves admins the full row', () => {
    const row = {
      id: 'c1',
      name: 'Anna Schmidt',
      email: 'anna@example.de',
      phone: '+491701234567',
      customerNumber: 'K-102934',
      birthDate: '1985-04-12',
      'address.postalCode': '80331',
      'kpis.lifetimeValue': 10,
    };
    expect(maskAnalyticsRow(row, 'full')).toBe(row);
    expect(maskAnalyticsRow(row, 'pseudonymized')).toEqual({
      id: 'c1',
      name: 'A. S.',
      email: 'a***@***',
      phone: '***',
      customerNumber: '***',
      birthDate: '1985',
      'address.postalCode': '80***',
      'kpis.lifetimeValue': 10,
    });
    expect(maskAnalyticsRow(row, 'minimal').name).toBe('Anna Schmidt');
    expect(maskAnalyticsRow(row, 'minimal').email).toBe('a***@example.de');
  });
});

describe('profile masking', () => {
  it('masks the original writings and the identifier-keyed sources like the values beside them', () => {
    const source = { source: 'crm', key: 'crm:K-1', occurredAt: '2026-01-01T00:00:00Z' };
    const profile = {
      name: 'Thomas Müller',
      firstName: 'Thomas',
      lastName: 'Müller',
      address: {
        street: 'Hauptstr. 5',
        postalCode: '80331',
        city: 'München',
        country: 'DE',
        source: 'crm',
      },
      originals: {
        firstName: { original: 'thomas', valid: true },
        lastName: { original: 'MÜLLER', valid: true },
        street: { original: 'HAUPTSTR. 5', valid: true },
        postalCode: { original: 'D-80331', valid: true },
        city: { original: 'MÜNCHEN', valid: true },
        country: { original: 'Deutschland', valid: true },
      },
      fieldSources: {
        lastName: source,
        'customerNumber:K-102934': source,
        'externalId:shop:u-88812': source,
      },
      customerNumbers: ['K-102934'],
      externalIds: ['shop:u-88812'],
    } as unknown as Profile;
    expect(maskProfile(profile, 'full')).toBe(profile);
    const masked = maskProfile(profile, 'pseudonymized');
    expect(masked.originals).toEqual({
      firstName: { original: 'T.', valid: true },
      lastName: { original: 'M.', valid: true },
      street: { original: '***', valid: true },
      postalCode: { original: 'D-***', valid: true },
      city: { original: 'MÜNCHEN', valid: true },
      country: { original: 'Deutschland', valid: true },
    });
    // Keyed as the masked lists show the identifiers, so the UI still finds each one's source.
    expect(Object.keys(masked.fieldSources ?? {})).toEqual([
      'lastName',
      `customerNumber:${masked.customerNumbers[0]}`,
      `externalId:${masked.externalIds[0]}`,
    ]);
    // The touchpoint a value came from is named by its pseudonym, its source kept.
    expect(masked.fieldSources?.lastName).toEqual({
      source: 'crm',
      key: pseudonymizeKey('crm:K-1'),
      occurredAt: '2026-01-01T00:00:00Z',
    });
    expect(JSON.stringify(masked)).not.toMatch(/K-1\b|K-102934|u-88812|Hauptstr|80331/);
  });
});

/** Distinctive personal values; none may survive pseudonymization anywhere in an answer. */
const secrets = [
  'Zofia',
  'Quendrix',
  'quendrixhaus',
  '98765432',
  '5432',
  'KQ-246813',
  'ext-qq-5551',
  'Wolkenkratzer',
  'Xylophonweg',
  '97531',
  '1977-08-19',
  'ORD-Q-7771',
  'JJD0099887766',
  'TKT-Q-9021',
  'VTR-Q-3131',
  'Zylinderkopf',
  'Bellofantino',
  'Waschbär',
  'Hollerbusch',
  'Ultramarin',
  '864209',
  'nb:zofia',
];
const leaks = (value: unknown) => {
  const text = JSON.stringify(value).toLowerCase();
  return secrets.filter((s) => text.includes(s.toLowerCase()));
};

const fullProfile = {
  id: 'c1',
  name: 'Zofia Quendrix',
  firstName: 'Zofia',
  lastName: 'Quendrix',
  company: 'Wolkenkratzer GmbH',
  birthDate: '1977-08-19',
  address: {
    street: 'Xylophonweg 77',
    postalCode: '97531',
    city: 'Würzburg',
    country: 'DE',
    source: 'crm',
  },
  fieldSources: {
    firstName: { source: 'crm', key: 'crm:KQ-246813', occurredAt: '2026-01-01T00:00:00Z' },
    'customerNumber:KQ-246813': {
      source: 'crm',
      key: 'crm:KQ-246813',
      occurredAt: '2026-01-01T00:00:00Z',
    },
  },
  originals: {
    firstName: { original: 'ZOFIA', valid: true },
    street: { original: 'Xylophonweg 77', valid: true },
    postalCode: { original: '97531', valid: true },
    city: { original: 'Würzburg', valid: true },
  },
  identityLinks: [
    {
      kind: 'email',
      value: 'zofia@quendrixhaus.de',
      records: ['shop:ORD-Q-7771'],
      sources: ['shop'],
      current: true,
    },
    {
      kind: 'cnum',
      value: 'KQ246813',
      records: ['crm:TKT-Q-9021'],
      sources: ['crm'],
      current: true,
    },
  ],
  quality: {
    emailValid: true,
    phoneValid: true,
    addressValid: true,
    invalid: [],
    invalidSources: [],
    duplicateKeys: ['nb:zofia quendrix|1977-08-19'],
  },
  emails: [
    {
      value: 'zofia@quendrixhaus.de',
      original: 'Zofia@Quendrixhaus.de',
      current: true,
      seenIn: ['shop:ORD-Q-7771'],
      lastSeenAt: '2026-01-01T00:00:00Z',
      valid: true,
    },
  ],
  phones: [
    {
      value: '+4915198765432',
      original: '0151 98765432',
      current: true,
      seenIn: ['pbx:TKT-Q-9021'],
      lastSeenAt: '2026-01-01T00:00:00Z',
      valid: true,
    },
  ],
  customerNumbers: ['KQ-246813'],
  externalIds: ['shop:ext-qq-5551'],
  segment: 'Gold',
  status: 'active',
  language: 'de',
  tags: ['vip'],
  kpis: {
    lifetimeValue: 321,
    currency: 'EUR',
    orderCount: 1,
    lastNps: 3,
    lastNpsComment: 'Waschbärenplage',
    lastOrderAt: '2026-01-01T00:00:00Z',
    touchpointCount: 9,
  },
  channels: ['web'],
  contacts: { 'phone:inbound': 1 },
  products: ['Kaffeemaschine'],
  categories: ['Küche'],
  preferredSalesChannel: 'web',
  recentOrders: [
    {
      key: 'shop:ORD-Q-7771',
      orderNumber: 'ORD-Q-7771',
      occurredAt: '2026-01-01T00:00:00Z',
      status: 'shipped',
      total: 321,
      currency: 'EUR',
      channel: 'web',
      itemCount: 1,
      items: [{ sku: 'S1', name: 'Kaffeemaschine', category: 'Küche', quantity: 1 }],
      shipping: { carrier: 'DHL', trackingNumber: 'JJD0099887766', status: 'delivered' },
    },
  ],
  openTickets: [
    {
      key: 'crm:TKT-Q-9021',
      ticketNumber: 'TKT-Q-9021',
      subject: 'Zylinderkopf kaputt',
      status: 'open',
      priority: 'high',
      category: null,
      channel: 'phone',
      complaint: true,
      openedAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    },
  ],
  pinnedNotes: [
    {
      key: 'crm:N1',
      text: 'Hund heißt Bellofantino',
      author: 'Hollerbusch',
      occurredAt: '2026-01-01T00:00:00Z',
    },
  ],
  contracts: [
    {
      key: 'erp:VTR-Q-3131',
      contractNumber: 'VTR-Q-3131',
      product: 'Strom',
      status: 'active',
      startDate: null,
      endDate: null,
      monthlyFee: 40,
      currency: 'EUR',
      options: [],
      cancellationRequestedAt: null,
    },
  ],
  consents: [
    {
      channel: 'email',
      purpose: 'newsletter',
      granted: true,
      since: '2026-01-01T00:00:00Z',
      source: 'crm',
    },
  ],
  campaigns: { spring: 1 },
  segments: ['Würzburg Gold'],
  sources: ['crm', 'shop'],
  mergedFrom: ['c0'],
  firstSeenAt: '2026-01-01T00:00:00Z',
  lastSeenAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  asOf: '2026-01-02T00:00:00Z',
  someNewField: 'Zofia Quendrix, Xylophonweg 77',
} as unknown as Profile;

describe('pseudonymized profile', () => {
  const masked = maskProfile(fullProfile, 'pseudonymized');

  it('holds no personal value in any field, a field added tomorrow included', () => {
    expect(leaks(masked)).toEqual([]);
    expect(masked).not.toHaveProperty('someNewField');
  });

  it('keeps the facts: KPIs, segment, city, products, consents, dates, the customer id and the as-of moment', () => {
    expect(masked).toMatchObject({
      id: 'c1',
      segment: 'Gold',
      status: 'active',
      tags: ['vip'],
      products: ['Kaffeemaschine'],
      mergedFrom: ['c0'],
      asOf: '2026-01-02T00:00:00Z',
    });
    expect(masked.address).toEqual({
      street: '***',
      postalCode: '97***',
      city: 'Würzburg',
      country: 'DE',
      source: 'crm',
    });
    expect(masked.kpis).toMatchObject({
      lifetimeValue: 321,
      lastNps: 3,
      lastOrderAt: '2026-01-01T00:00:00Z',
      lastNpsComment: '[hidden: 15 characters]',
    });
    expect(masked.recentOrders[0]).toMatchObject({
      total: 321,
      orderNumber: '***',
      shipping: { carrier: 'DHL', trackingNumber: '***' },
    });
    expect(masked.contracts[0]).toMatchObject({
      product: 'Strom',
      monthlyFee: 40,
      contractNumber: '***',
    });
  });

  it('masks names to initials, the company of a person, contacts, numbers, free text and where values were seen', () => {
    expect(masked).toMatchObject({
      name: 'Z. Q.',
      firstName: 'Z.',
      lastName: 'Q.',
      company: 'W. G.',
      birthDate: null,
    });
    expect(masked.emails[0]).toMatchObject({
      value: 'z***@***',
      original: 'Z***@***',
      seenIn: [pseudonymizeKey('shop:ORD-Q-7771')],
    });
    expect(masked.phones[0]).toMatchObject({ value: '***', original: '***' });
    expect(masked.customerNumbers).toEqual(['***']);
    expect(masked.externalIds).toEqual(['***']);
    expect(masked.openTickets[0]).toMatchObject({
      ticketNumber: '***',
      subject: '[hidden: 19 characters]',
      priority: 'high',
    });
    expect(masked.pinnedNotes[0]).toMatchObject({ text: '[hidden: 23 characters]', author: 'H.' });
    expect(masked.identityLinks?.map((l) => l.records)).toEqual([
      [pseudonymizeKey('shop:ORD-Q-7771')],
      [pseudonymizeKey('crm:TKT-Q-9021')],
    ]);
    expect(masked.quality?.duplicateKeys).toEqual(['***']);
  });

  it('keeps the company of an account that is no person', () => {
    const company = maskProfile(
      { ...fullProfile, name: 'Wolkenkratzer GmbH', firstName: null, lastName: null },
      'pseudonymized',
    );
    expect(company.company).toBe('Wolkenkratzer GmbH');
  });

  it('gives each touchpoint key one pseudonym, the same wherever it appears, and keeps the source', () => {
    expect(pseudonymizeKey('shop:ORD-Q-7771')).toBe(pseudonymizeKey('shop:ORD-Q-7771'));
    expect(pseudonymizeKey('shop:ORD-Q-7771')).not.toBe(pseudonymizeKey('shop:ORD-Q-7772'));
    expect(pseudonymizeKey('shop:ORD-Q-7771')).toMatch(/^shop:tp_[\w-]+$/);
    // Only this server opens them again, and a pseudonym does not tell the length of the number inside.
    expect(keyOfPseudonym(pseudonymOf('shop:ORD-Q-7771'))).toBe('shop:ORD-Q-7771');
    expect(pseudonymOf('shop:1').length).toBe(pseudonymOf('shop:ORD-Q-7771').length);
    const forged = pseudonymOf('shop:ORD-Q-7771').slice(0, -2) + 'AA';
    expect(keyOfPseudonym(forged)).toBeNull();
    expect(keyOfPseudonym('tp_nonsense')).toBeNull();
  });

  it('lets masked roles open a touchpoint by its pseudonym only', () => {
    expect(openTouchpointId('shop', pseudonymOf('shop:ORD-Q-7771'), 'pseudonymized')).toBe(
      'ORD-Q-7771',
    );
    expect(openTouchpointId('crm', pseudonymOf('shop:ORD-Q-7771'), 'pseudonymized')).toBeNull();
    expect(() => openTouchpointId('shop', 'ORD-Q-7771', 'pseudonymized')).toThrow(
      /by the id shown in its timeline/,
    );
    expect(openTouchpointId('shop', 'ORD-Q-7771', 'full')).toBe('ORD-Q-7771');
  });
});

const ref = {
  email: 'zofia@quendrixhaus.de',
  phone: '0151 98765432',
  firstName: 'Zofia',
  lastName: 'Quendrix',
  company: 'Wolkenkratzer',
  birthDate: '1977-08-19',
  customerNumber: 'KQ-246813',
  externalId: 'ext-qq-5551',
  address: { street: 'Xylophonweg 77', postalCode: '97531', city: 'Würzburg', country: 'DE' },
};
const stored = (type: string, id: string, data: Record<string, unknown>) =>
  ({
    source: 'crm',
    id,
    key: `crm:${id}`,
    type,
    occurredAt: '2026-01-01T00:00:00Z',
    customer: ref,
    data,
    customerId: 'c1',
    identityKeys: ['email:zofia@quendrixhaus.de', 'cnum:KQ246813'],
    channel: 'phone',
    direction: 'inbound',
    indexedAt: '2026-01-01T00:00:01Z',
  }) as unknown as StoredTouchpoint;

describe('pseudonymized touchpoints', () => {
  const touchpoints = [
    stored('profile', 'P-Zofia', { segment: 'Gold', favouriteColour: 'Ultramarin' }),
    stored('order', 'ORD-Q-7771', {
      orderNumber: 'ORD-Q-7771',
      total: 321,
      currency: 'EUR',
      items: [{ sku: 'S1', name: 'Kaffeemaschine', quantity: 1, engraving: 'Für Zofia' }],
      shipping: { carrier: 'DHL', trackingNumber: 'JJD0099887766', recipient: 'Quendrix' },
      secretPin: 864209,
    }),
    stored('ticket', 'TKT-Q-9021', {
      ticketNumber: 'TKT-Q-9021',
      subject: 'Zylinderkopf',
      description: 'Bellofantino bellt',
      status: 'open',
      priority: 'high',
    }),
    stored('email', 'M1', {
      direction: 'inbound',
      subject: 'Zylinderkopf',
      snippet: 'Grüße, Zofia',
    }),
    stored('call', 'C1', {
      direction: 'inbound',
      durationSec: 60,
      reason: 'Zylinderkopf',
      outcome: 'Bellofantino',
      agent: 'Hollerbusch',
    }),
    stored('note', 'N1', { text: 'Bellofantino', author: 'Hollerbusch', pinned: true }),
    stored('survey', 'S1', { kind: 'nps', score: 3, comment: 'Waschbär' }),
    stored('appointment', 'A1', {
      startsAt: '2026-02-01T00:00:00Z',
      subject: 'Bei Quendrix',
      status: 'booked',
    }),
    stored('contract', 'VTR-Q-3131', {
      contractNumber: 'VTR-Q-3131',
      product: 'Strom',
      status: 'active',
    }),
  ];

  it('hold no personal value: customer, ids, keys, identity keys, free text and unknown data fields', () => {
    for (const tp of touchpoints)
      expect(leaks(maskTouchpoint(tp, 'pseudonymized')), tp.type).toEqual([]);
  });

  it('keep the facts of every type and hide every field not known to be free of personal data', () => {
    const [profile, order, ticket, , call, note, survey, appointment, contract] = touchpoints.map(
      (tp) => maskTouchpoint(tp, 'pseudonymized'),
    );
    expect(profile.data).toEqual({ segment: 'Gold', favouriteColour: '[hidden: 10 characters]' });
    expect(order.data).toMatchObject({
      orderNumber: '[hidden: 10 characters]',
      total: 321,
      currency: 'EUR',
      secretPin: '[hidden]',
      shipping: { carrier: 'DHL', trackingNumber: '***', recipient: '[hidden: 8 characters]' },
    });
    expect((order.data.items as Record<string, unknown>[])[0]).toMatchObject({
      sku: 'S1',
      name: 'Kaffeemaschine',
      engraving: '[hidden: 9 characters]',
    });
    expect(ticket.data).toMatchObject({
      status: 'open',
      priority: 'high',
      subject: '[hidden: 12 characters]',
    });
    expect(call.data).toMatchObject({
      direction: 'inbound',
      durationSec: 60,
      reason: '[hidden: 12 characters]',
      agent: '[hidden: 11 characters]',
    });
    expect(note.data).toMatchObject({ pinned: true, text: '[hidden: 12 characters]' });
    expect(survey.data).toMatchObject({ kind: 'nps', score: 3 });
    expect(appointment.data).toMatchObject({ startsAt: '2026-02-01T00:00:00Z', status: 'booked' });
    expect(contract.data).toMatchObject({
      product: 'Strom',
      status: 'active',
      contractNumber: '[hidden: 10 characters]',
    });
    expect(order).toMatchObject({
      source: 'crm',
      id: pseudonymOf('crm:ORD-Q-7771'),
      key: pseudonymizeKey('crm:ORD-Q-7771'),
      identityKeys: [],
      customerId: 'c1',
      channel: 'phone',
    });
    expect(order.customer).toEqual({
      email: 'z***@***',
      phone: '***',
      firstName: 'Z.',
      lastName: 'Q.',
      company: 'W.',
      birthDate: null,
      customerNumber: '***',
      externalId: '***',
      address: { street: '***', postalCode: '97***', city: 'Würzburg', country: 'DE' },
    });
  });

  it('are left whole for roles that see the customer', () => {
    expect(maskTouchpoint(touchpoints[1], 'full')).toBe(touchpoints[1]);
  });

  it('seal the timeline cursor, which holds the last key, and open only sealed cursors or timestamps', () => {
    const cursor = Buffer.from(JSON.stringify([1767225600000, 'crm:TKT-Q-9021'])).toString(
      'base64url',
    );
    const page = maskTimelineAnswer({ items: touchpoints, next: cursor }, 'pseudonymized');
    expect(leaks(page)).toEqual([]);
    expect(page.next).not.toBe(cursor);
    expect(openTimelineCursor(page.next, 'pseudonymized')).toBe(cursor);
    expect(() => openTimelineCursor(cursor, 'pseudonymized')).toThrow(/before must be/);
    expect(() => openTimelineCursor(`${page.next}x`, 'pseudonymized')).toThrow(/before must be/);
    expect(openTimelineCursor('2026-01-01T00:00:00Z', 'pseudonymized')).toBe(
      '2026-01-01T00:00:00Z',
    );
    expect(openTimelineCursor(cursor, 'full')).toBe(cursor);
  });
});

describe('pseudonymized lists and aggregates', () => {
  it('search answers: items masked, highlights emptied, facets only of shown fields', () => {
    const answer = {
      total: 1,
      tookMs: 1,
      items: [
        {
          id: 'c1',
          name: 'Zofia Quendrix',
          email: 'zofia@quendrixhaus.de',
          phone: '+4915198765432',
          city: 'Würzburg',
          customerNumber: 'KQ-246813',
          segment: 'Gold',
          score: 1,
          highlight: { name: ['<mark>zofia</mark> quendrix'] },
        },
      ],
      facets: {
        city: [{ value: 'Würzburg', count: 1 }],
        postalCode: [{ value: '97531', count: 1 }],
        company: [{ value: 'Wolkenkratzer', count: 1 }],
      },
    };
    const masked = maskSearchAnswer(answer, 'pseudonymized');
    expect(leaks(masked)).toEqual([]);
    expect(masked.items[0]).toEqual({
      id: 'c1',
      name: 'Z. Q.',
      email: 'z***@***',
      phone: '***',
      city: 'Würzburg',
      customerNumber: '***',
      segment: 'Gold',
      score: 1,
      highlight: {},
    });
    expect(Object.keys(masked.facets)).toEqual(['city']);
    // Agents' lists stay as they were: the domain confirms a caller.
    expect(maskSearchAnswer(answer, 'minimal').items[0]).toMatchObject({
      name: 'Zofia Quendrix',
      email: 'z***@quendrixhaus.de',
      phone: '***5432',
      customerNumber: 'KQ-246813',
    });
  });

  it('analytics answers: rows masked, unknown columns hidden, bucket keys of masked fields coarsened', () => {
    const request = {
      aggs: {
        pc: { type: 'terms', field: 'address.postalCode' },
        born: { type: 'dateHistogram', field: 'birthDate', interval: 'day' },
        seg: { type: 'terms', field: 'segment', aggs: { co: { type: 'terms', field: 'company' } } },
        b: { type: 'stats', field: 'birthDate' },
      },
    } as unknown as AnalyticsQuery;
    const answer = {
      total: 1,
      tookMs: 1,
      aggs: {
        pc: { type: 'buckets', buckets: [{ key: '97531', label: '97531', count: 1 }] },
        born: {
          type: 'buckets',
          buckets: [{ key: 240796800000, label: '1977-08-19T00:00:00.000Z', count: 1 }],
        },
        seg: {
          type: 'buckets',
          buckets: [
            {
              key: 'Gold',
              label: 'Gold',
              count: 1,
              aggs: {
                co: {
                  type: 'buckets',
                  buckets: [{ key: 'Wolkenkratzer', label: 'Wolkenkratzer', count: 1 }],
                },
              },
            },
          ],
        },
        b: {
          type: 'stats',
          count: 1,
          min: 240796800000,
          max: 240796800000,
          avg: 240796800000,
          sum: 240796800000,
        },
      },
      items: [
        {
          id: 'c1',
          name: 'Zofia Quendrix',
          company: 'Wolkenkratzer',
          'address.city': 'Würzburg',
          someNewColumn: 'Xylophonweg 77',
        },
      ],
    } as unknown as AnalyticsAnswer;
    const masked = maskAnalyticsAnswer(answer, 'pseudonymized', request);
    expect(leaks(masked)).toEqual([]);
    expect(JSON.stringify(masked)).not.toContain('240796800000');
    expect(masked.aggs.pc).toEqual({
      type: 'buckets',
      buckets: [{ key: '97***', label: '97***', count: 1 }],
    });
    expect(masked.items?.[0]).toEqual({
      id: 'c1',
      name: 'Z. Q.',
      company: 'W.',
      'address.city': 'Würzburg',
      someNewColumn: '***',
    });
    expect(maskAnalyticsAnswer(answer, 'full', request)).toBe(answer);
  });

  it('migration customers and viewers', () => {
    expect(
      maskMigrationCustomers(
        { items: [{ id: 'c1', name: 'Zofia Quendrix', segment: 'Gold' }], more: false },
        'pseudonymized',
      ),
    ).toEqual({ items: [{ id: 'c1', name: 'Z. Q.', segment: 'Gold' }], more: false });
    const viewers = [
      { actor: 'hollerbusch', role: 'agent', action: 'view', at: '2026-01-01T00:00:00Z' },
    ];
    expect(maskViewers(viewers, 'pseudonymized')).toEqual([
      { actor: '***', role: 'agent', action: 'view', at: '2026-01-01T00:00:00Z' },
    ]);
    expect(maskViewers(viewers, 'full')).toBe(viewers);
  });
});

describe('touchpoint pseudonyms of an installation', () => {
  it('open on any process that shares the installation secret, and on no other', async () => {
    const { usePseudonymSecret, pseudonymOf, keyOfPseudonym } =
      await import('../../server/src/privacy/masking');
    usePseudonymSecret('installation-secret-a');
    const pseudonym = pseudonymOf('shop:A-100234');
    // Another process (or a restart) derives the same keys from the same secret.
    usePseudonymSecret('installation-secret-a');
    expect(keyOfPseudonym(pseudonym)).toBe('shop:A-100234');
    expect(pseudonymOf('shop:A-100234')).toBe(pseudonym);
    usePseudonymSecret('installation-secret-b');
    expect(keyOfPseudonym(pseudonym)).toBeNull();
  });
});
