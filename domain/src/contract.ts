/**
 * The public touchpoint contract (shared/CONTRACT.md) as zod schemas: the single
 * source of the types used by server, indexers and web.
 *
 * Each touchpoint type has its own `data` schema; unknown extra fields in `data`
 * are kept (`.passthrough()`-like `looseObject`), never an error.
 */
import { z } from 'zod';
import { identityKeys } from './identity-keys';

/**
 * An ISO-8601 timestamp Elasticsearch can also read: its date fields take at
 * most 9 fraction digits (nanoseconds) and a zone offset up to ±18:00, so a
 * timestamp beyond either is refused here rather than failing to be stored.
 */
const isoDateTime = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 timestamp with a zone, e.g. 2026-10-02T14:12:00Z',
  })
  .refine((v) => !/\.\d{10,}/.test(v), { message: 'must have at most 9 digits after the seconds' })
  .refine((v) => offsetMinutes(v) <= 18 * 60, {
    message: 'must have a zone offset between -18:00 and +18:00',
  });

function offsetMinutes(timestamp: string): number {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(timestamp);
  return offset ? Number(offset[2]) * 60 + Number(offset[3]) : 0;
}
const isoDate = z.iso.date({ message: 'must be a date like 2026-10-02' });
/** A date or a timestamp: contracts and birth dates come both ways from real systems. */
const dateOrDateTime = z.union([isoDate, isoDateTime], {
  message: 'must be a date (2026-10-02) or an ISO-8601 timestamp',
});
const money = z.number().finite().min(-1e9).max(1e9);
const shortText = z.string().max(500);
const longText = z.string().max(20_000);
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code like EUR');

export const addressSchema = z.object({
  street: shortText.nullish(),
  postalCode: z.string().max(20).nullish(),
  city: shortText.nullish(),
  country: z.string().max(60).nullish(),
});

export const customerRefSchema = z
  .object({
    customerNumber: z.string().min(1).max(100).nullish(),
    externalId: z.string().min(1).max(200).nullish(),
    email: z.string().max(320).nullish(),
    phone: z.string().max(60).nullish(),
    firstName: shortText.nullish(),
    lastName: shortText.nullish(),
    company: shortText.nullish(),
    birthDate: isoDate.nullish(),
    address: addressSchema.nullish(),
  })
  .refine((c) => Boolean(c.customerNumber || c.externalId || c.email || c.phone), {
    message: 'needs at least one of customerNumber, externalId, email, phone',
  });

export const touchpointTypes = [
  'profile',
  'order',
  'ticket',
  'email',
  'call',
  'note',
  'campaign_response',
  'web_session',
  'survey',
  'contract',
  'consent',
  'appointment',
] as const;
export type TouchpointType = (typeof touchpointTypes)[number];

const direction = z.enum(['inbound', 'outbound']);

export const dataSchemas = {
  profile: z.looseObject({
    segment: shortText.nullish(),
    status: shortText.nullish(),
    language: z.string().max(20).nullish(),
    tags: z.array(z.string().max(100)).max(100).nullish(),
  }),
  order: z.looseObject({
    orderNumber: z.string().min(1).max(100),
    status: z.enum(['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned']).nullish(),
    total: money,
    currency,
    channel: z.enum(['web', 'store', 'phone', 'app']).nullish(),
    items: z
      .array(
        z.looseObject({
          sku: z.string().max(100).nullish(),
          name: shortText.nullish(),
          category: shortText.nullish(),
          quantity: z.number().finite().min(0).max(1e6).nullish(),
          unitPrice: money.nullish(),
        }),
      )
      .max(1000)
      .nullish(),
    shipping: z
      .looseObject({
        carrier: shortText.nullish(),
        trackingNumber: z.string().max(100).nullish(),
        status: shortText.nullish(),
      })
      .nullish(),
  }),
  ticket: z.looseObject({
    ticketNumber: z.string().min(1).max(100),
    subject: z.string().min(1).max(1000),
    description: longText.nullish(),
    status: z.enum(['open', 'pending', 'solved', 'closed']),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).nullish(),
    category: shortText.nullish(),
    channel: z.enum(['phone', 'email', 'chat', 'web']).nullish(),
    complaint: z.boolean().nullish(),
  }),
  email: z.looseObject({
    direction,
    subject: z.string().max(1000).nullish(),
    snippet: longText.nullish(),
  }),
  call: z.looseObject({
    direction,
    durationSec: z.number().finite().min(0).max(1e6).nullish(),
    reason: shortText.nullish(),
    outcome: shortText.nullish(),
    agent: shortText.nullish(),
  }),
  note: z.looseObject({
    text: z.string().min(1).max(20_000),
    author: shortText.nullish(),
    pinned: z.boolean().nullish(),
  }),
  campaign_response: z.looseObject({
    campaignId: z.string().min(1).max(100),
    campaignName: shortText.nullish(),
    channel: z.enum(['email', 'sms', 'push', 'post', 'ads']).nullish(),
    action: z.enum([
      'sent',
      'delivered',
      'opened',
      'clicked',
      'converted',
      'unsubscribed',
      'bounced',
    ]),
  }),
  web_session: z.looseObject({
    pages: z.number().int().min(0).max(1e6).nullish(),
    durationSec: z.number().finite().min(0).max(1e7).nullish(),
    device: shortText.nullish(),
    utmSource: shortText.nullish(),
    converted: z.boolean().nullish(),
  }),
  survey: z.looseObject({
    kind: z.enum(['nps', 'csat']),
    score: z.number().finite().min(0).max(10),
    comment: longText.nullish(),
  }),
  contract: z.looseObject({
    contractNumber: z.string().min(1).max(100),
    product: z.string().min(1).max(500),
    status: z.enum(['active', 'cancelled', 'expired']),
    startDate: dateOrDateTime.nullish(),
    endDate: dateOrDateTime.nullish(),
    monthlyFee: money.nullish(),
    currency: currency.nullish(),
    options: z.array(z.string().max(200)).max(100).nullish(),
    cancellationRequestedAt: dateOrDateTime.nullish(),
  }),
  consent: z.looseObject({
    channel: z.enum(['email', 'sms', 'phone', 'post']),
    granted: z.boolean(),
    purpose: shortText.nullish(),
  }),
  appointment: z.looseObject({
    startsAt: isoDateTime,
    subject: shortText.nullish(),
    status: shortText.nullish(),
  }),
} satisfies Record<TouchpointType, z.ZodType>;

export type OrderData = z.infer<(typeof dataSchemas)['order']>;
export type TicketData = z.infer<(typeof dataSchemas)['ticket']>;
export type ContractData = z.infer<(typeof dataSchemas)['contract']>;

const baseTouchpoint = z.object({
  source: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1–40 characters of a-z, 0-9, _ or -'),
  id: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  type: z.enum(touchpointTypes, { message: `must be one of ${touchpointTypes.join(', ')}` }),
  occurredAt: isoDateTime,
  version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  deleted: z.boolean().nullish(),
  customer: customerRefSchema,
  data: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A touchpoint as accepted by `POST /api/v1/touchpoints`. The `data` object is
 * checked against the schema of its `type`; a deleted touchpoint only needs
 * its identity (source, id, type, occurredAt, customer), not a valid `data`.
 */
export const touchpointSchema = baseTouchpoint.superRefine((tp, ctx) => {
  for (const issue of storageIssues(tp)) ctx.addIssue({ code: 'custom', ...issue });
  if (tp.deleted) return;
  const result = dataSchemas[tp.type].safeParse(tp.data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['data', ...issue.path], message: issue.message });
    }
  }
});

/** Elasticsearch refuses a document id longer than this (in UTF-8 bytes), and with it the whole bulk request. */
export const MAX_DOCUMENT_ID_BYTES = 512;
/** The largest version Elasticsearch takes is 2^63-1; versions are numbers here, exact up to 2^53-1. */
export const MAX_EXTERNAL_VERSION = Number.MAX_SAFE_INTEGER;

/**
 * What Elasticsearch would refuse for the whole batch the touchpoint travels
 * in, knowable before it is queued: ids that do not fit in a document id (the
 * touchpoint's own, `source:id`, its identity link `tp:source:id`, and the
 * link of each identity key, e.g. `ext:source:externalId`), and an external
 * version (`version`, else `occurredAt` in ms) that is not in 0..2^53-1, i.e.
 * an `occurredAt` before 1970 without a `version`.
 */
export function storageIssues(
  tp: Pick<Touchpoint, 'source' | 'id' | 'occurredAt' | 'version' | 'customer'>,
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const keyBytes = utf8Bytes(`tp:${touchpointKey(tp)}`);
  if (keyBytes > MAX_DOCUMENT_ID_BYTES) {
    issues.push({
      path: ['id'],
      message: `together with the source, must be at most ${MAX_DOCUMENT_ID_BYTES - 4 - tp.source.length} bytes in UTF-8 (it is part of a document id of at most ${MAX_DOCUMENT_ID_BYTES} bytes)`,
    });
  }
  for (const key of identityKeys(tp)) {
    if (utf8Bytes(key) <= MAX_DOCUMENT_ID_BYTES) continue;
    const field = identityKeyFields[key.slice(0, key.indexOf(':'))] ?? 'customer';
    issues.push({
      path: ['customer', field],
      message: `is too long once normalized: its identity key must be at most ${MAX_DOCUMENT_ID_BYTES} bytes in UTF-8`,
    });
  }
  const version = tp.version ?? Date.parse(tp.occurredAt);
  if (!Number.isSafeInteger(version) || version < 0 || version > MAX_EXTERNAL_VERSION) {
    issues.push({
      path: ['occurredAt'],
      message:
        'must not be before 1970-01-01T00:00:00Z unless the touchpoint has a `version` (without one, occurredAt in ms is its version, which must not be negative)',
    });
  }
  return issues;
}

const identityKeyFields: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  cnum: 'customerNumber',
  ext: 'externalId',
};

const utf8 = new TextEncoder();
function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

export type Touchpoint = z.infer<typeof touchpointSchema>;
export type CustomerRef = z.infer<typeof customerRefSchema>;
export type Address = z.infer<typeof addressSchema>;

/** One problem in a request: `{"path": "customer.email", "message": "..."}`. */
export interface FieldError {
  path: string;
  message: string;
}

/** Turns zod issues into the contract's `details` entries. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** The key of a source record: `source:id`. */
export function touchpointKey(tp: Pick<Touchpoint, 'source' | 'id'>): string {
  return `${tp.source}:${tp.id}`;
}

/**
 * A touchpoint as stored in the `touchpoints` index: the accepted touchpoint
 * plus the customer it was resolved to and its normalized identity keys.
 */
export type StoredTouchpoint = Touchpoint & {
  /** `source:id`, also the document id. */
  key: string;
  customerId: string;
  /** Normalized identity keys, e.g. `email:anna@example.de` (see identity-keys.ts). */
  identityKeys: string[];
  /** The channel it happened on (see identity-keys.ts `touchpointChannel`). */
  channel: string | null;
  direction: 'inbound' | 'outbound' | null;
  /** When the indexer stored it. */
  indexedAt: string;
};
