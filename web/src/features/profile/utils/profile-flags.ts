import { daysUntil } from '../../../lib/format';
import type { Profile } from '../../../lib/domain-types';

export interface ProfileFlag {
  key: 'open-complaint' | 'vip' | 'contract-ending' | 'no-email-consent';
  label: string;
  tone: 'danger' | 'warning' | 'info';
}

/** Days before a contract end that the agent should know about it. */
export const contractEndWarningDays = 60;

/** What an agent must notice before saying hello. */
export function profileFlags(profile: Profile, now = Date.now()): ProfileFlag[] {
  const flags: ProfileFlag[] = [];
  if (profile.openTickets.some((t) => t.complaint)) {
    flags.push({ key: 'open-complaint', label: 'Open complaint', tone: 'danger' });
  }
  if (profile.segment?.toUpperCase() === 'VIP' || profile.tags.some((t) => t.toUpperCase() === 'VIP')) {
    flags.push({ key: 'vip', label: 'VIP', tone: 'info' });
  }
  const days = daysUntil(profile.kpis.nextContractEnd, now);
  if (days !== null && days >= 0 && days <= contractEndWarningDays) {
    flags.push({ key: 'contract-ending', label: `Contract ends in ${days} ${days === 1 ? 'day' : 'days'}`, tone: 'warning' });
  }
  if (!hasEmailMarketingConsent(profile)) {
    flags.push({ key: 'no-email-consent', label: 'No email marketing consent', tone: 'info' });
  }
  return flags;
}

/** Purposes that cover service mail only, not advertising. */
const servicePurpose = /service|transact|billing|invoice|rechnung|vertrag|contract/i;

/**
 * Whether the customer may get marketing email: a granted email consent for a
 * marketing-like purpose (marketing, newsletter, none given) that is newer
 * than any withdrawal of (email, marketing) — an unsubscribe withdraws that one.
 */
export function hasEmailMarketingConsent(profile: Profile): boolean {
  const email = profile.consents.filter((c) => c.channel === 'email');
  const withdrawn = email.find((c) => !c.granted && c.purpose === 'marketing');
  return email.some(
    (c) => c.granted && !(c.purpose && servicePurpose.test(c.purpose)) && (!withdrawn || Date.parse(c.since) > Date.parse(withdrawn.since)),
  );
}
