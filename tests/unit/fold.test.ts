import { describe, expect, it } from 'vitest';
import type { StoredTouchpoint, Touchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../domain/src/identity-keys';
import { hasMarketingConsent, marketingConsentQuery } from '../../domain/src/marketing-consent';
import type { CustomerDocument } from '../../domain/src/profile';

const asOf = new Date('2026-10-02T12:00:00Z');

type TouchpointInput = Partial<Omit<Touchpoint, 'customer'>> & {
  id: string;
  type: Touchpoint['type'];
  occurredAt: string;
  customer?: Touchpoint['customer'];
};

function tp(input: TouchpointInput): StoredTouchpoint {
  const source = input.source ?? 'shop';
  const touchpoint: Touchpoint = {
    source,
    data: {},
    customer: { customerNumber: 'K-1' },
    ...input,
  };
  return {
    ...touchpoint,
    key: `${source}:${input.id}`,
    customerId: 'c-1',
    identityKeys: identityKeys(touchpoint),
    channel: touchpointChannel(touchpoint),
    direction: touchpointDirection(touchpoint),
    indexedAt: '2026-10-02T12:00:00Z',
  };
}

function foldAll(touchpoints: StoredTouchpoint[], at: Date = asOf): CustomerDocument {
  const doc = fold('c-1', touchpoints, { asOf: at });
  if (!doc) throw new Error('expected a profile');
  return doc;
}

function order(
  id: string,
  occurredAt: string,
  data: Record<string, unknown>,
  source = 'shop',
): StoredTouchpoint {
  return tp({
    id,
    source,
    type: 'order',
    occurredAt,
    data: { orderNumber: id, currency: 'EUR', ...data },
  });
}

function ticket(id: string, occurredAt: string, data: Record<string, unknown>): StoredTouchpoint {
  return tp({
    id,
    source: 'helpdesk',
    type: 'ticket',
    occurredAt,
    data: { subject: 'Paket fehlt', ...data },
  });
}

/** A customer seen in many systems, used where the fold as a whole matters. */
function richHistory(): StoredTouchpoint[] {
  return [
    tp({
      id: 'crm-1',
      source: 'crm',
      type: 'profile',
      occurredAt: '2025-01-01T00:00:00Z',
      customer: {
        customerNumber: 'K-102934',
        email: 'Anna.Schmidt@Example.de',
        phone: '0170 1234567',
        firstName: 'anna',
        lastName: 'SCHMIDT',
        address: {
          street: 'Lindenstr. 4',
          postalCode: '80331',
          city: 'München',
          country: 'Deutschland',
        },
      },
      data: { segment: 'gold', status: 'active', language: 'de', tags: ['vip'] },
    }),
    order('A-1', '2026-01-10T10:00:00Z', {
      total: 100,
      channel: 'web',
      items: [{ sku: 'SKU-1', name: 'Kaffeemühle', category: 'Küche' }],
    }),
    order('A-2', '2026-02-10T10:00:00Z', { total: 50.5, channel: 'store', status: 'returned' }),
    order('A-3', '2026-03-10T10:00:00Z', { total: 20, channel: 'web', status: 'cancelled' }),
    order('A-4', '2026-04-10T10:00:00Z', {
      total: 30.25,
      channel: 'web',
      shipping: { carrier: 'DHL', trackingNumber: '1z999aa10123456784', status: 'delivered' },
    }),
    ticket('T-1a', '2026-05-01T10:00:00Z', {
      ticketNumber: 'TCK-5512',
      status: 'open',
      channel: 'email',
      complaint: true,
    }),
    ticket('T-1b', '2026-05-03T10:00:00Z', { ticketNumber: 'TCK-5512', status: 'solved' }),
    ticket('T-2a', '2026-06-01T10:00:00Z', {
      ticketNumber: 'TCK-6000',
      subject: 'Rechnung falsch',
      status: 'pending',
    }),
    tp({
      id: 'M-1',
      source: 'mail',
      type: 'email',
      occurredAt: '2026-06-02T10:00:00Z',
      data: { direction: 'inbound' },
    }),
    tp({
      id: 'C-1',
      source: 'pbx',
      type: 'call',
      occurredAt: '2026-06-03T10:00:00Z',
      data: { direction: 'outbound' },
    }),
    tp({
      id: 'N-1',
      source: 'crm',
      type: 'note',
      occurredAt: '2026-06-04T10:00:00Z',
      data: { text: 'Allergie', pinned: true },
    }),
    tp({
      id: 'V-1',
      source: 'billing',
      type: 'contract',
      occurredAt: '2026-01-01T00:00:00Z',
      data: {
        contractNumber: 'V-77',
        product: 'Strom Plus',
        status: 'active',
        endDate: '2027-01-31',
        monthlyFee: 49.9,
      },
    }),
    tp({
      id: 'S-1',
      source: 'survey',
      type: 'survey',
      occurredAt: '2026-07-01T10:00:00Z',
      data: { kind: 'nps', score: 9 },
    }),
    tp({
      id: 'W-1',
      source: 'web',
      type: 'web_session',
      occurredAt: '2026-07-02T10:00:00Z',
      data: { pages: 3 },
    }),
    tp({
      id: 'Q-1',
      source: 'crm',
      type: 'consent',
      occurredAt: '2026-01-01T00:00:00Z',
      data: { channel: 'email', granted: true, purpose: 'marketing' },
    }),
    tp({
      id: 'R-1',
      source: 'mailer',
      type: 'campaign_response',
      occurredAt: '2026-08-01T10:00:00Z',
      data: { campaignId: 'X', action: 'opened' },
    }),
    tp({
      id: 'P-1',
      source: 'cal',
      type: 'appointment',
      occurredAt: '2026-08-02T10:00:00Z',
      data: { startsAt: '2026-11-01T10:00:00Z' },
    }),
  ];
}

/** A deterministic shuffle, so a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

describe('fold', () => {
  it('when the same touchpoints arrive in another order, the profile is the same', () => {
    const history = richHistory();
    const expected = foldAll(history);
    for (const seed of [1, 2, 3, 42, 1234])
      expect(foldAll(shuffled(history, seed))).toEqual(expected);
    expect(foldAll([...history].reverse())).toEqual(expected);
  });

  it('a deleted touchpoint contributes nothing', () => {
    const history = richHistory();
    const deletedOrder = order(
      'A-9',
      '2026-09-01T10:00:00Z',
      { total: 1000, channel: 'app' },
      'legacy',
    );
    const withDeleted = foldAll([...history, { ...deletedOrder, deleted: true }]);
    expect(withDeleted).toEqual(foldAll(history));
  });

  it('a deletion of a record removes what it contributed', () => {
    const live = order('A-9', '2026-09-01T10:00:00Z', { total: 1000 });
    const deletion = { ...live, occurredAt: '2026-09-02T10:00:00Z', deleted: true };
    const doc = foldAll([order('A-1', '2026-01-01T10:00:00Z', { total: 10 }), live, deletion]);
    expect(doc.kpis.orderCount).toBe(1);
    expect(doc.kpis.lifetimeValue).toBe(10);
  });

  it('when no live touchpoint is left, there is no profile', () => {
    const only = { ...order('A-1', '2026-01-01T10:00:00Z', { total: 10 }), deleted: true };
    expect(fold('c-1', [only], { asOf })).toBeNull();
    expect(fold('c-1', [], { asOf })).toBeNull();
  });

  it('touchpoints after asOf do not count yet', () => {
    const doc = foldAll([
      order('A-1', '2026-01-01T10:00:00Z', { total: 10 }),
      order('A-2', '2026-12-01T10:00:00Z', { total: 99 }),
    ]);
    expect(doc.kpis.orderCount).toBe(1);
    expect(doc.kpis.touchpointCount).toBe(1);
    expect(doc.updatedAt).toBe(asOf.toISOString());
  });

  it('when a record repeats, the higher version counts once', () => {
    const v2 = { ...order('A-1', '2026-01-01T10:00:00Z', { total: 20 }), version: 2 };
    const v1 = { ...order('A-1', '2026-02-01T10:00:00Z', { total: 10 }), version: 1 };
    const doc = foldAll([v2, v1]);
    expect(doc.kpis.orderCount).toBe(1);
    expect(doc.kpis.lifetimeValue).toBe(20);
  });

  it('the most recent non-empty master data wins and names are capitalized', () => {
    const doc = foldAll([
      tp({
        id: '1',
        type: 'profile',
        occurredAt: '2026-01-01T00:00:00Z',
        customer: {
          customerNumber: 'K-1',
          firstName: 'ANNA',
          lastName: 'müller',
          company: 'ACME GmbH',
        },
      }),
      tp({
        id: '2',
        type: 'profile',
        occurredAt: '2026-02-01T00:00:00Z',
        customer: { customerNumber: 'K-1', firstName: 'anne', lastName: '  ' },
      }),
      tp({
        id: '3',
        type: 'profile',
        occurredAt: '2026-03-01T00:00:00Z',
        customer: { customerNumber: 'K-1' },
        data: { segment: 'silver' },
      }),
    ]);
    expect(doc.firstName).toBe('Anne');
    expect(doc.lastName).toBe('Müller');
    expect(doc.name).toBe('Anne Müller');
    expect(doc.company).toBe('ACME GmbH');
    expect(doc.segment).toBe('silver');
  });

  it('without a person name, the company and then the email name the customer', () => {
    const withCompany = foldAll([
      tp({
        id: '1',
        type: 'profile',
        occurredAt: '2026-01-01T00:00:00Z',
        customer: { email: 'a@b.de', company: 'ACME' },
      }),
    ]);
    expect(withCompany.name).toBe('ACME');
    const withEmail = foldAll([
      tp({
        id: '1',
        type: 'profile',
        occurredAt: '2026-01-01T00:00:00Z',
        customer: { email: 'A@B.de' },
      }),
    ]);
    expect(withEmail.name).toBe('a@b.de');
  });

  it('the address is taken whole from the most recent touchpoint that has one', () => {
    const doc = foldAll([
      tp({
        id: '1',
        type: 'profile',
        occurredAt: '2026-01-01T00:00:00Z',
        customer: {
          customerNumber: 'K-1',
          address: { street: 'Alte Str. 1', city: 'Berlin', country: 'Germany' },
        },
      }),
      tp({
        id: '2',
        type: 'profile',
        source: 'crm',
        occurredAt: '2026-02-01T00:00:00Z',
        customer: { customerNumber: 'K-1', address: { city: 'Wien', country: 'Österreich' } },
      }),
    ]);
    expect(doc.address).toEqual({
      street: null,
      postalCode: null,
      city: 'Wien',
      country: 'AT',
      source: 'crm',
    });
    expect(doc.search.cities).toEqual(['berlin', 'wien']);
  });

  it('an email the same source replaced later is former, an invalid one is kept and flagged', () => {
    const doc = foldAll([
      order('A-1', '2026-01-01T10:00:00Z', { total: 1 }),
      tp({
        id: 'A-1x',
        type: 'order',
        occurredAt: '2026-01-01T10:00:00Z',
        customer: { email: 'Old@Example.de' },
        data: { orderNumber: 'A-1x', total: 1, currency: 'EUR' },
      }),
      tp({
        id: 'A-2',
        type: 'order',
        occurredAt: '2026-02-01T10:00:00Z',
        customer: { email: 'new@example.de' },
        data: { orderNumber: 'A-2', total: 1, currency: 'EUR' },
      }),
      tp({
        id: 'A-3',
        type: 'order',
        occurredAt: '2026-03-01T10:00:00Z',
        customer: { email: 'kaputt' },
        data: { orderNumber: 'A-3', total: 1, currency: 'EUR' },
      }),
      tp({
        id: 'X-1',
        source: 'crm',
        type: 'profile',
        occurredAt: '2026-01-15T10:00:00Z',
        customer: { email: 'other@example.de' },
      }),
    ]);
    const byValue = Object.fromEntries(doc.emails.map((e) => [e.value, e]));
    expect(byValue['old@example.de']).toMatchObject({
      current: false,
      valid: true,
      original: 'Old@Example.de',
      seenIn: ['shop:A-1x'],
    });
    expect(byValue['new@example.de']).toMatchObject({ current: true, valid: true });
    expect(byValue['other@example.de']).toMatchObject({ current: true, valid: true });
    expect(byValue['kaputt']).toMatchObject({ valid: false });
    expect(doc.emails[0].value).toBe('new@example.de');
  });

  it('every writing of one phone is one phone', () => {
    const writings = ['+49 170 1234567', '0049-170-1234567', '0170 1234567', '(0170) 123 45 67'];
    const doc = foldAll(
      writings.map((phone, i) =>
        tp({
          id: `P-${i}`,
          type: 'profile',
          occurredAt: `2026-0${i + 1}-01T00:00:00Z`,
          customer: { phone },
        }),
      ),
    );
    expect(doc.phones).toHaveLength(1);
    expect(doc.phones[0]).toMatchObject({
      value: '+491701234567',
      original: '(0170) 123 45 67',
      current: true,
      valid: true,
    });
    expect(doc.search.phones).toEqual(['+491701234567']);
    expect(doc.search.phoneSuffixes).toContain('1234567');
  });

  it('order KPIs leave out cancelled orders and value only what was kept', () => {
    const doc = foldAll(richHistory());
    expect(doc.kpis.orderCount).toBe(3);
    expect(doc.kpis.returnCount).toBe(1);
    // A-1 (100) + A-4 (30.25); A-2 was returned, A-3 cancelled.
    expect(doc.kpis.lifetimeValue).toBe(130.25);
    expect(doc.kpis.averageOrderValue).toBe(65.13);
    expect(doc.kpis.currency).toBe('EUR');
    expect(doc.kpis.firstOrderAt).toBe('2026-01-10T10:00:00.000Z');
    expect(doc.kpis.lastOrderAt).toBe('2026-04-10T10:00:00.000Z');
    expect(doc.preferredSalesChannel).toBe('web');
    expect(doc.products).toEqual(['Kaffeemühle', 'SKU-1', 'Strom Plus']);
    expect(doc.categories).toEqual(['Küche']);
  });

  it('recent orders are the last five, newest first, with shipping', () => {
    const orders = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      order(`A-${n}`, `2026-0${n}-01T10:00:00Z`, { total: n }),
    );
    const doc = foldAll(orders);
    expect(doc.recentOrders.map((o) => o.orderNumber)).toEqual(['A-7', 'A-6', 'A-5', 'A-4', 'A-3']);
    const shipped = foldAll(richHistory()).recentOrders[0];
    expect(shipped.shipping).toEqual({
      carrier: 'DHL',
      trackingNumber: '1z999aa10123456784',
      status: 'delivered',
    });
  });

  it('open tickets counts only the latest state of each ticket', () => {
    const doc = foldAll(richHistory());
    expect(doc.kpis.openTickets).toBe(1);
    expect(doc.openTickets.map((t) => [t.ticketNumber, t.status])).toEqual([
      ['TCK-6000', 'pending'],
    ]);
  });

  it('a ticket reopened after being solved is open again', () => {
    const doc = foldAll([
      ticket('T-1', '2026-05-01T10:00:00Z', { ticketNumber: 'TCK-1', status: 'solved' }),
      ticket('T-2', '2026-05-02T10:00:00Z', { ticketNumber: 'TCK-1', status: 'open' }),
    ]);
    expect(doc.openTickets).toHaveLength(1);
    expect(doc.openTickets[0]).toMatchObject({
      openedAt: '2026-05-01T10:00:00.000Z',
      updatedAt: '2026-05-02T10:00:00.000Z',
    });
  });

  it('complaints count when the ticket was opened in the 12 months before asOf', () => {
    const doc = foldAll([
      ticket('T-old', '2025-09-01T10:00:00Z', {
        ticketNumber: 'TCK-OLD',
        status: 'closed',
        complaint: true,
      }),
      ticket('T-new', '2026-09-01T10:00:00Z', {
        ticketNumber: 'TCK-NEW',
        status: 'closed',
        complaint: true,
      }),
      ticket('T-no', '2026-09-01T10:00:00Z', { ticketNumber: 'TCK-NO', status: 'closed' }),
    ]);
    expect(doc.kpis.complaints12m).toBe(1);
  });

  it('contracts: the latest state counts, with revenue, next end and cancellations', () => {
    const contract = (
      id: string,
      occurredAt: string,
      data: Record<string, unknown>,
    ): StoredTouchpoint =>
      tp({
        id,
        source: 'billing',
        type: 'contract',
        occurredAt,
        data: { product: 'Strom', ...data },
      });
    const doc = foldAll([
      contract('1', '2025-01-01T00:00:00Z', {
        contractNumber: 'V-1',
        status: 'active',
        endDate: '2027-06-30',
        monthlyFee: 30,
      }),
      contract('2', '2025-01-01T00:00:00Z', {
        contractNumber: 'V-2',
        status: 'active',
        endDate: '2026-12-31',
        monthlyFee: 10.1,
      }),
      contract('3', '2025-01-01T00:00:00Z', {
        contractNumber: 'V-3',
        status: 'active',
        monthlyFee: 99,
      }),
      contract('4', '2026-03-01T00:00:00Z', {
        contractNumber: 'V-3',
        status: 'cancelled',
        monthlyFee: 99,
      }),
      contract('5', '2025-01-01T00:00:00Z', {
        contractNumber: 'V-4',
        status: 'active',
        endDate: '2026-10-01',
        monthlyFee: 1,
      }),
    ]);
    expect(doc.kpis.activeContracts).toBe(3);
    expect(doc.kpis.monthlyRevenue).toBe(41.1);
    // V-4 ended the day before asOf although its record still says active.
    expect(doc.kpis.nextContractEnd).toBe('2026-12-31');
    expect(doc.kpis.cancellations12m).toBe(1);
    expect(doc.contracts.map((c) => [c.contractNumber, c.status])).toEqual([
      ['V-1', 'active'],
      ['V-2', 'active'],
      ['V-4', 'active'],
      ['V-3', 'cancelled'],
    ]);
    expect(doc.search.numbers).toEqual(expect.arrayContaining(['V1', 'V2', 'V3', 'V4']));
  });

  it('consent withdrawn by an unsubscribe', () => {
    const doc = foldAll(
      richHistory().concat(
        tp({
          id: 'R-2',
          source: 'mailer',
          type: 'campaign_response',
          occurredAt: '2026-09-01T10:00:00Z',
          data: { campaignId: 'X', action: 'unsubscribed' },
        }),
      ),
    );
    expect(doc.consents).toEqual([
      {
        channel: 'email',
        purpose: 'marketing',
        granted: false,
        since: '2026-09-01T10:00:00.000Z',
        source: 'mailer',
      },
    ]);
    expect(doc.campaigns).toEqual({ opened: 1, unsubscribed: 1 });
  });

  it('a consent given after an unsubscribe grants again', () => {
    const doc = foldAll([
      tp({
        id: 'R-1',
        source: 'mailer',
        type: 'campaign_response',
        occurredAt: '2026-01-01T10:00:00Z',
        data: { campaignId: 'X', channel: 'sms', action: 'unsubscribed' },
      }),
      tp({
        id: 'Q-1',
        source: 'crm',
        type: 'consent',
        occurredAt: '2026-02-01T10:00:00Z',
        data: { channel: 'sms', granted: true, purpose: 'marketing' },
      }),
      tp({
        id: 'R-2',
        source: 'mailer',
        type: 'campaign_response',
        occurredAt: '2026-03-01T10:00:00Z',
        data: { campaignId: 'Y', channel: 'push', action: 'unsubscribed' },
      }),
    ]);
    expect(doc.consents).toEqual([
      {
        channel: 'sms',
        purpose: 'marketing',
        granted: true,
        since: '2026-02-01T10:00:00.000Z',
        source: 'crm',
      },
    ]);
  });

  describe('an unsubscribe withdraws marketing on its channel', () => {
    const consent = (
      id: string,
      occurredAt: string,
      data: Record<string, unknown>,
    ): StoredTouchpoint => tp({ id, source: 'crm', type: 'consent', occurredAt, data });
    const unsubscribe = (id: string, occurredAt: string, channel?: string): StoredTouchpoint =>
      tp({
        id,
        source: 'mailer',
        type: 'campaign_response',
        occurredAt,
        data: { campaignId: 'NL', action: 'unsubscribed', ...(channel ? { channel } : {}) },
      });
    /** What the segment and export filters see: the same terms query as marketingConsentQuery, applied to consentGranted. */
    const filterAdmits = (doc: CustomerDocument, channel: string) =>
      marketingConsentQuery(channel).terms.consentGranted.some((term) =>
        (doc.consentGranted ?? []).includes(term),
      );
    const state = (doc: CustomerDocument) =>
      doc.consents.map((c) => [c.channel, c.purpose, c.granted, c.since, c.source]);

    it('a newsletter grant followed by an unsubscribe is not consenting, and the panel shows both withdrawn', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'newsletter',
        }),
        unsubscribe('R-1', '2026-03-01T00:00:00Z'),
      ]);
      expect(state(doc)).toEqual([
        ['email', 'marketing', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'newsletter', false, '2026-03-01T00:00:00.000Z', 'mailer'],
      ]);
      expect(doc.consentGranted).toEqual([]);
      expect(hasMarketingConsent(doc, 'email')).toBe(false);
      expect(filterAdmits(doc, 'email')).toBe(false);
    });

    it('every marketing purpose on the channel is withdrawn, in any writing; other purposes are left alone', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'Newsletter',
        }),
        consent('Q-2', '2026-01-02T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'advertising',
        }),
        consent('Q-3', '2026-01-03T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'service',
        }),
        consent('Q-4', '2026-01-04T00:00:00Z', { channel: 'email', granted: true }),
        unsubscribe('R-1', '2026-03-01T00:00:00Z', 'email'),
      ]);
      expect(state(doc)).toEqual([
        ['email', null, true, '2026-01-04T00:00:00.000Z', 'crm'],
        ['email', 'advertising', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'marketing', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'Newsletter', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'service', true, '2026-01-03T00:00:00.000Z', 'crm'],
      ]);
      expect(doc.consentGranted).toEqual(['email', 'email:service']);
      expect(filterAdmits(doc, 'email')).toBe(false);
    });

    it('an unsubscribe followed by a grant is consenting again for the purpose granted', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'advertising',
        }),
        unsubscribe('R-1', '2026-03-01T00:00:00Z'),
        consent('Q-2', '2026-04-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'newsletter',
        }),
      ]);
      expect(state(doc)).toEqual([
        ['email', 'advertising', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'marketing', false, '2026-03-01T00:00:00.000Z', 'mailer'],
        ['email', 'newsletter', true, '2026-04-01T00:00:00.000Z', 'crm'],
      ]);
      expect(hasMarketingConsent(doc, 'email')).toBe(true);
      expect(filterAdmits(doc, 'email')).toBe(true);
    });

    it('a withdrawal on email leaves sms alone', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'newsletter',
        }),
        consent('Q-2', '2026-01-01T00:00:00Z', {
          channel: 'sms',
          granted: true,
          purpose: 'newsletter',
        }),
        unsubscribe('R-1', '2026-03-01T00:00:00Z', 'email'),
      ]);
      expect(filterAdmits(doc, 'email')).toBe(false);
      expect(filterAdmits(doc, 'sms')).toBe(true);
      expect(hasMarketingConsent(doc, 'sms')).toBe(true);
      expect(doc.consentGranted).toEqual(['sms', 'sms:newsletter']);
    });

    it('a consent withdrawing the generic purpose marketing withdraws every marketing purpose of its channel too', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'sms',
          granted: true,
          purpose: 'promotions',
        }),
        consent('Q-2', '2026-02-01T00:00:00Z', {
          channel: 'sms',
          granted: false,
          purpose: 'marketing',
        }),
      ]);
      expect(state(doc)).toEqual([
        ['sms', 'marketing', false, '2026-02-01T00:00:00.000Z', 'crm'],
        ['sms', 'promotions', false, '2026-02-01T00:00:00.000Z', 'crm'],
      ]);
      expect(filterAdmits(doc, 'sms')).toBe(false);
    });

    it('a withdrawal of one specific purpose leaves the grant of another standing', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'newsletter',
        }),
        consent('Q-2', '2026-02-01T00:00:00Z', {
          channel: 'email',
          granted: false,
          purpose: 'advertising',
        }),
      ]);
      expect(state(doc)).toEqual([
        ['email', 'advertising', false, '2026-02-01T00:00:00.000Z', 'crm'],
        ['email', 'newsletter', true, '2026-01-01T00:00:00.000Z', 'crm'],
      ]);
      expect(hasMarketingConsent(doc, 'email')).toBe(true);
      expect(filterAdmits(doc, 'email')).toBe(true);
    });

    it('a grant written "Newsletter" is consenting: consentGranted is lower-cased, the panel shows the purpose as written', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'Newsletter',
        }),
      ]);
      expect(state(doc)).toEqual([
        ['email', 'Newsletter', true, '2026-01-01T00:00:00.000Z', 'crm'],
      ]);
      expect(doc.consentGranted).toEqual(['email', 'email:newsletter']);
      expect(hasMarketingConsent(doc, 'email')).toBe(true);
      expect(filterAdmits(doc, 'email')).toBe(true);
    });

    it('one purpose in two writings is one consent: a later withdrawal in another writing withdraws it', () => {
      const doc = foldAll([
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'Newsletter',
        }),
        consent('Q-2', '2026-02-01T00:00:00Z', {
          channel: 'email',
          granted: false,
          purpose: 'NEWSLETTER',
        }),
        consent('Q-3', '2026-01-15T00:00:00Z', {
          channel: 'sms',
          granted: true,
          purpose: 'Service',
        }),
      ]);
      expect(state(doc)).toEqual([
        ['email', 'NEWSLETTER', false, '2026-02-01T00:00:00.000Z', 'crm'],
        ['sms', 'Service', true, '2026-01-15T00:00:00.000Z', 'crm'],
      ]);
      expect(doc.consentGranted).toEqual(['sms', 'sms:service']);
      expect(hasMarketingConsent(doc, 'email')).toBe(false);
      expect(filterAdmits(doc, 'email')).toBe(false);
    });

    it('does not depend on the order the touchpoints arrive in', () => {
      const touchpoints = [
        consent('Q-1', '2026-01-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'newsletter',
        }),
        unsubscribe('R-1', '2026-03-01T00:00:00Z'),
        consent('Q-2', '2026-03-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'advertising',
        }),
        consent('Q-3', '2026-05-01T00:00:00Z', {
          channel: 'email',
          granted: true,
          purpose: 'promotions',
        }),
      ];
      const expected = foldAll(touchpoints);
      expect(foldAll([...touchpoints].reverse()).consents).toEqual(expected.consents);
      expect(
        foldAll([touchpoints[2], touchpoints[0], touchpoints[3], touchpoints[1]]).consentGranted,
      ).toEqual(expected.consentGranted);
    });
  });

  it('the latest survey answers are the NPS and CSAT shown', () => {
    const survey = (
      id: string,
      occurredAt: string,
      data: Record<string, unknown>,
    ): StoredTouchpoint => tp({ id, source: 'survey', type: 'survey', occurredAt, data });
    const doc = foldAll([
      survey('1', '2026-01-01T00:00:00Z', { kind: 'nps', score: 3, comment: 'zu teuer' }),
      survey('2', '2026-02-01T00:00:00Z', { kind: 'nps', score: 10 }),
      survey('3', '2026-01-15T00:00:00Z', { kind: 'csat', score: 4 }),
    ]);
    expect(doc.kpis.lastNps).toBe(10);
    expect(doc.kpis.lastNpsComment).toBeNull();
    expect(doc.kpis.lastCsat).toBe(4);
  });

  it('contacts count per channel and direction, a ticket once however often it changes', () => {
    const doc = foldAll(richHistory());
    expect(doc.contacts).toEqual({ 'email:inbound': 2, 'phone:outbound': 1, 'unknown:inbound': 1 });
    expect(doc.kpis.lastContactAt).toBe('2026-08-02T10:00:00.000Z');
    expect(doc.channels).toEqual(['appointment', 'email', 'phone', 'store', 'survey', 'web']);
  });

  it('pinned notes are listed newest first, unpinned ones not at all', () => {
    const note = (id: string, occurredAt: string, pinned: boolean): StoredTouchpoint =>
      tp({ id, source: 'crm', type: 'note', occurredAt, data: { text: id, pinned } });
    const doc = foldAll([
      note('n1', '2026-01-01T00:00:00Z', true),
      note('n2', '2026-03-01T00:00:00Z', true),
      note('n3', '2026-04-01T00:00:00Z', false),
    ]);
    expect(doc.pinnedNotes.map((n) => n.text)).toEqual(['n2', 'n1']);
  });

  it('the search keys hold folded names, numbers and words', () => {
    const doc = foldAll(richHistory());
    expect(doc.search.names).toEqual(['anna schmidt']);
    expect(doc.search.emails).toEqual(['anna.schmidt@example.de']);
    expect(doc.search.emailText).toBe('anna schmidt example de');
    expect(doc.search.numbers).toEqual(
      expect.arrayContaining([
        'K102934',
        'A1',
        'A4',
        '1Z999AA10123456784',
        'TCK5512',
        'TCK6000',
        'V77',
      ]),
    );
    expect(doc.search.text.split(' ')).toEqual(
      expect.arrayContaining(['kaffeemuhle', 'kuche', 'paket', 'rechnung', 'strom']),
    );
    expect(doc.search.postalCodes).toEqual(['80331']);
    expect(doc.search.streets).toEqual(['lindenstr 4']);
    expect(doc.address?.country).toBe('DE');
    expect(doc.customerNumbers).toEqual(['K-1', 'K-102934']);
  });

  it('sources, seen times and merged ids describe where the profile comes from', () => {
    const doc = fold('c-1', richHistory(), { asOf, mergedFrom: ['c-9', 'c-3'] });
    expect(doc?.sources).toEqual([
      'billing',
      'cal',
      'crm',
      'helpdesk',
      'mail',
      'mailer',
      'pbx',
      'shop',
      'survey',
      'web',
    ]);
    expect(doc?.firstSeenAt).toBe('2025-01-01T00:00:00.000Z');
    expect(doc?.lastSeenAt).toBe('2026-08-02T10:00:00.000Z');
    expect(doc?.mergedFrom).toEqual(['c-3', 'c-9']);
    expect(doc?.kpis.touchpointCount).toBe(17);
    expect(doc?.segments).toEqual([]);
  });
});
