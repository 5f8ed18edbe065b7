import { daysUntil } from '../../../lib/format';
import type { Profile } from '../../../lib/domain-types';

export interface ProfileFlag {
  key: 'open-complaint' | 'contract-ending' | 'no-email-consent';
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
  const days = daysUntil(profile.kpis.nextContractEnd, now);
  if (days !== null && days >= 0 && days <= contractEndWarningDays) {
    flags.push({ key: 'contract-ending', label: `Contract ends in ${days} ${days === 1 ? 'day' : 'days'}`, tone: 'warning' });
  }
  const emailMarketing = profile.consents.some(
    (c) => c.channel === 'email' && c.granted && (!c.purpose || c.purpose.toLowerCase().includes('marketing')),
  );
  if (!emailMarketing) {
    flags.push({ key: 'no-email-consent', label: 'No email marketing consent', tone: 'info' });
  }
  return flags;
}
