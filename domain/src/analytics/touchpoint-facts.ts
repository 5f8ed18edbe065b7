/**
 * The few figures of a touchpoint's `data` that dashboards count over time
 * (revenue, order status, priorities, survey scores), copied into an indexed `facts` object beside the stored
 * touchpoint: `data` itself stays unindexed, because it holds whatever the
 * source sent and one odd value must never make a write fail. Only values of
 * the right type are copied.
 */
import type { Touchpoint } from '../contract';

export interface TouchpointFacts {
  /** Order total. */
  amount?: number;
  currency?: string;
  /** Order, ticket or contract status. */
  status?: string;
  /** Sales channel of an order. */
  salesChannel?: string;
  priority?: string;
  complaint?: boolean;
  /** Survey kind (nps, csat) and score. */
  surveyKind?: string;
  score?: number;
  /** Segment of the customer at the time (profile touchpoints). */
  segment?: string;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= 100 ? v : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function touchpointFacts(tp: Pick<Touchpoint, 'type' | 'data'>): TouchpointFacts {
  const d = (tp.data ?? {}) as Record<string, unknown>;
  const facts: TouchpointFacts = {};
  switch (tp.type) {
    case 'order':
      facts.amount = num(d.total);
      facts.currency = text(d.currency);
      facts.status = text(d.status);
      facts.salesChannel = text(d.channel);
      break;
    case 'ticket':
      facts.status = text(d.status);
      facts.priority = text(d.priority) ?? 'normal';
      facts.complaint = d.complaint === true;
      break;
    case 'survey':
      facts.surveyKind = text(d.kind);
      facts.score = num(d.score);
      break;
    case 'contract':
      facts.status = text(d.status);
      facts.amount = num(d.monthlyFee);
      break;
    case 'profile':
      facts.segment = text(d.segment);
      break;
    default:
      break;
  }
  return Object.fromEntries(
    Object.entries(facts).filter(([, v]) => v !== undefined),
  ) as TouchpointFacts;
}
