/**
 * What appointments contribute: the channel `appointment` and a contact.
 *
 * The contact time is when the appointment touchpoint occurred (booked,
 * moved, held), not `startsAt`: a future appointment is not yet a contact,
 * and only touchpoints up to the fold's `asOf` count anyway.
 */
import { channelsOf, latestAt, type ContactPart, type TypedTouchpoint } from './fold-context';

export function foldAppointments(
  appointments: readonly TypedTouchpoint<'appointment'>[],
): ContactPart {
  // Appointments are not counted in `contacts`, which is per channel and
  // direction of conversations (email, call, ticket); they still make the
  // customer "recently contacted".
  return {
    channels: channelsOf(appointments),
    contacts: {},
    lastContactAt: latestAt(appointments),
  };
}
