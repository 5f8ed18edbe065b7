/**
 * The fold: a customer's touchpoints in, the unified profile out.
 *
 * Pure and deterministic: no I/O, no clock except `asOf`, and the same
 * touchpoints in any order give a deep-equal profile (only `updatedAt` is
 * `asOf`). That lets the indexer re-fold a customer from scratch whenever any
 * of its touchpoints changes, and re-folding twice never changes a profile.
 */
import { touchpointKey, type StoredTouchpoint } from '../contract';
import { foldText } from '../normalize';
import type { CustomerDocument, ProfileSearchKeys } from '../profile';
import { consentGrantedTerm } from '../marketing-consent';
import { foldAppointments } from './appointment';
import { foldCalls } from './call';
import { foldCampaignResponses } from './campaign-response';
import { foldConsents } from './consent';
import { foldContracts } from './contract';
import { foldEmails } from './email';
import {
  compareStrings,
  foldContext,
  iso,
  ofType,
  uniqueSorted,
  type ContactPart,
} from './fold-context';
import { foldIdentity } from './identity';
import { foldQuality } from './quality';
import { blockingKeys, matchRecordOf } from '../matching';
import { foldNotes } from './note';
import { foldOrders } from './order';
import { foldProfiles } from './profile';
import { foldSurveys } from './survey';
import { foldTickets } from './ticket';
import { foldWebSessions } from './web-session';

/** Options of {@link fold}. */
export interface FoldOptions {
  /**
   * The moment to fold at: touchpoints that occurred later are left out and
   * "12 months" KPIs count back from here. Default: now.
   */
  asOf?: Date;
  /** Ids of profiles merged into this one (copied to `mergedFrom`, sorted). Default: none. */
  mergedFrom?: string[];
  /**
   * Which source wins a master-data field (names, company, birth date,
   * address): earlier in the list wins, then the most recent. Unlisted
   * sources rank last, alike. Default: none (the most recent wins).
   * @example { sourcePriority: ['crm', 'billing', 'shop'] }
   */
  sourcePriority?: readonly string[];
}

/** Products and categories are facets and search keys, not a purchase history: capped. */
const maxProducts = 200;
/** Bounds the folded search text of customers with thousands of orders and tickets. */
const maxTextPhrases = 2_000;

/**
 * Folds the touchpoints of one customer into its profile document.
 *
 * Touchpoints with the same key (`source:id`) are one record: the one with
 * the higher `version`, else the later `occurredAt`, else the later
 * `indexedAt` stands for it. Deleted records and records that occurred after
 * `asOf` contribute nothing.
 *
 * @returns the profile, or null when no live touchpoint is left (the profile
 *   should then be removed).
 * @example fold('c-1', touchpoints, { asOf: new Date('2026-10-02T00:00:00Z') })
 */
export function fold(
  customerId: string,
  touchpoints: readonly StoredTouchpoint[],
  options: FoldOptions = {},
): CustomerDocument | null {
  const asOf = options.asOf ?? new Date();
  const ctx = foldContext(asOf);
  const live = latestPerRecord(touchpoints)
    .filter((tp) => !tp.deleted)
    .map((tp) => ({ tp, at: Date.parse(tp.occurredAt) }))
    // A touchpoint without a readable time cannot be placed in the story; the contract rejects it at ingest anyway.
    .filter(({ at }) => Number.isFinite(at) && at <= ctx.asOfMs)
    .sort((a, b) => a.at - b.at || compareStrings(a.tp.key, b.tp.key))
    .map(({ tp }) => tp);
  if (live.length === 0) return null;

  const identity = foldIdentity(live, { sourcePriority: options.sourcePriority });
  const quality = foldQuality(live, identity);
  const profile = foldProfiles(ofType('profile', live));
  const orders = foldOrders(ofType('order', live));
  const tickets = foldTickets(ofType('ticket', live), ctx);
  const contracts = foldContracts(ofType('contract', live), ctx);
  const campaignResponses = ofType('campaign_response', live);
  const campaigns = foldCampaignResponses(campaignResponses);
  const consents = foldConsents(ofType('consent', live), campaignResponses);
  const surveys = foldSurveys(ofType('survey', live));
  const notes = foldNotes(ofType('note', live));
  const webSessions = foldWebSessions(ofType('web_session', live));
  const contactParts: ContactPart[] = [
    foldEmails(ofType('email', live)),
    foldCalls(ofType('call', live)),
    tickets,
    foldAppointments(ofType('appointment', live)),
  ];

  const contacts: Record<string, number> = {};
  for (const part of contactParts) {
    for (const [key, count] of Object.entries(part.contacts))
      contacts[key] = (contacts[key] ?? 0) + count;
  }
  const contactTimes = contactParts
    .map((p) => p.lastContactAt)
    .filter((t): t is number => t !== null);
  const lastContactMs = contactTimes.length ? Math.max(...contactTimes) : null;

  const products = uniqueSorted([...orders.products, ...contracts.products]).slice(0, maxProducts);
  const categories = orders.categories.slice(0, maxProducts);
  const firstEmail = identity.emails[0]?.value ?? null;
  const fullName = [identity.firstName, identity.lastName].filter(Boolean).join(' ');
  const name =
    fullName ||
    identity.company ||
    firstEmail ||
    identity.phones[0]?.value ||
    identity.customerNumbers[0] ||
    customerId;

  const textPhrases = uniqueSorted(
    [
      ...tickets.subjects,
      ...orders.productNames,
      ...contracts.products,
      ...categories,
      ...identity.companies,
    ].map(foldText),
  ).slice(0, maxTextPhrases);
  const search: ProfileSearchKeys = {
    names: identity.search.names,
    emails: identity.search.emails,
    emailText: identity.search.emailText,
    phones: identity.search.phones,
    phoneSuffixes: identity.search.phoneSuffixes,
    numbers: uniqueSorted([
      ...identity.search.numbers,
      ...orders.numbers,
      ...tickets.numbers,
      ...contracts.numbers,
    ]),
    text: textPhrases.join(' '),
    cities: identity.search.cities,
    postalCodes: identity.search.postalCodes,
    streets: identity.search.streets,
  };

  const doc: CustomerDocument = {
    id: customerId,
    name,
    firstName: identity.firstName,
    lastName: identity.lastName,
    company: identity.company,
    birthDate: identity.birthDate,
    address: identity.address,
    fieldSources: { ...identity.fieldSources, ...profile.fieldSources },
    originals: identity.originals,
    identityLinks: quality.links,
    quality: quality.quality,
    emails: identity.emails,
    phones: identity.phones,
    customerNumbers: identity.customerNumbers,
    externalIds: identity.externalIds,
    segment: profile.segment,
    status: profile.status,
    language: profile.language,
    tags: profile.tags,
    kpis: {
      lifetimeValue: orders.lifetimeValue,
      currency: orders.currency,
      orderCount: orders.orderCount,
      averageOrderValue: orders.averageOrderValue,
      firstOrderAt: orders.firstOrderAt,
      lastOrderAt: orders.lastOrderAt,
      returnCount: orders.returnCount,
      lastContactAt: lastContactMs === null ? null : iso(lastContactMs),
      openTickets: tickets.openTickets.length,
      complaints12m: tickets.complaints12m,
      activeContracts: contracts.activeContracts,
      nextContractEnd: contracts.nextContractEnd,
      monthlyRevenue: contracts.monthlyRevenue,
      cancellations12m: contracts.cancellations12m,
      lastNps: surveys.lastNps,
      lastNpsComment: surveys.lastNpsComment,
      lastCsat: surveys.lastCsat,
      touchpointCount: live.length,
    },
    channels: uniqueSorted([
      ...orders.channels,
      ...tickets.channels,
      ...campaigns.channels,
      ...surveys.channels,
      ...webSessions.channels,
      ...contactParts.flatMap((p) => p.channels),
    ]),
    contacts: sortedRecord(contacts),
    products,
    categories,
    preferredSalesChannel: orders.preferredSalesChannel,
    recentOrders: orders.recentOrders,
    openTickets: tickets.openTickets,
    pinnedNotes: notes.pinnedNotes,
    contracts: contracts.contracts,
    consents: consents.consents,
    campaigns: sortedRecord(campaigns.campaigns),
    segments: [],
    consentGranted: uniqueSorted(
      consents.consents
        .filter((c) => c.granted)
        // Lower-cased, so a filter finds a grant however the source wrote its purpose (domain/src/marketing-consent.ts).
        .flatMap((c) =>
          c.purpose
            ? [consentGrantedTerm(c.channel), consentGrantedTerm(c.channel, c.purpose)]
            : [consentGrantedTerm(c.channel)],
        ),
    ),
    openTicketPriorities: uniqueSorted(tickets.openTickets.map((t) => t.priority ?? 'normal')),
    sources: uniqueSorted(live.map((tp) => tp.source)),
    mergedFrom: uniqueSorted(options.mergedFrom ?? []),
    firstSeenAt: iso(Date.parse(live[0].occurredAt)),
    lastSeenAt: iso(Date.parse(live[live.length - 1].occurredAt)),
    updatedAt: asOf.toISOString(),
    search,
  };
  // Probabilistic matching finds candidates by these keys and counts name frequencies over these folded names.
  const record = matchRecordOf(doc);
  quality.quality.matchKeys = blockingKeys(record);
  quality.quality.matchNames = {
    first: record.firstName,
    last: record.lastName,
    city: record.city,
  };
  return doc;
}

/**
 * One touchpoint per record key. Normally the store already holds only the
 * latest, but a caller may pass a record twice (e.g. the stored version plus
 * the one being indexed); picking by a total order keeps the fold
 * order-independent even then.
 */
function latestPerRecord(touchpoints: readonly StoredTouchpoint[]): StoredTouchpoint[] {
  const byKey = new Map<string, StoredTouchpoint>();
  for (const raw of touchpoints) {
    const tp = raw.key ? raw : { ...raw, key: touchpointKey(raw) };
    const held = byKey.get(tp.key);
    if (!held || isNewer(tp, held)) byKey.set(tp.key, tp);
  }
  return [...byKey.values()];
}

function isNewer(a: StoredTouchpoint, b: StoredTouchpoint): boolean {
  // The contract: a version decides when given; without one, the later occurredAt wins.
  if (a.version != null && b.version != null && a.version !== b.version)
    return a.version > b.version;
  const byTime = (Date.parse(a.occurredAt) || 0) - (Date.parse(b.occurredAt) || 0);
  if (byTime !== 0) return byTime > 0;
  const byIndexed = compareStrings(a.indexedAt ?? '', b.indexedAt ?? '');
  if (byIndexed !== 0) return byIndexed > 0;
  // Last resort for true duplicates with different content: any fixed rule will do.
  return compareStrings(JSON.stringify(a), JSON.stringify(b)) > 0;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}
