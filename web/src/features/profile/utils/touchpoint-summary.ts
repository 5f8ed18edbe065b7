/**
 * One line per touchpoint for the timeline, in the words of its type.
 * `data` is whatever the source sent (validated on ingest, extra fields kept),
 * so every field is read defensively.
 */
import { formatDuration, formatMoney, humanize } from '../../../lib/format';
import type { StoredTouchpoint, TouchpointType } from '../../../lib/domain-types';

type Data = Record<string, unknown>;

const str = (data: Data, key: string): string | null => {
  const v = data[key];
  return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null;
};
const num = (data: Data, key: string): number | null =>
  typeof data[key] === 'number' ? (data[key] as number) : null;
const bool = (data: Data, key: string): boolean | null =>
  typeof data[key] === 'boolean' ? (data[key] as boolean) : null;
const join = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

const summarizers: Record<TouchpointType, (d: Data) => string> = {
  profile: (d) =>
    join(
      str(d, 'segment') && `Segment ${str(d, 'segment')}`,
      str(d, 'status') && `status ${str(d, 'status')}`,
      str(d, 'language'),
    ) || 'Master data updated',
  order: (d) => {
    const shipping = (d.shipping ?? {}) as Data;
    return join(
      `Order ${str(d, 'orderNumber') ?? '?'}`,
      formatMoney(num(d, 'total'), str(d, 'currency')),
      str(d, 'status'),
      str(shipping, 'carrier') &&
        `${str(shipping, 'carrier')} ${str(shipping, 'trackingNumber') ?? ''}`.trim(),
    );
  },
  ticket: (d) =>
    join(
      `${str(d, 'ticketNumber') ?? '?'}: ${str(d, 'subject') ?? ''}`,
      str(d, 'status'),
      str(d, 'priority'),
      bool(d, 'complaint') === true && 'complaint',
    ),
  email: (d) =>
    join(str(d, 'direction') === 'inbound' ? '← in' : '→ out', str(d, 'subject') ?? '(no subject)'),
  call: (d) =>
    join(
      str(d, 'direction') === 'inbound' ? '← in' : '→ out',
      str(d, 'reason') ?? 'Call',
      formatDuration(num(d, 'durationSec')),
      str(d, 'outcome'),
    ),
  note: (d) =>
    join(
      bool(d, 'pinned') === true && 'pinned:',
      str(d, 'text') ?? '',
      str(d, 'author') && `— ${str(d, 'author')}`,
    ),
  campaign_response: (d) =>
    join(
      str(d, 'campaignName') ?? str(d, 'campaignId') ?? 'Campaign',
      str(d, 'action'),
      str(d, 'channel'),
    ),
  web_session: (d) =>
    join(
      num(d, 'pages') !== null && `${num(d, 'pages')} pages`,
      formatDuration(num(d, 'durationSec')),
      str(d, 'device'),
      str(d, 'utmSource') && `via ${str(d, 'utmSource')}`,
      bool(d, 'converted') === true && 'converted',
    ) || 'Web session',
  survey: (d) =>
    join(
      `${(str(d, 'kind') ?? 'survey').toUpperCase()} ${num(d, 'score') ?? '?'}`,
      str(d, 'comment') && `“${str(d, 'comment')}”`,
    ),
  contract: (d) =>
    join(
      `${str(d, 'contractNumber') ?? '?'}`,
      str(d, 'product'),
      str(d, 'status'),
      str(d, 'endDate') && `ends ${str(d, 'endDate')?.slice(0, 10)}`,
    ),
  consent: (d) =>
    join(
      `${humanize(str(d, 'channel') ?? 'consent')}`,
      bool(d, 'granted') ? 'granted' : 'withdrawn',
      str(d, 'purpose'),
    ),
  appointment: (d) =>
    join(
      str(d, 'subject') ?? 'Appointment',
      str(d, 'startsAt')?.replace('T', ' ').slice(0, 16),
      str(d, 'status'),
    ),
};

export function summarizeTouchpoint(tp: StoredTouchpoint): string {
  const data = (tp.data ?? {}) as Data;
  const summarize = summarizers[tp.type as TouchpointType];
  if (tp.deleted) return 'Deleted';
  return summarize ? summarize(data) : humanize(String(tp.type));
}

/** The types a timeline can be filtered by, in the order the chips show them. */
export const timelineTypes = [
  'order',
  'ticket',
  'email',
  'call',
  'note',
  'campaign_response',
  'survey',
  'contract',
  'consent',
  'web_session',
  'appointment',
  'profile',
] as const satisfies readonly TouchpointType[];
