/**
 * What calls contribute: phone contacts per direction and the last contact.
 * Duration, reason and outcome stay in the timeline.
 */
import { touchpointDirection } from '../identity-keys';
import {
  addCount,
  channelsOf,
  latestAt,
  type ContactPart,
  type TypedTouchpoint,
} from './fold-context';

export function foldCalls(calls: readonly TypedTouchpoint<'call'>[]): ContactPart {
  const contacts: Record<string, number> = {};
  for (const c of calls)
    addCount(contacts, `phone:${touchpointDirection(c.tp) ?? c.data.direction}`);
  return { channels: channelsOf(calls), contacts, lastContactAt: latestAt(calls) };
}
