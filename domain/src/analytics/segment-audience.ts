/**
 * Who belongs to a saved segment, shared by the server (which
 * stores segments and counts), the indexer (which evaluates membership on every
 * rebuild) and the web (which previews the count while a segment is saved).
 *
 * A segment made for marketing (`purpose: 'marketing'`) names the channels it
 * will use (`consentChannels`); customers who match its filter but lack
 * marketing consent on any of those channels are left out of its membership
 * and counted as `excludedWithoutConsent`. This mirrors the marketing CSV
 * export (`marketingChannel`): the same consent filter
 * (domain/src/marketing-consent.ts `marketingConsentQuery`), no way to include
 * the customers without consent in an audience declared as marketing, and a
 * segment saved without a purpose is not filtered by consent at all (as an
 * export without `marketingChannel`).
 */
import type { MarketingChannel } from '../marketing-consent';
import { marketingConsentQuery } from '../marketing-consent';
import type { Filter } from './query-schema';

/** What a segment is for; only marketing needs consent today. */
export const segmentPurposes = ['marketing'] as const;
export type SegmentPurpose = (typeof segmentPurposes)[number];

/** A saved segment as stored in `<prefix>-segments`. */
export interface SegmentDefinition {
  /** Stable id derived from the name ("No email consent!" → "no-email-consent"). */
  id: string;
  name: string;
  filter: Filter;
  createdAt: string;
  createdBy: string;
  /** Left out: a segment for any use, not filtered by consent. */
  purpose?: SegmentPurpose;
  /** With `purpose: 'marketing'`: members need marketing consent on every one of these channels. */
  consentChannels?: MarketingChannel[];
}

/** A segment as listed and answered: its members now and, for marketing, how many matching customers lack consent. */
export interface SegmentView extends SegmentDefinition {
  /** Profiles holding the segment (evaluated on rebuild). Only in the list. */
  members?: number;
  /** Marketing segments: customers matching the filter now but left out for lacking consent on a needed channel. */
  excludedWithoutConsent?: number;
}

/**
 * "Has marketing consent on `channel`" as a filter of the analytics tree (the
 * export uses the same): lower-case `channel:purpose` terms, as the fold
 * stores `consentGranted`, so a grant counts in any writing of its purpose.
 */
export function marketingConsentFilter(channel: MarketingChannel): Filter {
  return {
    kind: 'terms',
    field: 'consentGranted',
    values: marketingConsentQuery(channel).terms.consentGranted,
  };
}

/** The consent a segment needs, or null when it needs none. */
export function requiredConsentFilter(
  segment: Pick<SegmentDefinition, 'purpose' | 'consentChannels'>,
): Filter | null {
  if (segment.purpose !== 'marketing' || !segment.consentChannels?.length) return null;
  const needed = segment.consentChannels.map(marketingConsentFilter);
  return needed.length === 1 ? needed[0] : { kind: 'and', filters: needed };
}

/** The filter a profile must match to be a member: the segment's filter plus the consent its purpose needs. */
export function membershipFilter(
  segment: Pick<SegmentDefinition, 'filter' | 'purpose' | 'consentChannels'>,
): Filter {
  const consent = requiredConsentFilter(segment);
  return consent ? { kind: 'and', filters: [segment.filter, consent] } : segment.filter;
}

/** The customers a marketing segment leaves out: matching its filter, lacking a needed consent. Null when it leaves out nobody. */
export function excludedWithoutConsentFilter(
  segment: Pick<SegmentDefinition, 'filter' | 'purpose' | 'consentChannels'>,
): Filter | null {
  const consent = requiredConsentFilter(segment);
  return consent
    ? { kind: 'and', filters: [segment.filter, { kind: 'not', filter: consent }] }
    : null;
}
