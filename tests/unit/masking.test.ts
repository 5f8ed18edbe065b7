import { describe, expect, it } from 'vitest';
import type { Profile } from '../../domain/src/profile';
import { initials, maskAnalyticsRow, maskEmail, maskNumber, maskPhone, maskProfile } from '../../server/src/privacy/masking';

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
  });

  it('masks analytics rows by exposure and leaves admins the full row', () => {
    const row = { id: 'c1', name: 'Anna Schmidt', email: 'anna@example.de', phone: '+491701234567', customerNumber: 'K-102934', birthDate: '1985-04-12', 'address.postalCode': '80331', 'kpis.lifetimeValue': 10 };
    expect(maskAnalyticsRow(row, 'full')).toBe(row);
    expect(maskAnalyticsRow(row, 'pseudonymized')).toEqual({ id: 'c1', name: 'A. S.', email: 'a***@example.de', phone: '***4567', customerNumber: '***934', birthDate: '1985', 'address.postalCode': '80***', 'kpis.lifetimeValue': 10 });
    expect(maskAnalyticsRow(row, 'minimal').name).toBe('Anna Schmidt');
  });
});

describe('profile masking', () => {
  it('masks the original writings and the identifier-keyed sources like the values beside them', () => {
    const source = { source: 'crm', key: 'crm:K-1', occurredAt: '2026-01-01T00:00:00Z' };
    const profile = {
      name: 'Thomas Müller',
      firstName: 'Thomas',
      lastName: 'Müller',
      address: { street: 'Hauptstr. 5', postalCode: '80331', city: 'München', country: 'DE', source: 'crm' },
      originals: {
        firstName: { original: 'thomas', valid: true },
        lastName: { original: 'MÜLLER', valid: true },
        street: { original: 'HAUPTSTR. 5', valid: true },
        postalCode: { original: 'D-80331', valid: true },
        city: { original: 'MÜNCHEN', valid: true },
        country: { original: 'Deutschland', valid: true },
      },
      fieldSources: { lastName: source, 'customerNumber:K-102934': source, 'externalId:shop:u-88812': source },
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
    expect(Object.keys(masked.fieldSources ?? {})).toEqual(['lastName', `customerNumber:${masked.customerNumbers[0]}`, `externalId:${masked.externalIds[0]}`]);
  });
});
