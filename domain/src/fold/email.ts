/**
 * What emails contribute: contacts per direction and the last contact.
 * Subjects and snippets stay in the timeline; they are not profile data.
 */
import { touchpointDirection } from '../identity-keys';
import {
  addCount,
  channelsOf,
  latestAt,
  type ContactPart,
  type TypedTouchpoint,
} from './fold-context';

export function foldEmails(emails: readonly TypedTouchpoint<'email'>[]): ContactPart {
  const contacts: Record<string, number> = {};
  for (const e of emails)
    addCount(contacts, `email:${touchpointDirection(e.tp) ?? e.data.direction}`);
  return { channels: channelsOf(emails), contacts, lastContactAt: latestAt(emails) };
}
