import { describe, expect, it } from 'vitest';
import type { Touchpoint } from '../../domain/src/contract';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../domain/src/identity-keys';

function touchpoint(overrides: Partial<Touchpoint>): Touchpoint {
  return {
    source: 'shop',
    id: 'A-1',
    type: 'order',
    occurredAt: '2026-10-02T14:12:00Z',
    customer: { email: 'anna@example.de' },
    data: {},
    ...overrides,
  };
}

describe('identityKeys', () => {
  it('gives every kind of key in the contract format, sorted', () => {
    const tp = touchpoint({
      customer: {
        customerNumber: 'k-102 934',
        externalId: ' u-88812 ',
        email: ' Anna.Schmidt@Example.de',
        phone: '0170 1234567',
      },
    });
    expect(identityKeys(tp)).toEqual([
      'cnum:K102934',
      'email:anna.schmidt@example.de',
      'ext:shop:u-88812',
      'phone:+491701234567',
    ]);
  });

  it('a national phone is read in the country of the address', () => {
    const tp = touchpoint({
      customer: { phone: '0664 1234567', address: { country: 'Österreich' } },
    });
    expect(identityKeys(tp)).toEqual(['phone:+436641234567']);
  });

  it('a national phone is read as German when the address has no country', () => {
    const tp = touchpoint({ customer: { phone: '0664 1234567', address: { city: 'Fulda' } } });
    expect(identityKeys(tp)).toEqual(['phone:+496641234567']);
  });

  it('an invalid email or phone makes no key', () => {
    const tp = touchpoint({
      customer: { email: 'not an email', phone: '12', customerNumber: 'K1' },
    });
    expect(identityKeys(tp)).toEqual(['cnum:K1']);
  });

  it('the same external id in two sources gives two different keys', () => {
    const a = identityKeys(touchpoint({ source: 'shop', customer: { externalId: '42' } }));
    const b = identityKeys(touchpoint({ source: 'crm', customer: { externalId: '42' } }));
    expect(a).toEqual(['ext:shop:42']);
    expect(b).toEqual(['ext:crm:42']);
  });

  it('every writing of the same email and phone gives the same keys', () => {
    const a = identityKeys(
      touchpoint({ customer: { email: 'ANNA@example.de', phone: '+49 170 1234567' } }),
    );
    const b = identityKeys(
      touchpoint({ customer: { email: 'anna@EXAMPLE.de ', phone: '0049-170-1234567' } }),
    );
    expect(a).toEqual(b);
  });
});

describe('touchpointChannel', () => {
  it('orders and tickets name their own channel', () => {
    expect(touchpointChannel(touchpoint({ type: 'order', data: { channel: 'store' } }))).toBe(
      'store',
    );
    expect(touchpointChannel(touchpoint({ type: 'ticket', data: { channel: 'chat' } }))).toBe(
      'chat',
    );
    expect(touchpointChannel(touchpoint({ type: 'order', data: {} }))).toBeNull();
  });

  it('interaction types map to their channel', () => {
    expect(touchpointChannel(touchpoint({ type: 'email', data: { direction: 'inbound' } }))).toBe(
      'email',
    );
    expect(touchpointChannel(touchpoint({ type: 'call', data: { direction: 'inbound' } }))).toBe(
      'phone',
    );
    expect(touchpointChannel(touchpoint({ type: 'web_session' }))).toBe('web');
    expect(touchpointChannel(touchpoint({ type: 'survey' }))).toBe('survey');
    expect(touchpointChannel(touchpoint({ type: 'appointment' }))).toBe('appointment');
  });

  it('a campaign response without a channel is an email campaign', () => {
    expect(touchpointChannel(touchpoint({ type: 'campaign_response', data: {} }))).toBe('email');
    expect(
      touchpointChannel(touchpoint({ type: 'campaign_response', data: { channel: 'sms' } })),
    ).toBe('sms');
  });

  it('records that are not interactions have no channel', () => {
    for (const type of ['note', 'profile', 'contract', 'consent'] as const) {
      expect(touchpointChannel(touchpoint({ type, data: { channel: 'email' } }))).toBeNull();
    }
  });
});

describe('touchpointDirection', () => {
  it('emails and calls say their direction, tickets are inbound, campaigns outbound', () => {
    expect(
      touchpointDirection(touchpoint({ type: 'email', data: { direction: 'outbound' } })),
    ).toBe('outbound');
    expect(touchpointDirection(touchpoint({ type: 'call', data: { direction: 'inbound' } }))).toBe(
      'inbound',
    );
    expect(touchpointDirection(touchpoint({ type: 'ticket' }))).toBe('inbound');
    expect(touchpointDirection(touchpoint({ type: 'campaign_response' }))).toBe('outbound');
    expect(touchpointDirection(touchpoint({ type: 'order' }))).toBeNull();
  });
});
