/**
 * Marketing consent (issue 6): may this customer be addressed for marketing
 * on a channel? Pure, shared by server (segments, exports) and web.
 *
 * The rule is deliberately conservative, as data protection law asks for
 * consent that is specific to its purpose:
 * - only an explicit grant for a marketing purpose counts (`marketing`,
 *   `newsletter`, `advertising`, `promotions`); a consent without a purpose
 *   does not, because only the source knows what it covered;
 * - the latest state per (channel, purpose) is what the fold keeps, and an
 *   `unsubscribed` campaign response folds into (channel, `marketing`) =
 *   withdrawn (domain/src/fold/consent.ts);
 * - a withdrawal of any marketing purpose on the channel that is as recent as
 *   or more recent than the newest grant wins.
 *
 * `marketingConsentQuery` is the same rule as an Elasticsearch filter on the
 * profile's `consentGranted` keywords (`email:marketing`, …), so a segment or
 * export can exclude customers without consent and count how many it left out.
 */
import type { ConsentState } from './profile';

export const marketingPurposes = ['marketing', 'newsletter', 'advertising', 'promotions'] as const;
export const marketingChannels = ['email', 'sms', 'phone', 'post'] as const;
export type MarketingChannel = (typeof marketingChannels)[number];

function isMarketing(purpose: string | null): boolean {
  return purpose !== null && (marketingPurposes as readonly string[]).includes(purpose.toLowerCase());
}

/** True when the customer's current consents allow marketing on `channel`. */
export function hasMarketingConsent(profile: { consents?: ConsentState[] | null }, channel: MarketingChannel | string): boolean {
  const relevant = (profile.consents ?? []).filter((c) => c.channel === channel && isMarketing(c.purpose));
  const grants = relevant.filter((c) => c.granted).map((c) => Date.parse(c.since));
  if (grants.length === 0) return false;
  const newestGrant = Math.max(...grants);
  return !relevant.some((c) => !c.granted && Date.parse(c.since) >= newestGrant);
}

/**
 * The Elasticsearch filter for "has marketing consent on `channel`", over the
 * profile's `consentGranted` field. (It cannot see a withdrawal of one
 * marketing purpose beside a grant of another; `hasMarketingConsent` can:
 * filter with this, then check each profile when exactness matters.)
 */
export function marketingConsentQuery(channel: MarketingChannel | string): { terms: { consentGranted: string[] } } {
  return { terms: { consentGranted: marketingPurposes.map((p) => `${channel}:${p}`) } };
}

/** An audience split by consent: who may be addressed and how many were left out. */
export interface ConsentSplit<T> {
  included: T[];
  excludedWithoutConsent: number;
}

export function splitByMarketingConsent<T extends { consents?: ConsentState[] | null }>(profiles: T[], channel: MarketingChannel | string): ConsentSplit<T> {
  const included = profiles.filter((p) => hasMarketingConsent(p, channel));
  return { included, excludedWithoutConsent: profiles.length - included.length };
}
