/**
 * What each role may see of a customer's personal data, enforced on the
 * server before an answer leaves it (each route's policy applies these, see route-policy.ts):
 *
 * | role             | lists (search, explore)                    | one customer (profile, timeline, touchpoint) |
 * | ---------------- | ------------------------------------------ | -------------------------------------------- |
 * | admin            | everything                                 | everything                                   |
 * | agent            | name, number, city; email/phone masked     | everything (they serve this person)          |
 * | manager, analyst | pseudonymized: initials, masked contacts   | masked: KPIs and facts, no contact data,     |
 * |                  | no highlights, no customer number          | no free text that may name people            |
 *
 * Masking keeps the shape of every answer (same fields, same types) so the
 * UI and clients need no second code path.
 */
import type { Role } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import type { IdentityValue, Profile, SearchAnswer, SearchItem } from '../../../domain/src/profile';

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

/** `anna.schmidt@example.de` → `a***@example.de` */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
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

const contactLabels = new Set(['email', 'phone']);
const mark = /<\/?mark>/g;

export function maskSearchItem(item: SearchItem, exposure: Exposure): SearchItem {
  if (exposure === 'full') return item;
  if (exposure === 'minimal') {
    const highlight: Record<string, string[]> = {};
    for (const [label, fragments] of Object.entries(item.highlight ?? {})) {
      highlight[label] = contactLabels.has(label)
        ? fragments.map((f) => `<mark>${(label === 'email' ? maskEmail : maskPhone)(f.replace(mark, ''))}</mark>`)
        : fragments;
    }
    return { ...item, email: maskEmail(item.email), phone: maskPhone(item.phone), highlight };
  }
  return {
    ...item,
    name: initials(item.name) ?? '',
    email: maskEmail(item.email),
    phone: maskPhone(item.phone),
    customerNumber: maskNumber(item.customerNumber),
    highlight: {},
  };
}

export function maskSearchAnswer(answer: SearchAnswer, exposure: Exposure): SearchAnswer {
  if (exposure === 'full') return answer;
  // Facets are counts over coarse values (city, segment, product): they stay.
  return { ...answer, items: answer.items.map((item) => maskSearchItem(item, exposure)) };
}

function maskIdentity(values: IdentityValue[], mask: (v: string) => string | null): IdentityValue[] {
  return values.map((v) => ({ ...v, value: mask(v.value) ?? '***', original: mask(v.original) ?? '***' }));
}

/** Original writings are masked like the values beside them; city and country stay, as in the address. */
function maskOriginals(originals: Profile['originals']): Profile['originals'] {
  if (!originals) return originals;
  const out: NonNullable<Profile['originals']> = { ...originals };
  if (out.firstName) out.firstName = { ...out.firstName, original: initials(out.firstName.original) ?? '***' };
  if (out.lastName) out.lastName = { ...out.lastName, original: initials(out.lastName.original) ?? '***' };
  if (out.street) out.street = { ...out.street, original: '***' };
  if (out.postalCode) out.postalCode = { ...out.postalCode, original: `${out.postalCode.original.slice(0, 2)}***` };
  return out;
}

/** Sources of identifiers are keyed by the identifier: keyed by its masked form, as the lists show it. */
function maskFieldSources(sources: Profile['fieldSources']): Profile['fieldSources'] {
  if (!sources) return sources;
  return Object.fromEntries(
    Object.entries(sources).map(([field, source]) => {
      const colon = field.indexOf(':');
      if (colon === -1) return [field, source];
      return [`${field.slice(0, colon)}:${maskNumber(field.slice(colon + 1)) ?? '***'}`, source];
    }),
  );
}

export function maskProfile(profile: Profile, exposure: Exposure): Profile {
  if (exposure === 'full') return profile;
  return {
    ...profile,
    name: initials(profile.name) ?? '',
    firstName: initials(profile.firstName),
    lastName: initials(profile.lastName),
    birthDate: null,
    address: profile.address
      ? { ...profile.address, street: profile.address.street ? '***' : null, postalCode: profile.address.postalCode ? `${profile.address.postalCode.slice(0, 2)}***` : null }
      : null,
    emails: maskIdentity(profile.emails ?? [], maskEmail),
    phones: maskIdentity(profile.phones ?? [], maskPhone),
    customerNumbers: (profile.customerNumbers ?? []).map((n) => maskNumber(n) ?? '***'),
    externalIds: (profile.externalIds ?? []).map((n) => maskNumber(n) ?? '***'),
    kpis: profile.kpis ? { ...profile.kpis, lastNpsComment: hideText(profile.kpis.lastNpsComment) } : profile.kpis,
    recentOrders: (profile.recentOrders ?? []).map((o) => ({
      ...o,
      shipping: o.shipping ? { ...o.shipping, trackingNumber: maskNumber(o.shipping.trackingNumber) } : null,
    })),
    pinnedNotes: (profile.pinnedNotes ?? []).map((n) => ({ ...n, text: hideText(n.text) ?? '' })),
    identityLinks: profile.identityLinks?.map((l) => ({
      ...l,
      value: (l.kind === 'email' ? maskEmail(l.value) : l.kind === 'phone' ? maskPhone(l.value) : maskNumber(l.value)) ?? '***',
    })),
    originals: maskOriginals(profile.originals),
    fieldSources: maskFieldSources(profile.fieldSources),
    // Duplicate keys are built from name, birth date and address: only whether there are any stays.
    quality: profile.quality ? { ...profile.quality, duplicateKeys: profile.quality.duplicateKeys.map(() => '***') } : profile.quality,
  };
}

/** Fields of `data` that carry free text or contact data, per touchpoint type. */
const freeTextFields: Record<string, string[]> = {
  note: ['text'],
  email: ['snippet', 'subject'],
  ticket: ['description'],
  survey: ['comment'],
  call: ['agent'],
};

export function maskTouchpoint<T extends Partial<StoredTouchpoint>>(tp: T, exposure: Exposure): T {
  if (exposure === 'full') return tp;
  const customer = tp.customer
    ? {
        ...tp.customer,
        email: maskEmail(tp.customer.email),
        phone: maskPhone(tp.customer.phone),
        firstName: initials(tp.customer.firstName),
        lastName: initials(tp.customer.lastName),
        birthDate: tp.customer.birthDate ? null : tp.customer.birthDate,
        customerNumber: maskNumber(tp.customer.customerNumber),
        externalId: maskNumber(tp.customer.externalId),
        address: tp.customer.address
          ? {
              ...tp.customer.address,
              street: tp.customer.address.street ? '***' : tp.customer.address.street,
              postalCode: tp.customer.address.postalCode ? `${tp.customer.address.postalCode.slice(0, 2)}***` : tp.customer.address.postalCode,
            }
          : tp.customer.address,
      }
    : tp.customer;
  const data = tp.data ? { ...(tp.data as Record<string, unknown>) } : tp.data;
  if (data && tp.type) {
    for (const field of freeTextFields[tp.type] ?? []) {
      if (typeof data[field] === 'string') data[field] = hideText(data[field] as string);
    }
    const shipping = data.shipping as Record<string, unknown> | undefined;
    if (shipping && typeof shipping.trackingNumber === 'string') data.shipping = { ...shipping, trackingNumber: maskNumber(shipping.trackingNumber) };
  }
  return { ...tp, customer, data, identityKeys: tp.identityKeys ? [] : tp.identityKeys } as T;
}

/** A row of the analytics table or CSV export (issue 5): personal columns masked like list items. */
export function maskAnalyticsRow<T extends Record<string, unknown>>(row: T, exposure: Exposure): T {
  if (exposure === 'full') return row;
  const out: Record<string, unknown> = { ...row };
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  if ('name' in out) out.name = exposure === 'minimal' ? out.name : initials(text(out.name));
  if ('email' in out) out.email = maskEmail(text(out.email));
  if ('phone' in out) out.phone = maskPhone(text(out.phone));
  if ('customerNumber' in out && exposure === 'pseudonymized') out.customerNumber = maskNumber(text(out.customerNumber));
  if ('birthDate' in out) out.birthDate = typeof out.birthDate === 'string' ? out.birthDate.slice(0, 4) : out.birthDate;
  if ('address.postalCode' in out && typeof out['address.postalCode'] === 'string') out['address.postalCode'] = `${(out['address.postalCode'] as string).slice(0, 2)}***`;
  return out as T;
}

/** The analytics answer: its rows masked like list items. */
export function maskAnalyticsAnswer<T extends { items?: Record<string, unknown>[] }>(answer: T, exposure: Exposure): T {
  if (exposure === 'full' || !answer.items) return answer;
  return { ...answer, items: answer.items.map((row) => maskAnalyticsRow(row, exposure)) };
}
