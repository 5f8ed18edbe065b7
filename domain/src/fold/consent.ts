/**
 * What consents contribute: the current consent per (channel, purpose).
 *
 * The latest consent touchpoint for a (channel, purpose) is its state. An
 * unsubscribe from an email, SMS or post campaign withdraws the marketing
 * consent of that channel — (channel, 'marketing') — at the time of the
 * unsubscribe; a later consent touchpoint can grant it again. A consent with
 * no purpose is a separate entry and is left alone by an unsubscribe, because
 * only the source knows what it covers.
 */
import type { ConsentState } from '../profile';
import { touchpointChannel } from '../identity-keys';
import { compareStrings, iso, trimmedOrNull, type TypedTouchpoint } from './fold-context';

export interface ConsentPart {
  consents: ConsentState[];
}

/** The purpose an unsubscribe withdraws. */
export const unsubscribePurpose = 'marketing';
const unsubscribableChannels = new Set(['email', 'sms', 'post']);

interface ConsentEvent {
  at: number;
  key: string;
  channel: string;
  purpose: string | null;
  granted: boolean;
  source: string;
}

export function foldConsents(
  consents: readonly TypedTouchpoint<'consent'>[],
  campaignResponses: readonly TypedTouchpoint<'campaign_response'>[],
): ConsentPart {
  const events: ConsentEvent[] = consents.map((c) => ({
    at: c.at,
    key: c.key,
    channel: c.data.channel,
    purpose: trimmedOrNull(c.data.purpose),
    granted: c.data.granted,
    source: c.tp.source,
  }));
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
    });
  }
  // Same order as the fold's input: time, then key, so equal times are decided alike every time.
  events.sort((a, b) => a.at - b.at || compareStrings(a.key, b.key));

  const state = new Map<string, ConsentState>();
  for (const e of events) {
    state.set(JSON.stringify([e.channel, e.purpose]), {
      channel: e.channel,
      purpose: e.purpose,
      granted: e.granted,
      since: iso(e.at),
      source: e.source,
    });
  }
  const consentsNow = [...state.values()].sort(
    (a, b) =>
      compareStrings(a.channel, b.channel) || compareStrings(a.purpose ?? '', b.purpose ?? ''),
  );
  return { consents: consentsNow };
}
