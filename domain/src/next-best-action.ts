/**
 * The next best action for an agent on a call: transparent rules over the
 * profile, each answering with the reason it fired, so the agent can say why
 * and a team lead can check the rule. Pure: the same profile and `now` give
 * the same actions.
 *
 * The rules, strongest first:
 * 1. **Open complaint → apologize and escalate.** Any open ticket marked as a
 *    complaint. Nothing should be sold to an angry customer, so when this
 *    fires the selling rules (renewal, cross-sell) are held back.
 * 2. **NPS detractor → care call.** The last NPS answer is 0–6.
 * 3. **Contract ends within 60 days → renewal offer.** An active contract
 *    whose end date is 0–60 days away and whose cancellation was not requested.
 * 4. **Holds product A but not B → cross-sell.** From {@link crossSellRules}:
 *    the customer holds a product of one line and none of the complementing line.
 *
 * At most one action per rule kind; the caller shows them in this order.
 */
import type { Profile } from './profile';

export type NextBestActionKind =
  'apologize-and-escalate' | 'care-call' | 'renewal-offer' | 'cross-sell';

export interface NextBestAction {
  kind: NextBestActionKind;
  /** What to do, as the agent reads it. */
  title: string;
  /** Why this rule fired for this customer: the facts it is based on. */
  reason: string;
  /** The rule as documented, for the agent who wants to know more. */
  rule: string;
}

/** Days before a contract end when a renewal is offered. Default 60. */
export const renewalWindowDays = 60;

/** NPS answers of this score or below are detractors (the usual NPS definition: 0–6). */
export const npsDetractorMax = 6;

/**
 * "Holds A but not B": a product is held when a contract of it is active or
 * it was bought (`profile.products`). Matching is on the start of the product
 * name, case-insensitive, so `DSL` covers "DSL 50" and "DSL 100".
 */
export interface CrossSellRule {
  /** Held products that make the offer relevant (name prefixes). */
  holds: string[];
  /** Products whose possession makes the offer pointless (name prefixes). */
  lacks: string[];
  offer: string;
}

export const crossSellRules: readonly CrossSellRule[] = [
  {
    holds: ['Mobil'],
    lacks: ['DSL', 'Glasfaser'],
    offer: 'Home internet (DSL or Glasfaser) with the mobile bundle discount',
  },
  {
    holds: ['DSL', 'Glasfaser'],
    lacks: ['Mobil'],
    offer: 'A mobile plan with the home internet bundle discount',
  },
  {
    holds: ['Hausrat'],
    lacks: ['Haftpflicht'],
    offer: 'Haftpflicht Basis alongside the household insurance',
  },
  { holds: ['Strom'], lacks: ['Gas'], offer: 'Gas Komfort from the same energy supplier' },
];

const DAY_MS = 86_400_000;

export const nextBestActionRules: Record<NextBestActionKind, string> = {
  'apologize-and-escalate':
    'An open ticket is a complaint: apologize and escalate before anything else; no sales offers.',
  'care-call': `The last NPS answer is ${npsDetractorMax} or lower (a detractor): ask what went wrong and offer a care call.`,
  'renewal-offer': `An active contract ends within ${renewalWindowDays} days and no cancellation was requested: offer the renewal.`,
  'cross-sell':
    'The customer holds a product of one line but none of the complementing line (see crossSellRules).',
};

/** The actions that fire for this profile, strongest first; empty when none does. */
export function nextBestActions(profile: Profile, now: Date = new Date()): NextBestAction[] {
  const actions: NextBestAction[] = [];

  const complaints = profile.openTickets.filter(
    (t) => t.complaint && t.status !== 'solved' && t.status !== 'closed',
  );
  if (complaints.length > 0) {
    const first = complaints[0];
    const more = complaints.length > 1 ? ` and ${complaints.length - 1} more` : '';
    actions.push({
      kind: 'apologize-and-escalate',
      title: 'Apologize and escalate the complaint',
      reason: `Open complaint ${first.ticketNumber} “${first.subject}” since ${first.openedAt.slice(0, 10)}${more}.`,
      rule: nextBestActionRules['apologize-and-escalate'],
    });
  }

  const nps = profile.kpis.lastNps;
  if (nps !== null && nps !== undefined && nps <= npsDetractorMax) {
    const comment = profile.kpis.lastNpsComment ? `: “${profile.kpis.lastNpsComment}”` : '';
    actions.push({
      kind: 'care-call',
      title: 'Offer a care call',
      reason: `Last NPS answer was ${nps} of 10 (detractor)${comment}.`,
      rule: nextBestActionRules['care-call'],
    });
  }

  const selling = complaints.length === 0;
  if (selling) {
    const ending = profile.contracts
      .filter((c) => c.status === 'active' && c.endDate && !c.cancellationRequestedAt)
      .map((c) => ({
        contract: c,
        days: Math.ceil((Date.parse(c.endDate as string) - now.getTime()) / DAY_MS),
      }))
      .filter(({ days }) => days >= 0 && days <= renewalWindowDays)
      .sort((a, b) => a.days - b.days);
    if (ending.length > 0) {
      const { contract, days } = ending[0];
      actions.push({
        kind: 'renewal-offer',
        title: `Offer the renewal of ${contract.product}`,
        reason: `Contract ${contract.contractNumber} (${contract.product}) ends on ${contract.endDate} — in ${days} ${days === 1 ? 'day' : 'days'}.`,
        rule: nextBestActionRules['renewal-offer'],
      });
    }

    const held = heldProducts(profile);
    for (const rule of crossSellRules) {
      const holding = held.find((p) => rule.holds.some((prefix) => startsWith(p, prefix)));
      if (!holding) continue;
      if (held.some((p) => rule.lacks.some((prefix) => startsWith(p, prefix)))) continue;
      actions.push({
        kind: 'cross-sell',
        title: `Cross-sell: ${rule.offer}`,
        reason: `Holds ${holding} but no ${rule.lacks.join(' or ')} product.`,
        rule: nextBestActionRules['cross-sell'],
      });
      break;
    }
  }
  return actions;
}

/**
 * Active contracts' products, then bought products. `profile.products` also
 * lists the products of cancelled and expired contracts: those are not held.
 */
function heldProducts(profile: Profile): string[] {
  const active = profile.contracts.filter((c) => c.status === 'active').map((c) => c.product);
  const contracted = new Set(profile.contracts.map((c) => c.product));
  return [...new Set([...active, ...profile.products.filter((p) => !contracted.has(p))])];
}

function startsWith(product: string, prefix: string): boolean {
  return product.toLowerCase().startsWith(prefix.toLowerCase());
}
