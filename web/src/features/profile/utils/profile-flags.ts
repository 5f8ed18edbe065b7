import { daysUntil } from '../../../lib/format';
import type { Profile } from '../../../lib/domain-types';
import { hasMarketingConsent } from '../../../../../domain/src/marketing-consent';

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
  if (
    profile.segment?.toUpperCase() === 'VIP' ||
    profile.tags.some((t) => t.toUpperCase() === 'VIP')
  ) {
    flags.push({ key: 'vip', label: 'VIP', tone: 'info' });
  }
  const days = daysUntil(profile.kpis.nextContractEnd, now);
  if (days !== null && days >= 0 && days <= contractEndWarningDays) {
    flags.push({
      key: 'contract-ending',
      label: `Contract ends in ${days} ${days === 1 ? 'day' : 'days'}`,
      tone: 'warning',
    });
  }
  if (!hasEmailMarketingConsent(profile)) {
    flags.push({ key: 'no-email-consent', label: 'No email marketing consent', tone: 'info' });
  }
  return flags;
}

/**
 * Whether the customer may get marketing email: the domain's rule
 * (`hasMarketingConsent`), the same one marketing segments and exports filter
 * by, so the flag never disagrees with who a campaign reaches. A grant without
 * a purpose, or for a service purpose, does not count.
 */
export function hasEmailMarketingConsent(profile: Pick<Profile, 'consents'>): boolean {
  return hasMarketingConsent(profile, 'email');
}
