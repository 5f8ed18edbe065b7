/**
 * What each role may see of a customer's personal data, enforced on the
 * server before an answer leaves it:
 *
 * | role             | lists (search, explore)                    | one customer (profile, timeline, touchpoint) |
 * | ---------------- | ------------------------------------------ | -------------------------------------------- |
 * | admin            | everything                                 | everything                                   |
 * | agent            | name, number, city; email/phone masked     | everything (they serve this person)          |
 * | manager, analyst | pseudonymized: initials, no contact data,  | pseudonymized: KPIs and facts, no contact    |
 * |                  | no numbers, no highlights                  | data, no free text, no identifiers           |
 *
 * Pseudonymized answers are built from allow-lists: a field that is not
 * known to be free of personal data is hidden (free text) or dropped (a new
 * top-level field), so a field added to the profile or to a touchpoint's
 * `data` tomorrow is hidden by default instead of shown. What the
 * pseudonymized roles may still filter or aggregate by is decided in
 * oracles.ts, at the granularity shown here.
 *
 * Masking keeps the shape of every known field (same names, same types) so
 * the UI and clients need no second code path.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Role } from '../../../domain/src/api';
import type {
  AnalyticsAnswer,
  AnalyticsQuery,
  AggregationResult,
  Aggregation,
} from '../../../domain/src/analytics/query-schema';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import type { IdentityValue, Profile, SearchAnswer, SearchItem } from '../../../domain/src/profile';
import { AppError } from '../errors';

export type Exposure = 'full' | 'minimal' | 'pseudonymized';

/** How much a role sees in a list of customers. */
export function listExposure(role: Role): Exposure {
  if (role === 'admin') return 'full';
  if (role === 'agent') return 'minimal';
  return 'pseudonymized';
}

/** How much a role sees of the one customer it opened. */
export function recordExposure(role: Role): Exposure {
  return role === 'admin' || role === 'agent' ? 'full' : 'pseudonymized';
}

/** `anna.schmidt@example.de` → `a***@example.de`: what an agent's list shows to confirm a caller. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `anna.schmidt@example.de` → `a***@***`: a small company's domain names the person as well as the name does. */
export function pseudonymizeEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  return email.lastIndexOf('@') < 1 ? '***' : `${email[0]}***@***`;
}

/** `+49 170 1234567` → `***4567`: the last digits, as callers confirm them. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 ? `***${digits.slice(-4)}` : '***';
}

/** `K-102934` → `***934` */
export function maskNumber(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  return value.length > 4 ? `***${value.slice(-3)}` : '***';
}

/** Any identifier, for roles that never need to confirm one: nothing of it is kept. */
export function hideValue(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  return '***';
}

/** `Anna Maria Schmidt` → `A. M. S.` */
export function initials(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const parts = name.split(/[\s-]+/u).filter(Boolean);
  if (parts.length === 0) return '***';
  return parts.map((p) => `${[...p][0]?.toUpperCase() ?? ''}.`).join(' ');
}

/** Free text may name people or places: only its length is kept. */
export function hideText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return text ?? null;
  return `[hidden: ${[...text].length} characters]`;
}

/** `80331` → `80***`: the region, not the street block. */
export function maskPostalCode(code: string | null | undefined): string | null {
  if (!code) return code ?? null;
  return `${code.slice(0, 2)}***`;
}

/** `1985-04-12` → `1985` */
export function birthYear(date: string | null | undefined): string | null {
  if (!date) return date ?? null;
  return date.slice(0, 4);
}

// A secret of the installation: pseudonyms of touchpoint keys are stable (so the same record has the
// same pseudonym in the profile's identity links and in the timeline, on every API process and after a
// restart), cannot be reversed by hashing guessed order or ticket numbers, and only the installation can
// open them again (a masked role opens a touchpoint by the pseudonym it was shown, never by its number).
// Random until the app sets it from the secret that signs the login tokens (usePseudonymSecret).
let secret = randomBytes(32);
let macKey = createHmac('sha256', secret).update('touchpoint-pseudonym-mac').digest();
let encKey = createHmac('sha256', secret).update('touchpoint-pseudonym-enc').digest();

/** Derives the pseudonym and cursor keys from the installation's secret (the same on every API process). */
export function usePseudonymSecret(installationSecret: string): void {
  secret = createHmac('sha256', installationSecret).update('panorama-pseudonyms').digest();
  macKey = createHmac('sha256', secret).update('touchpoint-pseudonym-mac').digest();
  encKey = createHmac('sha256', secret).update('touchpoint-pseudonym-enc').digest();
}
const pseudonymPrefix = 'tp_';
/** Keys are padded to a multiple of this, so a pseudonym does not tell the length of the number inside. */
const padTo = 32;

/**
 * A touchpoint id as masked roles see it: `tp_` and a deterministic
 * authenticated encryption of its key (synthetic IV: an HMAC of the key
 * is the counter block, checked again when opened).
 */
export function pseudonymOf(key: string): string {
  const plain = Buffer.from(key, 'utf8');
  const padded = Buffer.alloc(Math.ceil((plain.length + 1) / padTo) * padTo);
  plain.copy(padded);
  const iv = createHmac('sha256', macKey).update(padded).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', encKey, iv);
  return (
    pseudonymPrefix +
    Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString('base64url')
  );
}

/** The key behind a pseudonym of this server, or null for anything else. */
export function keyOfPseudonym(pseudonym: string): string | null {
  if (!pseudonym.startsWith(pseudonymPrefix)) return null;
  const raw = Buffer.from(pseudonym.slice(pseudonymPrefix.length), 'base64url');
  if (raw.length < 16 + padTo || (raw.length - 16) % padTo !== 0) return null;
  const iv = raw.subarray(0, 16);
  const decipher = createDecipheriv('aes-256-ctr', encKey, iv);
  const padded = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]);
  const expected = createHmac('sha256', macKey).update(padded).digest().subarray(0, 16);
  if (!timingSafeEqual(iv, expected)) return null;
  const end = padded.indexOf(0);
  return padded.subarray(0, end === -1 ? padded.length : end).toString('utf8');
}

/**
 * The touchpoint id a request names, as the repository reads it. Masked
 * roles name touchpoints by the pseudonym they were shown; a real id (often
 * an order or ticket number) would let them probe which numbers exist and
 * whose they are. Null: no touchpoint of this source behind the pseudonym.
 */
export function openTouchpointId(source: string, id: string, exposure: Exposure): string | null {
  if (exposure === 'full') return id;
  if (!id.startsWith(pseudonymPrefix)) {
    throw new AppError(
      403,
      'forbidden',
      'Your role sees touchpoints pseudonymized: open one by the id shown in its timeline (tp_…), not by its number in the source system.',
      [{ path: 'id', message: 'not allowed for your role' }],
    );
  }
  const key = keyOfPseudonym(id);
  return key && key.startsWith(`${source}:`) ? key.slice(source.length + 1) : null;
}

/** `crm:T-2026-0042` → `crm:tp_3f…`: the source stays, the id (often an order or ticket number) does not. */
export function pseudonymizeKey(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? pseudonymOf(key) : `${key.slice(0, colon)}:${pseudonymOf(key)}`;
}

const contactLabels = new Set(['email', 'phone']);
const mark = /<\/?mark>/g;

/** Facets of the search answer that count values shown to every role; any other facet is dropped for masked roles. */
export const shownSearchFacets = new Set([
  'segment',
  'status',
  'city',
  'country',
  'language',
  'channels',
  'products',
  'tags',
  'sources',
  'segments',
]);

export function maskSearchItem(item: SearchItem, exposure: Exposure): SearchItem {
  if (exposure === 'full') return item;
  if (exposure === 'minimal') {
    const highlight: Record<string, string[]> = {};
    for (const [label, fragments] of Object.entries(item.highlight ?? {})) {
      highlight[label] = contactLabels.has(label)
        ? fragments.map(
            (f) =>
              `<mark>${(label === 'email' ? maskEmail : maskPhone)(f.replace(mark, ''))}</mark>`,
          )
        : fragments;
    }
    return { ...item, email: maskEmail(item.email), phone: maskPhone(item.phone), highlight };
  }
  return {
    id: item.id,
    name: initials(item.name) ?? '',
    email: pseudonymizeEmail(item.email),
    phone: hideValue(item.phone),
    city: item.city,
    customerNumber: hideValue(item.customerNumber),
    segment: item.segment,
    score: item.score,
    highlight: {},
  };
}

export function maskSearchAnswer(answer: SearchAnswer, exposure: Exposure): SearchAnswer {
  if (exposure === 'full') return answer;
  const items = answer.items.map((item) => maskSearchItem(item, exposure));
  if (exposure === 'minimal') return { ...answer, items };
  // Facets are counts over coarse values (city, segment, product); a facet not known to be coarse is left out.
  const facets = Object.fromEntries(
    Object.entries(answer.facets ?? {}).filter(([name]) => shownSearchFacets.has(name)),
  );
  return { total: answer.total, tookMs: answer.tookMs, items, facets };
}

function maskIdentity(
  values: IdentityValue[],
  mask: (v: string) => string | null,
): IdentityValue[] {
  return values.map((v) => ({
    value: mask(v.value) ?? '***',
    original: mask(v.original) ?? '***',
    current: v.current,
    seenIn: (v.seenIn ?? []).map(pseudonymizeKey),
    lastSeenAt: v.lastSeenAt,
    valid: v.valid,
  }));
}

/** Original writings are masked like the values beside them; city and country stay, as in the address. */
function maskOriginals(originals: Profile['originals']): Profile['originals'] {
  if (!originals) return originals;
  const out: NonNullable<Profile['originals']> = {};
  for (const [field, value] of Object.entries(originals) as [
    keyof NonNullable<Profile['originals']>,
    { original: string; valid: boolean },
  ][]) {
    if (!value) continue;
    let original: string;
    if (field === 'city' || field === 'country') original = value.original;
    else if (field === 'firstName' || field === 'lastName')
      original = initials(value.original) ?? '***';
    else if (field === 'postalCode') original = maskPostalCode(value.original) ?? '***';
    else original = '***';
    out[field] = { original, valid: value.valid };
  }
  return out;
}

/**
 * Sources of shown values: the touchpoint key pseudonymized. Sources of
 * identifiers are keyed by the identifier: keyed by its masked form, as the
 * lists show it (several masked identifiers share one key).
 */
function maskFieldSources(sources: Profile['fieldSources']): Profile['fieldSources'] {
  if (!sources) return sources;
  return Object.fromEntries(
    Object.entries(sources).map(([field, source]) => {
      const masked = {
        source: source.source,
        key: pseudonymizeKey(source.key),
        occurredAt: source.occurredAt,
      };
      const colon = field.indexOf(':');
      return [colon === -1 ? field : `${field.slice(0, colon)}:***`, masked];
    }),
  );
}

/** KPI fields that are strings and carry no free text; any other string KPI is hidden. */
const plainStringKpis = new Set([
  'currency',
  'firstOrderAt',
  'lastOrderAt',
  'lastContactAt',
  'nextContractEnd',
]);

function maskKpis(kpis: Profile['kpis']): Profile['kpis'] {
  if (!kpis) return kpis;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(kpis)) {
    out[name] = typeof value === 'string' && !plainStringKpis.has(name) ? hideText(value) : value;
  }
  return out as unknown as Profile['kpis'];
}

/** A private customer's company (a person's employer) says who they are; an account without a person's name is the company itself. */
function isPerson(ref: { firstName?: string | null; lastName?: string | null }): boolean {
  return Boolean(ref.firstName || ref.lastName);
}

/**
 * Profile fields shown to pseudonymized roles as they are: facts, KPIs built
 * from them, coarse classifications and ids that are pseudonyms already.
 * Everything else is masked below or dropped.
 */
const shownProfileFields = [
  'id',
  'segment',
  'status',
  'language',
  'tags',
  'channels',
  'contacts',
  'products',
  'categories',
  'preferredSalesChannel',
  'consents',
  'campaigns',
  'segments',
  'consentGranted',
  'openTicketPriorities',
  'sources',
  'mergedFrom',
  'firstSeenAt',
  'lastSeenAt',
  'updatedAt',
  'asOf',
] as const;

export function maskProfile(profile: Profile, exposure: Exposure): Profile {
  if (exposure === 'full') return profile;
  const shown: Record<string, unknown> = {};
  for (const field of shownProfileFields)
    if (field in profile) shown[field] = (profile as unknown as Record<string, unknown>)[field];
  const masked: Profile = {
    ...(shown as unknown as Profile),
    name: initials(profile.name) ?? '',
    firstName: initials(profile.firstName),
    lastName: initials(profile.lastName),
    company: isPerson(profile) ? initials(profile.company) : (profile.company ?? null),
    birthDate: null,
    address: profile.address
      ? {
          street: hideValue(profile.address.street),
          postalCode: maskPostalCode(profile.address.postalCode),
          city: profile.address.city ?? null,
          country: profile.address.country ?? null,
          source: profile.address.source,
        }
      : null,
    emails: maskIdentity(profile.emails ?? [], pseudonymizeEmail),
    phones: maskIdentity(profile.phones ?? [], hideValue),
    customerNumbers: (profile.customerNumbers ?? []).map(() => '***'),
    externalIds: (profile.externalIds ?? []).map(() => '***'),
    kpis: maskKpis(profile.kpis),
    recentOrders: (profile.recentOrders ?? []).map((o) => ({
      key: pseudonymizeKey(o.key),
      orderNumber: '***',
      occurredAt: o.occurredAt,
      status: o.status,
      total: o.total,
      currency: o.currency,
      channel: o.channel,
      itemCount: o.itemCount,
      items: (o.items ?? []).map((i) => ({
        sku: i.sku,
        name: i.name,
        category: i.category,
        quantity: i.quantity,
      })),
      shipping: o.shipping
        ? {
            carrier: o.shipping.carrier,
            trackingNumber: hideValue(o.shipping.trackingNumber),
            status: o.shipping.status,
          }
        : null,
    })),
    openTickets: (profile.openTickets ?? []).map((t) => ({
      key: pseudonymizeKey(t.key),
      ticketNumber: '***',
      subject: hideText(t.subject) ?? '',
      status: t.status,
      priority: t.priority,
      category: t.category,
      channel: t.channel,
      complaint: t.complaint,
      openedAt: t.openedAt,
      updatedAt: t.updatedAt,
    })),
    pinnedNotes: (profile.pinnedNotes ?? []).map((n) => ({
      key: pseudonymizeKey(n.key),
      text: hideText(n.text) ?? '',
      author: initials(n.author),
      occurredAt: n.occurredAt,
    })),
    contracts: (profile.contracts ?? []).map((c) => ({
      key: pseudonymizeKey(c.key),
      contractNumber: '***',
      product: c.product,
      status: c.status,
      startDate: c.startDate,
      endDate: c.endDate,
      monthlyFee: c.monthlyFee,
      currency: c.currency,
      options: c.options,
      cancellationRequestedAt: c.cancellationRequestedAt,
    })),
  };
  if (profile.identityLinks) {
    masked.identityLinks = profile.identityLinks.map((l) => ({
      kind: l.kind,
      value: (l.kind === 'email' ? pseudonymizeEmail(l.value) : hideValue(l.value)) ?? '***',
      records: (l.records ?? []).map(pseudonymizeKey),
      sources: l.sources,
      current: l.current,
    }));
  }
  if (profile.originals) masked.originals = maskOriginals(profile.originals);
  if (profile.fieldSources) masked.fieldSources = maskFieldSources(profile.fieldSources);
  // Duplicate and match keys are built from name, birth date, address and contacts: only whether there are any stays.
  if (profile.quality) {
    const { matchNames: _names, ...quality } = profile.quality;
    masked.quality = {
      ...quality,
      duplicateKeys: quality.duplicateKeys.map(() => '***'),
      ...(quality.matchKeys ? { matchKeys: quality.matchKeys.map(() => '***') } : {}),
    };
  }
  return masked;
}

/**
 * Fields of `data` free of personal data, per touchpoint type: shown to
 * pseudonymized roles. Every other field is hidden (free text, numbers of
 * orders, tickets and contracts, and whatever a source sends beyond the
 * contract).
 */
const shownDataFields: Record<string, readonly string[]> = {
  profile: ['segment', 'status', 'language', 'tags'],
  order: ['status', 'total', 'currency', 'channel'],
  ticket: ['status', 'priority', 'category', 'channel', 'complaint'],
  email: ['direction'],
  call: ['direction', 'durationSec'],
  note: ['pinned'],
  campaign_response: ['campaignId', 'campaignName', 'channel', 'action'],
  web_session: ['pages', 'durationSec', 'device', 'utmSource', 'converted'],
  survey: ['kind', 'score'],
  contract: [
    'product',
    'status',
    'startDate',
    'endDate',
    'monthlyFee',
    'currency',
    'options',
    'cancellationRequestedAt',
  ],
  consent: ['channel', 'granted', 'purpose'],
  appointment: ['startsAt', 'status'],
};
const shownOrderItemFields = ['sku', 'name', 'category', 'quantity', 'unitPrice'];
const shownShippingFields = ['carrier', 'status'];

function hidden(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  return typeof value === 'string' ? hideText(value) : '[hidden]';
}

function keepOnly(
  record: Record<string, unknown>,
  shown: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, shown.includes(k) ? v : hidden(v)]),
  );
}

function maskData(
  type: string | undefined,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const out = keepOnly(data, shownDataFields[type ?? ''] ?? []);
  if (type === 'order') {
    if (Array.isArray(data.items))
      out.items = data.items.map((i) =>
        i && typeof i === 'object'
          ? keepOnly(i as Record<string, unknown>, shownOrderItemFields)
          : hidden(i),
      );
    if (data.shipping && typeof data.shipping === 'object') {
      const shipping = keepOnly(data.shipping as Record<string, unknown>, shownShippingFields);
      // Kept as a field (masked) so the UI shows that the order has a tracking number, as the profile does.
      if ('trackingNumber' in shipping)
        shipping.trackingNumber = hideValue(
          String((data.shipping as Record<string, unknown>).trackingNumber ?? ''),
        );
      out.shipping = shipping;
    }
  }
  return out;
}

function maskCustomerRef(customer: Record<string, unknown>): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const address = customer.address as Record<string, unknown> | null | undefined;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(customer)) {
    if (value === null || value === undefined) out[field] = value;
    else if (field === 'email') out[field] = pseudonymizeEmail(text(value));
    else if (field === 'firstName' || field === 'lastName') out[field] = initials(text(value));
    else if (field === 'company')
      out[field] = isPerson(customer as { firstName?: string; lastName?: string })
        ? initials(text(value))
        : value;
    else if (field === 'birthDate') out[field] = null;
    else if (field === 'address' && address && typeof address === 'object') {
      out[field] = {
        ...(address.street !== undefined ? { street: hideValue(text(address.street)) } : {}),
        ...(address.postalCode !== undefined
          ? { postalCode: maskPostalCode(text(address.postalCode)) }
          : {}),
        ...(address.city !== undefined ? { city: address.city } : {}),
        ...(address.country !== undefined ? { country: address.country } : {}),
      };
    } else out[field] = '***';
  }
  return out;
}

/** Touchpoint fields shown as they are; `id`, `key`, `customer`, `data` and `identityKeys` are masked, any other field dropped. */
const shownTouchpointFields = [
  'source',
  'type',
  'occurredAt',
  'version',
  'deleted',
  'customerId',
  'channel',
  'direction',
  'indexedAt',
];

export function maskTouchpoint<T extends Partial<StoredTouchpoint>>(tp: T, exposure: Exposure): T {
  if (exposure === 'full') return tp;
  const out: Record<string, unknown> = {};
  for (const field of shownTouchpointFields)
    if (field in tp) out[field] = (tp as Record<string, unknown>)[field];
  const key = tp.key ?? (tp.source && tp.id ? `${tp.source}:${tp.id}` : null);
  if ('id' in tp) out.id = key ? pseudonymOf(key) : '***';
  if ('key' in tp) out.key = key ? pseudonymizeKey(key) : '***';
  if ('customer' in tp)
    out.customer = tp.customer
      ? maskCustomerRef(tp.customer as Record<string, unknown>)
      : tp.customer;
  if ('data' in tp)
    out.data = tp.data ? maskData(tp.type, tp.data as Record<string, unknown>) : tp.data;
  if ('identityKeys' in tp) out.identityKeys = [];
  return out as T;
}

/** One page of a timeline: items masked and the cursor sealed (it holds the last item's key). */
export function maskTimelineAnswer<
  T extends { items: Partial<StoredTouchpoint>[]; next: string | null },
>(answer: T, exposure: Exposure): T {
  if (exposure === 'full') return answer;
  return {
    ...answer,
    items: answer.items.map((tp) => maskTouchpoint(tp, exposure)),
    next: answer.next === null ? null : sealCursor(answer.next),
  };
}

const sealedPrefix = 's.';

function sealCursor(cursor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const body = Buffer.concat([cipher.update(cursor, 'utf8'), cipher.final()]);
  return sealedPrefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/**
 * The `before` of a timeline request as the repository reads it. Masked
 * roles get sealed cursors (the plain one names a touchpoint key); they may
 * send back one of those or a timestamp, nothing else — a cursor they made
 * up would let them probe keys by where the page starts.
 */
export function openTimelineCursor(before: string | null, exposure: Exposure): string | null {
  if (exposure === 'full' || before === null || before === '') return before;
  const invalid = () =>
    new AppError(
      400,
      'invalid_request',
      'before must be the `next` of an earlier timeline page or an ISO-8601 timestamp.',
      [{ path: 'before', message: 'is not a cursor of this server nor a timestamp' }],
    );
  if (!before.startsWith(sealedPrefix)) {
    if (
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(before) &&
      !Number.isNaN(Date.parse(before))
    )
      return before;
    throw invalid();
  }
  try {
    const raw = Buffer.from(before.slice(sealedPrefix.length), 'base64url');
    if (raw.length < 29) throw invalid();
    const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw invalid();
  }
}

/**
 * Analytics columns shown to pseudonymized roles as they are; masked ones
 * are masked below; any other column (one added tomorrow) is hidden.
 */
const shownColumns = new Set([
  'id',
  'segment',
  'segments',
  'status',
  'language',
  'tags',
  'channels',
  'products',
  'categories',
  'preferredSalesChannel',
  'sources',
  'consentGranted',
  'openTicketPriorities',
  'address.city',
  'address.country',
  'kpis.currency',
  'kpis.lifetimeValue',
  'kpis.orderCount',
  'kpis.averageOrderValue',
  'kpis.returnCount',
  'kpis.openTickets',
  'kpis.complaints12m',
  'kpis.activeContracts',
  'kpis.monthlyRevenue',
  'kpis.cancellations12m',
  'kpis.lastNps',
  'kpis.lastCsat',
  'kpis.touchpointCount',
  'kpis.firstOrderAt',
  'kpis.lastOrderAt',
  'kpis.lastContactAt',
  'kpis.nextContractEnd',
  'firstSeenAt',
  'lastSeenAt',
  'updatedAt',
]);

/** A row of the analytics table, the migration list or the CSV export: personal columns masked like list items. */
export function maskAnalyticsRow<T extends Record<string, unknown>>(row: T, exposure: Exposure): T {
  if (exposure === 'full') return row;
  const out: Record<string, unknown> = { ...row };
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  if (exposure === 'minimal') {
    if ('email' in out) out.email = maskEmail(text(out.email));
    if ('phone' in out) out.phone = maskPhone(text(out.phone));
    if ('birthDate' in out) out.birthDate = birthYear(text(out.birthDate));
    if ('address.postalCode' in out)
      out['address.postalCode'] = maskPostalCode(text(out['address.postalCode']));
    return out as T;
  }
  for (const [column, value] of Object.entries(row)) {
    if (value === null || value === undefined || shownColumns.has(column)) continue;
    if (column === 'name') out.name = initials(text(value));
    else if (column === 'email') out.email = pseudonymizeEmail(text(value));
    else if (column === 'birthDate') out.birthDate = birthYear(text(value));
    else if (column === 'address.postalCode') out[column] = maskPostalCode(text(value));
    // A row does not tell whether the customer is a person: the company is shown as initials, like a name.
    else if (column === 'company') out.company = initials(text(value));
    else out[column] = Array.isArray(value) ? value.map(() => '***') : '***';
  }
  return out as T;
}

/** How a bucket key of an aggregation over a masked field is shown; fields not listed are shown as they are. */
const bucketMasks: Record<string, (key: string) => string> = {
  'address.postalCode': (k) => maskPostalCode(k) ?? '***',
  company: (k) => initials(k) ?? '***',
  birthDate: (k) => birthYear(k) ?? '***',
};

function maskAggregation(
  agg: Aggregation | undefined,
  result: AggregationResult,
): AggregationResult {
  const field = agg && 'field' in agg ? agg.field : undefined;
  const sub = agg && 'aggs' in agg ? agg.aggs : undefined;
  const maskSub = (aggs: Record<string, AggregationResult> | undefined) =>
    aggs ? maskAggregations(sub, aggs) : aggs;
  switch (result.type) {
    case 'buckets': {
      // Range buckets are keyed by the request's own bounds; terms and histograms by values of the field.
      const mask =
        field && (agg?.type === 'terms' || agg?.type === 'dateHistogram')
          ? bucketMasks[field]
          : undefined;
      return {
        ...result,
        buckets: result.buckets.map((b) => ({
          ...b,
          ...(mask
            ? { key: mask(String(b.label ?? b.key)), label: mask(String(b.label ?? b.key)) }
            : {}),
          ...(b.aggs ? { aggs: maskSub(b.aggs) } : {}),
        })),
      };
    }
    case 'filter':
      return { ...result, ...(result.aggs ? { aggs: maskSub(result.aggs) } : {}) };
    case 'stats':
      // Minimum and maximum of a masked field are single values of it.
      return field && bucketMasks[field]
        ? { ...result, min: null, max: null, avg: null, sum: 0 }
        : result;
    case 'percentiles':
    case 'value':
      return field && bucketMasks[field]
        ? result.type === 'value'
          ? { ...result, value: null }
          : { ...result, values: {} }
        : result;
  }
}

function maskAggregations(
  requested: Record<string, Aggregation> | undefined,
  results: Record<string, AggregationResult>,
): Record<string, AggregationResult> {
  return Object.fromEntries(
    Object.entries(results).map(([name, result]) => [
      name,
      maskAggregation(requested?.[name], result),
    ]),
  );
}

/**
 * The analytics answer: rows masked, and bucket keys of aggregations over
 * masked fields shown at the granularity of the rows (postal region, initials,
 * birth year). oracles.ts refuses those aggregations to masked roles in the
 * first place; this is the second line. Without the request the aggregation
 * fields are unknown and every aggregation result is kept as counted.
 */
export function maskAnalyticsAnswer(
  answer: AnalyticsAnswer,
  exposure: Exposure,
  request?: AnalyticsQuery,
): AnalyticsAnswer {
  if (exposure === 'full') return answer;
  return {
    ...answer,
    aggs:
      exposure === 'pseudonymized'
        ? maskAggregations(request?.aggs, answer.aggs ?? {})
        : answer.aggs,
    ...(answer.items ? { items: answer.items.map((row) => maskAnalyticsRow(row, exposure)) } : {}),
  };
}

/** The customers behind a cell of the segment migration matrix. */
export function maskMigrationCustomers<
  T extends { items: { id: string; name: string; segment: string | null }[] },
>(answer: T, exposure: Exposure): T {
  if (exposure === 'full') return answer;
  return {
    ...answer,
    items: answer.items.map((i) => ({
      id: i.id,
      name: exposure === 'minimal' ? i.name : (initials(i.name) ?? ''),
      segment: i.segment,
    })),
  };
}

/** Who looked at a customer: colleagues' names are personal data too; masked roles see the role and when. */
export function maskViewers<T extends { actor: string; role: string; action: string; at: string }>(
  items: T[],
  exposure: Exposure,
): T[] {
  if (exposure !== 'pseudonymized') return items;
  return items.map((v) => ({ ...v, actor: '***' }));
}
