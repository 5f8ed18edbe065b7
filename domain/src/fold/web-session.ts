/**
 * What web sessions contribute: only the channel `web`.
 *
 * A visit is neither a conversation (no contact, no last contact) nor master
 * data; pages, device and UTM source stay in the timeline. Sources, first and
 * last seen and the touchpoint count include web sessions like every type.
 */
import { channelsOf, type TypedTouchpoint } from './fold-context';

export interface WebSessionPart {
  channels: string[];
}

export function foldWebSessions(
  sessions: readonly TypedTouchpoint<'web_session'>[],
): WebSessionPart {
  return { channels: channelsOf(sessions) };
}
