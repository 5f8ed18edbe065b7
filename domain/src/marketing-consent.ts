/**
 * Marketing consent: may this customer be addressed for marketing
 * on a channel? Pure, shared by server (segments, exports) and web.
 *
 * The rule is conservative, as data protection law asks for consent that is
 * specific to its purpose:
 * - only an explicit grant for a marketing purpose counts (`marketing`,
 *   `newsletter`, `advertising`, `promotions`); a consent without a purpose
 *   does not, because only the source knows what it covered;
 * - the fold keeps the latest state per (channel, purpose); an `unsubscribed`
 *   campaign response, or a withdrawal of the generic purpose `marketing`,
 *   withdraws every marketing purpose on its channel as of its time, and a
 *   later grant re-opens the purpose it names (domain/src/fold/consent.ts);
 * - so a customer may be addressed for marketing on a channel when a marketing
 *   purpose is granted there now. A withdrawal of one specific purpose
 *   (`advertising`) leaves a standing grant of another (`newsletter`) alone.
 *
 * `marketingConsentQuery` is the same rule as an Elasticsearch filter on the
 * profile's `consentGranted` keywords (`email:marketing`, …), so a segment or
 * export can exclude customers without consent and count how many it left out.
 *
 * Purposes compare case-insensitively everywhere: a grant written
 * "Newsletter" counts, the fold stores `consentGranted` lower-cased, and the
 * filters ask for lower-case terms (the profile still shows the purpose as
 * the source wrote it).
 */
import type { ConsentState } from './profile';

export const marketingPurposes = ['marketing', 'newsletter', 'advertising', 'promotions'] as const;
export const marketingChannels = ['email', 'sms', 'phone', 'post'] as const;
export type MarketingChannel = (typeof marketingChannels)[number];

/** Whether a consent purpose is one of the marketing purposes (case-insensitive). */
export function isMarketingPurpose(purpose: string | null): boolean {
  return (
    purpose !== null && (marketingPurposes as readonly string[]).includes(purpose.toLowerCase())
  );
}

/**
 * True when the customer's current consents allow marketing on `channel`: a
 * marketing purpose is granted there now, in any writing. The same rule as
 * `marketingConsentQuery`, because the fold has already applied unsubscribes
 * and stores `consentGranted` lower-cased.
 */
export function hasMarketingConsent(
  profile: { consents?: ConsentState[] | null },
  channel: MarketingChannel | string,
): boolean {
  const wanted = channel.toLowerCase();
  return (profile.consents ?? []).some(
    (c) => c.granted && c.channel.toLowerCase() === wanted && isMarketingPurpose(c.purpose),
  );
}

/** A `consentGranted` keyword as the fold stores it: `channel` or `channel:purpose`, lower-cased. */
export function consentGrantedTerm(channel: string, purpose?: string | null): string {
  return (purpose ? `${channel}:${purpose}` : channel).toLowerCase();
}

/**
 * The Elasticsearch filter for "has marketing consent on `channel`", over the
 * profile's `consentGranted` field (the granted consents as `channel:purpose`).
 * An unsubscribe removes every marketing keyword of its channel there, since
 * the fold withdraws every marketing purpose of that channel.
 */
export function marketingConsentQuery(channel: MarketingChannel | string): {
  terms: { consentGranted: string[] };
} {
  return {
    terms: { consentGranted: marketingPurposes.map((p) => consentGrantedTerm(channel, p)) },
  };
}

/** An audience split by consent: who may be addressed and how many were left out. */
export interface ConsentSplit<T> {
  included: T[];
  excludedWithoutConsent: number;
}

export function splitByMarketingConsent<T extends { consents?: ConsentState[] | null }>(
  profiles: T[],
  channel: MarketingChannel | string,
): ConsentSplit<T> {
  const included = profiles.filter((p) => hasMarketingConsent(p, channel));
  return { included, excludedWithoutConsent: profiles.length - included.length };
}
