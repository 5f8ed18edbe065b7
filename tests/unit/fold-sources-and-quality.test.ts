import { describe, expect, it } from 'vitest';
import type { StoredTouchpoint, Touchpoint } from '../../domain/src/contract';
import { fold } from '../../domain/src/fold';
import {
  identityKeys,
  touchpointChannel,
  touchpointDirection,
} from '../../domain/src/identity-keys';

const asOf = new Date('2026-10-02T12:00:00Z');

function tp(
  source: string,
  id: string,
  occurredAt: string,
  customer: Touchpoint['customer'],
): StoredTouchpoint {
  const touchpoint: Touchpoint = {
    source,
    id,
    type: 'note',
    occurredAt,
    customer,
    data: { text: 'x' },
  };
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
    expect(a?.fieldSources?.lastName).toEqual({
      source: 'crm',
      key: 'crm:K-102934',
      occurredAt: '2026-01-01T10:00:00Z',
    });
    expect(a?.address?.street).toBe('Lindenstr. 4');
  });

  it('without a priority the most recent value wins and says where it came from', () => {
    const doc = fold('c-1', [crm, shop], { asOf });
    expect(doc?.lastName).toBe('Schmidt-Berg');
    expect(doc?.fieldSources?.lastName.key).toBe('shop:u-88812');
  });

  it('explains which identifier joined which source records', () => {
    const doc = fold('c-1', [crm, shop], { asOf });
    expect(doc?.identityLinks).toEqual([
      {
        kind: 'email',
        value: 'anna@example.de',
        records: ['crm:K-102934', 'shop:u-88812'],
        sources: ['crm', 'shop'],
        current: true,
      },
    ]);
  });

  it('marks a joining email the customer no longer uses as former', () => {
    const changed = tp('shop', 'O-2', '2026-09-20T10:00:00Z', {
      externalId: 'u-88812',
      email: 'anna.neu@example.de',
    });
    const doc = fold('c-1', [crm, shop, changed], { asOf });
    const old = doc?.identityLinks?.find((l) => l.value === 'anna@example.de');
    // The CRM still vouches for the old email, so it stays current there; the shop's own history makes it former.
    expect(old).toMatchObject({
      kind: 'email',
      records: ['crm:K-102934', 'shop:u-88812'],
      current: true,
    });
    const shopOnly = fold('c-1', [shop, changed], { asOf });
    expect(shopOnly?.identityLinks?.find((l) => l.kind === 'email')).toBeUndefined();
    expect(shopOnly?.identityLinks?.find((l) => l.kind === 'ext')).toMatchObject({
      value: 'shop:u-88812',
      current: true,
    });
    const moved = tp('shop', 'O-3', '2026-09-25T10:00:00Z', {
      externalId: 'u-88812',
      email: 'Anna@Example.de',
    });
    const later = tp('shop', 'O-4', '2026-09-28T10:00:00Z', {
      externalId: 'u-88812',
      email: 'anna.neu@example.de',
    });
    const former = fold('c-1', [shop, moved, later], { asOf });
    expect(former?.identityLinks?.find((l) => l.kind === 'email')).toMatchObject({
      value: 'anna@example.de',
      records: ['shop:O-3', 'shop:u-88812'],
      current: false,
    });
  });

  it('says where every displayed value came from: master data, CRM fields, customer numbers and external ids', () => {
    const profileRecord: StoredTouchpoint = {
      ...tp('crm', 'P-1', '2026-03-01T10:00:00Z', { customerNumber: 'k-102934' }),
      type: 'profile',
      data: { segment: 'VIP', language: 'de', tags: ['a'] },
    };
    const doc = fold('c-1', [crm, shop, profileRecord], { asOf });
    expect(doc?.fieldSources?.segment).toEqual({
      source: 'crm',
      key: 'crm:P-1',
      occurredAt: '2026-03-01T10:00:00Z',
    });
    expect(doc?.fieldSources?.tags?.key).toBe('crm:P-1');
    expect(doc?.fieldSources?.status).toBeUndefined();
    // The most recent writing of a customer number is shown, with the record that wrote it.
    expect(doc?.customerNumbers).toEqual(['k-102934']);
    expect(doc?.fieldSources?.['customerNumber:k-102934']?.key).toBe('crm:P-1');
    expect(doc?.fieldSources?.['customerNumber:K-102934']).toBeUndefined();
    expect(doc?.fieldSources?.['externalId:shop:u-88812']?.key).toBe('shop:u-88812');
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
    expect(doc?.quality?.duplicateKeys).toEqual([
      'nb:anna schmidt|1985-04-12',
      'na:anna schmidt|80331|lindenstr 4',
    ]);
    expect(doc?.quality?.addressValid).toBe(true);
  });

  it('standardizes names and the address for display and keeps the original writing of each, flagging what cannot be standardized', () => {
    const messy = tp('legacy', 'X-1', '2026-09-30T10:00:00Z', {
      customerNumber: 'K-102934',
      email: '  ANNA@Example.DE ',
      phone: '0170 / 123 45-67',
      firstName: 'thomas',
      lastName: 'MÜLLER',
      address: {
        street: 'HAUPTSTRASSE  5',
        postalCode: 'd-80331',
        city: 'MÜNCHEN',
        country: 'Deutschland',
      },
    });
    const doc = fold('c-1', [crm, messy], { asOf });
    expect([doc?.firstName, doc?.lastName]).toEqual(['Thomas', 'Müller']);
    expect(doc?.address).toEqual({
      street: 'Hauptstrasse 5',
      postalCode: '80331',
      city: 'München',
      country: 'DE',
      source: 'legacy',
    });
    expect(doc?.originals).toEqual({
      firstName: { original: 'thomas', valid: true },
      lastName: { original: 'MÜLLER', valid: true },
      street: { original: 'HAUPTSTRASSE  5', valid: true },
      postalCode: { original: 'd-80331', valid: true },
      city: { original: 'MÜNCHEN', valid: true },
      country: { original: 'Deutschland', valid: true },
    });
    expect(doc?.emails[0]).toMatchObject({
      value: 'anna@example.de',
      original: 'ANNA@Example.DE',
      valid: true,
    });
    expect(doc?.phones[0]).toMatchObject({
      value: '+491701234567',
      original: '0170 / 123 45-67',
      valid: true,
    });
    expect(doc?.quality?.invalid).toEqual([]);
    expect(doc?.quality?.addressValid).toBe(true);
    // The old prefix writing stays findable, the standardized code too.
    expect(doc?.search.postalCodes).toEqual(expect.arrayContaining(['80331', 'D80331']));
  });

  it('shows a value that cannot be standardized as written, flagged, never dropped', () => {
    const broken = tp('legacy', 'X-2', '2026-09-30T10:00:00Z', {
      externalId: 'L-1',
      email: 'kaputt@',
      firstName: 'Alt',
      address: { street: 'Weg 1', postalCode: '803', city: 'Berlin', country: 'Atlantis' },
    });
    const wrongCode = tp('legacy', 'X-3', '2026-10-01T10:00:00Z', {
      externalId: 'L-1',
      address: { postalCode: '1234', city: 'Köln', country: 'DE' },
    });
    const doc = fold('c-1', [broken], { asOf });
    expect(doc?.address).toMatchObject({ postalCode: '803', country: 'Atlantis' });
    expect(doc?.originals?.country).toEqual({ original: 'Atlantis', valid: false });
    expect(doc?.originals?.postalCode).toEqual({ original: '803', valid: true });
    expect(doc?.emails[0]).toMatchObject({ value: 'kaputt@', valid: false });
    expect(doc?.quality?.invalid).toEqual(['country', 'email']);
    const moved = fold('c-1', [broken, wrongCode], { asOf });
    // The address is taken whole: the older street's writing does not linger.
    expect(moved?.originals).toEqual({
      firstName: { original: 'Alt', valid: true },
      postalCode: { original: '1234', valid: false },
      city: { original: 'Köln', valid: true },
      country: { original: 'DE', valid: true },
    });
    expect(moved?.address).toMatchObject({
      street: null,
      postalCode: '1234',
      city: 'Köln',
      country: 'DE',
    });
    expect(moved?.quality?.addressValid).toBe(false);
    expect(moved?.quality?.invalid).toEqual(['country', 'email', 'postalCode']);
  });
});
