/**
 * What tickets contribute: open tickets, complaints, ticket contacts and
 * search keys.
 *
 * A help desk sends a touchpoint for every change of a ticket, so touchpoints
 * are grouped by (normalized) ticket number and the latest one is the ticket's
 * state; the first one is when it was opened.
 */
import { touchpointChannel } from '../identity-keys';
import { normalizeNumber } from '../normalize';
import type { TicketSummary } from '../profile';
import {
  addCount,
  channelsOf,
  compareStrings,
  iso,
  latestAt,
  trimmedOrNull,
  withinTwelveMonths,
  type ContactPart,
  type FoldContext,
  type TypedTouchpoint,
} from './fold-context';

export interface TicketPart extends ContactPart {
  openTickets: TicketSummary[];
  complaints12m: number;
  /** Normalized ticket numbers, for search. */
  numbers: string[];
  /** Every subject written, for the search text. */
  subjects: string[];
}

/** Tickets without a channel are counted as contacts under `unknown:inbound`. */
export const unknownTicketChannel = 'unknown';

/** `tickets` must be in chronological order. */
export function foldTickets(
  tickets: readonly TypedTouchpoint<'ticket'>[],
  ctx: FoldContext,
): TicketPart {
  const byNumber = new Map<string, TypedTouchpoint<'ticket'>[]>();
  for (const t of tickets) {
    const number = normalizeNumber(t.data.ticketNumber);
    const history = byNumber.get(number);
    if (history) history.push(t);
    else byNumber.set(number, [t]);
  }

  const summaries: TicketSummary[] = [];
  const contacts: Record<string, number> = {};
  for (const history of byNumber.values()) {
    const latest = history[history.length - 1];
    // Optional fields are often only sent when they change: take the latest value given.
    const lastGiven = <V>(
      pick: (t: TypedTouchpoint<'ticket'>) => V | null | undefined,
    ): V | null => {
      for (let i = history.length - 1; i >= 0; i -= 1) {
        const v = pick(history[i]);
        if (v !== null && v !== undefined) return v;
      }
      return null;
    };
    const channel = lastGiven((t) => touchpointChannel(t.tp));
    summaries.push({
      key: latest.key,
      ticketNumber: latest.data.ticketNumber,
      subject: latest.data.subject,
      status: latest.data.status,
      priority: lastGiven((t) => t.data.priority),
      category: lastGiven((t) => trimmedOrNull(t.data.category)),
      channel,
      complaint: lastGiven((t) => t.data.complaint) ?? false,
      openedAt: iso(history[0].at),
      updatedAt: iso(latest.at),
    });
    // A ticket is one contact however often the help desk updates it.
    addCount(contacts, `${channel ?? unknownTicketChannel}:inbound`);
  }

  const newestFirst = (a: TicketSummary, b: TicketSummary): number =>
    compareStrings(b.updatedAt, a.updatedAt) || compareStrings(a.ticketNumber, b.ticketNumber);

  return {
    openTickets: summaries
      .filter((t) => t.status === 'open' || t.status === 'pending')
      .sort(newestFirst),
    complaints12m: summaries.filter(
      (t) => t.complaint && withinTwelveMonths(Date.parse(t.openedAt), ctx),
    ).length,
    numbers: [...byNumber.keys()].sort(compareStrings),
    subjects: [...new Set(tickets.map((t) => t.data.subject.trim()))].sort(compareStrings),
    channels: channelsOf(tickets),
    contacts,
    lastContactAt: latestAt(tickets),
  };
}
