/**
 * Marketing audiences (issue 6): the consent rule of domain/src/marketing-consent.ts
 * as a filter of the analytics filter tree (issue 5), so exports and segments
 * made for marketing can leave out customers without consent and count them.
 */
import type { Filter } from '../../../domain/src/analytics/query-schema';
import { marketingConsentQuery, type MarketingChannel } from '../../../domain/src/marketing-consent';

export function marketingConsentFilter(channel: MarketingChannel): Filter {
  return { kind: 'terms', field: 'consentGranted', values: marketingConsentQuery(channel).terms.consentGranted };
}
