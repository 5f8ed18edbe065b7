/**
 * Identity keys: the normalized values by which touchpoints of different
 * sources are linked to the same customer, and the channel and direction of a
 * touchpoint (used by fold, timeline and dashboard alike).
 */
import type { Touchpoint } from './contract';
import { normalizeCountry, normalizeEmail, normalizeNumber, normalizePhone } from './normalize';

/** Phones written without a country code are read in this country when the address has none. */
export const defaultPhoneCountry = 'DE';

/**
 * The country a touchpoint's national phone numbers are read in: the
 * customer's address country, else `DE`.
 */
export function phoneCountryOf(customer: Touchpoint['customer']): string {
  return normalizeCountry(customer.address?.country) ?? defaultPhoneCountry;
}

/**
 * The normalized identity keys of a touchpoint, sorted and unique:
 *
 * - `email:<lower-case email>` — only when the email looks valid;
 * - `phone:<E.164>` — only when the phone could be standardized; national
 *   numbers are read in the address country, else `DE`;
 * - `cnum:<normalizeNumber(customerNumber)>`;
 * - `ext:<source>:<externalId, trimmed>` — external ids are scoped by source.
 *
 * @example identityKeys(tp) // ['cnum:K102934', 'email:anna@example.de', 'ext:shop:u-88812', 'phone:+491701234567']
 */
export function identityKeys(tp: Pick<Touchpoint, 'source' | 'customer'>): string[] {
  const c = tp.customer;
  const keys = new Set<string>();
  const email = normalizeEmail(c.email);
  if (email?.valid) keys.add(`email:${email.value}`);
  const phone = normalizePhone(c.phone, phoneCountryOf(c));
  if (phone?.valid) keys.add(`phone:${phone.value}`);
  const customerNumber = c.customerNumber ? normalizeNumber(c.customerNumber) : '';
  if (customerNumber) keys.add(`cnum:${customerNumber}`);
  const externalId = c.externalId?.trim();
  if (externalId) keys.add(`ext:${tp.source}:${externalId}`);
  return [...keys].sort();
}

function dataString(data: Record<string, unknown>, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * The channel a touchpoint happened on: web, store, phone, app, email, chat,
 * sms, push, post, ads, survey, appointment — or null for records that are not
 * an interaction (note, profile, contract, consent) and for orders and tickets
 * that do not say.
 */
export function touchpointChannel(tp: Pick<Touchpoint, 'type' | 'data'>): string | null {
  switch (tp.type) {
    case 'order':
    case 'ticket':
      return dataString(tp.data, 'channel');
    case 'email':
      return 'email';
    case 'call':
      return 'phone';
    case 'campaign_response':
      // Campaigns without a channel are e-mail campaigns in every source we know.
      return dataString(tp.data, 'channel') ?? 'email';
    case 'web_session':
      return 'web';
    case 'survey':
      return 'survey';
    case 'appointment':
      return 'appointment';
    case 'note':
    case 'profile':
    case 'contract':
    case 'consent':
      return null;
  }
}

/**
 * Who started the interaction: emails and calls say so in `data.direction`;
 * a ticket is always raised by the customer (inbound); a campaign is always
 * sent by us (outbound); everything else has no direction.
 */
export function touchpointDirection(
  tp: Pick<Touchpoint, 'type' | 'data'>,
): 'inbound' | 'outbound' | null {
  switch (tp.type) {
    case 'email':
    case 'call': {
      const direction = dataString(tp.data, 'direction');
      return direction === 'inbound' || direction === 'outbound' ? direction : null;
    }
    case 'ticket':
      return 'inbound';
    case 'campaign_response':
      return 'outbound';
    default:
      return null;
  }
}
