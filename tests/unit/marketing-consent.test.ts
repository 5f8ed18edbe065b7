import { describe, expect, it } from 'vitest';
import {
  consentGrantedTerm,
  hasMarketingConsent,
  marketingConsentQuery,
  splitByMarketingConsent,
} from '../../domain/src/marketing-consent';
import type { ConsentState } from '../../domain/src/profile';

const c = (
  channel: string,
  purpose: string | null,
  granted: boolean,
  since: string,
): ConsentState => ({ channel, purpose, granted, since, source: 'crm' });

describe('marketing consent', () => {
  it('is given by an explicit grant for a marketing purpose on that channel', () => {
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'marketing', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(true);
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'newsletter', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(true);
  });

  it('is not given by a grant without a purpose, on another channel, or for another purpose', () => {
    expect(
      hasMarketingConsent({ consents: [c('email', null, true, '2026-01-01T00:00:00Z')] }, 'email'),
    ).toBe(false);
    expect(
      hasMarketingConsent(
        { consents: [c('sms', 'marketing', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(false);
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'service', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(false);
    expect(hasMarketingConsent({ consents: [] }, 'email')).toBe(false);
    expect(hasMarketingConsent({}, 'email')).toBe(false);
  });

  it('is withdrawn when no marketing purpose is granted now (the fold applies unsubscribes to every marketing purpose)', () => {
    const consents = [
      c('email', 'newsletter', false, '2026-03-01T00:00:00Z'),
      c('email', 'marketing', false, '2026-03-01T00:00:00Z'),
    ];
    expect(hasMarketingConsent({ consents }, 'email')).toBe(false);
  });

  it('is given again by a grant after the withdrawal', () => {
    const consents = [
      c('email', 'marketing', false, '2026-03-01T00:00:00Z'),
      c('email', 'newsletter', true, '2026-04-01T00:00:00Z'),
    ];
    expect(hasMarketingConsent({ consents }, 'email')).toBe(true);
  });

  it('counts a grant in any writing of its purpose, as the lower-cased Elasticsearch filter does', () => {
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'Newsletter', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(true);
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'PROMOTIONS', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(true);
    expect(
      hasMarketingConsent(
        { consents: [c('email', 'Service', true, '2026-01-01T00:00:00Z')] },
        'email',
      ),
    ).toBe(false);
    expect(marketingConsentQuery('email').terms.consentGranted).toContain(
      consentGrantedTerm('email', 'Newsletter'),
    );
    expect(consentGrantedTerm('email', 'Newsletter')).toBe('email:newsletter');
    expect(consentGrantedTerm('sms')).toBe('sms');
  });

  it('splits an audience and counts who was excluded', () => {
    const yes = { id: 'a', consents: [c('email', 'marketing', true, '2026-01-01T00:00:00Z')] };
    const no = { id: 'b', consents: [c('email', 'marketing', false, '2026-01-01T00:00:00Z')] };
    const none = { id: 'c', consents: [] };
    const split = splitByMarketingConsent([yes, no, none], 'email');
    expect(split.included.map((p) => p.id)).toEqual(['a']);
    expect(split.excludedWithoutConsent).toBe(2);
  });

  it('has an Elasticsearch filter over consentGranted with every marketing purpose of the channel', () => {
    expect(marketingConsentQuery('sms').terms.consentGranted).toEqual([
      'sms:marketing',
      'sms:newsletter',
      'sms:advertising',
      'sms:promotions',
    ]);
  });
});
