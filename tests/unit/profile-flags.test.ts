import { describe, expect, it } from 'vitest';
import { hasMarketingConsent } from '../../domain/src/marketing-consent';
import type { ConsentState } from '../../domain/src/profile';
import { hasEmailMarketingConsent } from '../../web/src/features/profile/utils/profile-flags';

const c = (channel: string, purpose: string | null, granted: boolean): ConsentState => ({
  channel,
  purpose,
  granted,
  since: '2026-01-01T00:00:00Z',
  source: 'crm',
});

describe("the profile's email consent flag", () => {
  it('follows the domain rule that marketing segments and exports filter by', () => {
    const cases: ConsentState[][] = [
      [c('email', 'newsletter', true)],
      [c('email', 'Newsletter', true)],
      [c('email', 'MARKETING', true)],
      [c('email', null, true)],
      [c('email', 'service', true)],
      [c('sms', 'newsletter', true)],
      [c('email', 'newsletter', false), c('email', 'marketing', false)],
      [c('email', 'advertising', false), c('email', 'Promotions', true)],
      [],
    ];
    for (const consents of cases)
      expect(hasEmailMarketingConsent({ consents }), JSON.stringify(consents)).toBe(
        hasMarketingConsent({ consents }, 'email'),
      );
  });

  it('counts a marketing grant in any writing, and no grant without a marketing purpose', () => {
    expect(hasEmailMarketingConsent({ consents: [c('email', 'Newsletter', true)] })).toBe(true);
    expect(hasEmailMarketingConsent({ consents: [c('email', null, true)] })).toBe(false);
    expect(hasEmailMarketingConsent({ consents: [c('email', 'Invoice', true)] })).toBe(false);
  });
});
