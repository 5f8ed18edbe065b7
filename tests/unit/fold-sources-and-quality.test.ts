import { describe, expect, it } from 'vitest';
import type { StoredTouchpoint, Touchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import { identityKeys, touchpointChannel, touchpointDirection } from '../../domain/src/identity-keys';

const asOf = new Date('2026-10-02T12:00:00Z');

function tp(source: string, id: string, occurredAt: string, customer: Touchpoint['customer']): StoredTouchpoint {
  const touchpoint: Touchpoint = { source, id, type: 'note', occurredAt, customer, data: { text: 'x' } };
  return {
    ...touchpoint,
    key: `${source}:${id}`,
    customerId: 'c-1',
    identityKeys: identityKeys(touchpoint),
    channel: touchpointChannel(touchpoint),
    direction: touchpointDirection(touchpoint),
    indexedAt: occurredAt,
  };
}

const crm = tp('crm', 'K-102934', '2026-01-01T10:00:00Z', {
  customerNumber: 'K-102934',
  email: 'anna@example.de',
  firstName: 'Anna',
  lastName: 'Schmidt',
  birthDate: '1985-04-12',
  address: { street: 'Lindenstr. 4', postalCode: '80331', city: 'München', country: 'DE' },
});
const shop = tp('shop', 'u-88812', '2026-09-01T10:00:00Z', {
  externalId: 'u-88812',
  email: ' Anna@Example.de',
  phone: '123',
  firstName: 'anna',
  lastName: 'schmidt-berg',
  address: { street: 'Hauptstr. 1', postalCode: '8033', city: 'München', country: 'Germany' },
});

describe('fold: sources of displayed values, explanations and data quality', () => {
  it('when a source priority is configured, the CRM name wins over a more recent shop name, in any order', () => {
    const a = fold('c-1', [crm, shop], { asOf, sourcePriority: ['crm', 'shop'] });
    const b = fold('c-1', [shop, crm], { asOf, sourcePriority: ['crm', 'shop'] });
    expect(a).toEqual(b);
    expect(a?.lastName).toBe('Schmidt');
    expect(a?.fieldSources?.lastName).toEqual({ source: 'crm', key: 'crm:K-102934', occurredAt: '2026-01-01T10:00:00Z' });
    expect(a?.address?.street).toBe('Lindenstr. 4');
  });

  it('without a priority the most recent value wins and says where it came from', () => {
    const doc = fold('c-1', [crm, shop], { asOf });
    expect(doc?.lastName).toBe('Schmidt-Berg');
    expect(doc?.fieldSources?.lastName.key).toBe('shop:u-88812');
  });

  it('explains which identifier joined which source records', () => {
    const doc = fold('c-1', [crm, shop], { asOf });
    expect(doc?.identityLinks).toEqual([{ kind: 'email', value: 'anna@example.de', records: ['crm:K-102934', 'shop:u-88812'], sources: ['crm', 'shop'] }]);
  });

  it('flags invalid values with the sources that sent them, keeping the originals', () => {
    const doc = fold('c-1', [crm, shop], { asOf });
    expect(doc?.quality?.invalid).toEqual(['phone', 'postalCode']);
    expect(doc?.quality?.invalidSources).toEqual(['shop']);
    expect(doc?.phones[0]).toMatchObject({ original: '123', valid: false });
    expect(doc?.quality?.emailValid).toBe(true);
    expect(doc?.quality?.phoneValid).toBe(false);
  });

  it('gives the keys under which suspected duplicates meet: name with birth date, name with address', () => {
    const doc = fold('c-1', [crm], { asOf });
    expect(doc?.quality?.duplicateKeys).toEqual(['nb:anna schmidt|1985-04-12', 'na:anna schmidt|80331|lindenstr 4']);
    expect(doc?.quality?.addressValid).toBe(true);
  });
});
