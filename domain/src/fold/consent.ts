/**
 * What consents contribute: the current consent per (channel, purpose).
 *
 * The latest consent touchpoint for a (channel, purpose) is its state. Two
 * events withdraw marketing on a whole channel rather than one purpose:
 * - an unsubscribe from an email, SMS or post campaign, and
 * - a consent touchpoint withdrawing the generic purpose `marketing`.
 * Either sets (channel, 'marketing') and every marketing purpose already
 * recorded on that channel (`newsletter`, `advertising`, … — see
 * domain/src/marketing-consent.ts) to withdrawn as of its time and source, so
 * a newsletter grant does not outlive the unsubscribe from the newsletter
 * (someone who unsubscribed must not be mailed again). A later grant of a purpose re-opens that purpose only. The flat
 * `consentGranted` keywords the segment and export filters use are derived
 * from this state, so those filters follow without a rule of their own.
 *
 * A withdrawal of one specific purpose (say `advertising`) withdraws that
 * purpose only: consent is given per purpose, and a standing grant of another
 * purpose stays. A consent with no purpose is a separate entry and is left
 * alone by an unsubscribe, because only the source knows what it covers.
 * Nothing is lost: every consent and campaign touchpoint stays in the timeline.
 *
 * Purposes are compared case-insensitively: "Newsletter" and "newsletter" are
 * one purpose, whose state is the latest event in either writing; the entry
 * shows the purpose as that event wrote it, while `consentGranted` (fold/index.ts)
 * carries it lower-cased.
 */
import type { ConsentState } from '../profile';
import { isMarketingPurpose } from '../marketing-consent';
import { touchpointChannel } from '../identity-keys';
import { compareStrings, iso, trimmedOrNull, type TypedTouchpoint } from './fold-context';

export interface ConsentPart {
  consents: ConsentState[];
}

/** The purpose an unsubscribe withdraws; withdrawing it withdraws every marketing purpose of the channel. */
export const unsubscribePurpose = 'marketing';
const unsubscribableChannels = new Set(['email', 'sms', 'post']);

interface ConsentEvent {
  at: number;
  key: string;
  channel: string;
  purpose: string | null;
  granted: boolean;
  source: string;
  /** Withdraws every marketing purpose on the channel, not only its own. */
  withdrawsAllMarketing: boolean;
}

const isGenericMarketing = (purpose: string | null) =>
  purpose?.toLowerCase() === unsubscribePurpose;

export function foldConsents(
  consents: readonly TypedTouchpoint<'consent'>[],
  campaignResponses: readonly TypedTouchpoint<'campaign_response'>[],
): ConsentPart {
  const events: ConsentEvent[] = consents.map((c) => {
    const purpose = trimmedOrNull(c.data.purpose);
    return {
      at: c.at,
      key: c.key,
      channel: c.data.channel,
      purpose,
      granted: c.data.granted,
      source: c.tp.source,
      withdrawsAllMarketing: !c.data.granted && isGenericMarketing(purpose),
    };
  });
  for (const r of campaignResponses) {
    const channel = touchpointChannel(r.tp);
    if (r.data.action !== 'unsubscribed' || !channel || !unsubscribableChannels.has(channel))
      continue;
    events.push({
      at: r.at,
      key: r.key,
      channel,
      purpose: unsubscribePurpose,
      granted: false,
      source: r.tp.source,
      withdrawsAllMarketing: true,
    });
  }
  // Same order as the fold's input: time, then key, so equal times are decided alike every time.
  events.sort((a, b) => a.at - b.at || compareStrings(a.key, b.key));

  const state = new Map<string, ConsentState>();
  const record = (channel: string, purpose: string | null, e: ConsentEvent) =>
    state.set(JSON.stringify([channel, purpose?.toLowerCase() ?? null]), {
      channel,
      purpose,
      granted: e.granted,
      since: iso(e.at),
      source: e.source,
    });
  for (const e of events) {
    if (e.withdrawsAllMarketing) {
      for (const s of [...state.values()]) {
        if (s.channel === e.channel && isMarketingPurpose(s.purpose))
          record(s.channel, s.purpose, e);
      }
    }
    record(e.channel, e.purpose, e);
  }
  const consentsNow = [...state.values()].sort(
    (a, b) =>
      compareStrings(a.channel, b.channel) ||
      compareStrings(a.purpose?.toLowerCase() ?? '', b.purpose?.toLowerCase() ?? ''),
  );
  return { consents: consentsNow };
}
