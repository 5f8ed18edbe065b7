import { describe, expect, it } from 'vitest';
import { nextBestActions } from '../../domain/src/next-best-action';
import type { ContractSummary, Profile, TicketSummary } from '../../domain/src/profile';

const now = new Date('2026-11-22T12:00:00Z');

function profile(overrides: Partial<Profile> = {}, kpis: Partial<Profile['kpis']> = {}): Profile {
  return {
    id: 'c-1',
    name: 'Anna Schmidt',
    firstName: 'Anna',
    lastName: 'Schmidt',
    company: null,
    birthDate: null,
    address: null,
    emails: [],
    phones: [],
    customerNumbers: ['K-1'],
    externalIds: [],
    segment: 'Standard',
    status: 'active',
    language: 'de',
    tags: [],
    kpis: {
      lifetimeValue: 0,
      currency: null,
      orderCount: 0,
      averageOrderValue: null,
      firstOrderAt: null,
      lastOrderAt: null,
      returnCount: 0,
      lastContactAt: null,
      openTickets: 0,
      complaints12m: 0,
      activeContracts: 0,
      nextContractEnd: null,
      monthlyRevenue: 0,
      cancellations12m: 0,
      lastNps: null,
      lastNpsComment: null,
      lastCsat: null,
      touchpointCount: 1,
      ...kpis,
    },
    channels: [],
    contacts: {},
    products: [],
    categories: [],
    preferredSalesChannel: null,
    recentOrders: [],
    openTickets: [],
    pinnedNotes: [],
    contracts: [],
    consents: [],
    campaigns: {},
    segments: [],
    sources: [],
    mergedFrom: [],
    firstSeenAt: '2025-01-01T00:00:00Z',
    lastSeenAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

function contract(
  product: string,
  endDate: string | null,
  extra: Partial<ContractSummary> = {},
): ContractSummary {
  return {
    key: `billing:${product}`,
    contractNumber: `V-${product.replace(/\W/g, '')}`,
    product,
    status: 'active',
    startDate: '2024-12-01',
    endDate,
    monthlyFee: 20,
    currency: 'EUR',
    options: [],
    cancellationRequestedAt: null,
    ...extra,
  };
}

function ticket(extra: Partial<TicketSummary> = {}): TicketSummary {
  return {
    key: 'helpdesk:T-1',
    ticketNumber: 'T-1',
    subject: 'Paket nicht angekommen',
    status: 'open',
    priority: 'high',
    category: null,
    channel: 'phone',
    complaint: true,
    openedAt: '2026-11-20T09:00:00Z',
    updatedAt: '2026-11-20T09:00:00Z',
    ...extra,
  };
}

const kinds = (p: Profile) => nextBestActions(p, now).map((a) => a.kind);

describe('next best action', () => {
  it('when nothing is notable, no action fires', () => {
    expect(nextBestActions(profile(), now)).toEqual([]);
  });

  it('when a contract ends within 60 days, a renewal is offered with the end date and days left as the reason', () => {
    const [action] = nextBestActions(
      profile({
        contracts: [contract('DSL 100', '2027-01-10'), contract('Mobil M', '2028-01-01')],
      }),
      now,
    );
    expect(action.kind).toBe('renewal-offer');
    expect(action.title).toContain('DSL 100');
    expect(action.reason).toContain('2027-01-10');
    expect(action.reason).toContain('in 49 days');
  });

  it('when the contract ends in 61 days, was cancelled, or its cancellation was requested, no renewal is offered', () => {
    expect(kinds(profile({ contracts: [contract('DSL 100', '2027-01-22')] }))).not.toContain(
      'renewal-offer',
    );
    expect(
      kinds(profile({ contracts: [contract('DSL 100', '2026-12-10', { status: 'cancelled' })] })),
    ).not.toContain('renewal-offer');
    expect(
      kinds(
        profile({
          contracts: [contract('DSL 100', '2026-12-10', { cancellationRequestedAt: '2026-11-01' })],
        }),
      ),
    ).not.toContain('renewal-offer');
  });

  it('when a complaint is open, the agent is told to apologize and escalate, and no selling action is shown', () => {
    const p = profile({ openTickets: [ticket()], contracts: [contract('Mobil M', '2026-12-20')] });
    const actions = nextBestActions(p, now);
    expect(actions.map((a) => a.kind)).toEqual(['apologize-and-escalate']);
    expect(actions[0].reason).toContain('T-1');
    expect(actions[0].reason).toContain('Paket nicht angekommen');
  });

  it('an open ticket that is not a complaint does not ask for an apology', () => {
    expect(kinds(profile({ openTickets: [ticket({ complaint: false })] }))).toEqual([]);
  });

  it('when the last NPS answer is 6 or lower, a care call is suggested with the score and comment as the reason', () => {
    const [action] = nextBestActions(
      profile({}, { lastNps: 3, lastNpsComment: 'Hotline nie erreichbar' }),
      now,
    );
    expect(action.kind).toBe('care-call');
    expect(action.reason).toContain('3 of 10');
    expect(action.reason).toContain('Hotline nie erreichbar');
    expect(kinds(profile({}, { lastNps: 7 }))).toEqual([]);
  });

  it('when the customer holds a mobile plan but no home internet, home internet is cross-sold; with both, nothing is', () => {
    const [action] = nextBestActions(
      profile({ contracts: [contract('Mobil M', '2028-01-01')], products: ['Mobil M'] }),
      now,
    );
    expect(action.kind).toBe('cross-sell');
    expect(action.reason).toBe('Holds Mobil M but no DSL or Glasfaser product.');
    const both = profile({
      contracts: [contract('Mobil M', '2028-01-01'), contract('Glasfaser 500', '2028-01-01')],
      products: ['Glasfaser 500', 'Mobil M'],
    });
    expect(kinds(both)).not.toContain('cross-sell');
  });

  it('a product of a cancelled contract is not held, so it neither triggers nor blocks a cross-sell', () => {
    const p = profile({
      contracts: [
        contract('Mobil M', '2028-01-01'),
        contract('DSL 50', null, { status: 'cancelled' }),
      ],
      products: ['DSL 50', 'Mobil M'],
    });
    expect(kinds(p)).toEqual(['cross-sell']);
  });

  it('several rules fire together in a fixed order: complaint, care call', () => {
    expect(kinds(profile({ openTickets: [ticket()] }, { lastNps: 2 }))).toEqual([
      'apologize-and-escalate',
      'care-call',
    ]);
    expect(
      kinds(
        profile(
          { contracts: [contract('Strom Öko 24', '2026-12-31')], products: ['Strom Öko 24'] },
          { lastNps: 5 },
        ),
      ),
    ).toEqual(['care-call', 'renewal-offer', 'cross-sell']);
  });
});
