/** What campaign responses contribute: counts per action and their channels. Unsubscribes also act on consents (consent.ts). */
import { addCount, channelsOf, type TypedTouchpoint } from './fold-context';

export interface CampaignPart {
  /** Per action, e.g. {"opened": 3, "clicked": 1}. */
  campaigns: Record<string, number>;
  channels: string[];
}

export function foldCampaignResponses(
  responses: readonly TypedTouchpoint<'campaign_response'>[],
): CampaignPart {
  const campaigns: Record<string, number> = {};
  for (const r of responses) addCount(campaigns, r.data.action);
  return { campaigns, channels: channelsOf(responses) };
}
