import { describe, expect, it } from 'vitest';
import { filterToQuery } from '../../domain/src/analytics/es-query';
import type { Filter } from '../../domain/src/analytics/query-schema';
import {
  excludedWithoutConsentFilter,
  membershipFilter,
  requiredConsentFilter,
} from '../../domain/src/analytics/segment-audience';

const filter: Filter = { kind: 'terms', field: 'tags', values: ['spring'] };
const consentOn = (channel: string): Filter => ({
  kind: 'terms',
  field: 'consentGranted',
  values: ['marketing', 'newsletter', 'advertising', 'promotions'].map((p) => `${channel}:${p}`),
});

describe('segment audiences', () => {
  it('a segment without a purpose is its filter, and leaves out nobody', () => {
    expect(membershipFilter({ filter })).toBe(filter);
    expect(excludedWithoutConsentFilter({ filter })).toBeNull();
    expect(requiredConsentFilter({})).toBeNull();
  });

  it('a marketing segment admits only customers with marketing consent on every channel it names', () => {
    expect(membershipFilter({ filter, purpose: 'marketing', consentChannels: ['email'] })).toEqual({
      kind: 'and',
      filters: [filter, consentOn('email')],
    });
    expect(
      membershipFilter({ filter, purpose: 'marketing', consentChannels: ['email', 'sms'] }),
    ).toEqual({
      kind: 'and',
      filters: [filter, { kind: 'and', filters: [consentOn('email'), consentOn('sms')] }],
    });
  });

  it('asks for lower-case consent terms, and an analyst filter on consentGranted matches in any writing', () => {
    const consent = requiredConsentFilter({ purpose: 'marketing', consentChannels: ['email'] });
    expect(consent).toEqual(consentOn('email'));
    for (const value of (consent as { values: string[] }).values)
      expect(value).toBe(value.toLowerCase());
    expect(
      filterToQuery({
        kind: 'terms',
        field: 'consentGranted',
        values: ['Email:Newsletter', 'sms'],
      }),
    ).toEqual({ terms: { consentGranted: ['email:newsletter', 'sms'] } });
    // Other keyword fields keep their values as given.
    expect(filterToQuery({ kind: 'terms', field: 'tags', values: ['Spring'] })).toEqual({
      terms: { tags: ['Spring'] },
    });
  });

  it('counts as left out those who match the filter and lack a needed consent, as the marketing export does', () => {
    const excluded = excludedWithoutConsentFilter({
      filter,
      purpose: 'marketing',
      consentChannels: ['email'],
    });
    expect(excluded).toEqual({
      kind: 'and',
      filters: [filter, { kind: 'not', filter: consentOn('email') }],
    });
    expect(JSON.stringify(filterToQuery(excluded!))).toContain('must_not');
  });
});
