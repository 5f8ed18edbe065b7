/** The manager dashboard's panels: `GET /api/v1/analytics/dashboard` and its live stream. */
import type { Filter } from './query-schema';

export const dashboardRanges = ['24h', '7d', '30d', '90d', '365d'] as const;
export type DashboardRange = (typeof dashboardRanges)[number];

/** A labelled count; `drill` is the customer filter behind it, opened in the explorer. */
export interface PanelBucket {
  label: string;
  value: number;
  drill?: Filter;
}

export interface TrendPoint {
  /** ISO start of the interval. */
  at: string;
  [series: string]: number | string | null;
}

export interface DashboardPanels {
  generatedAt: string;
  range: DashboardRange;
  interval: 'hour' | 'day' | 'week';
  /** Interval of `inboundCallsPerHour`: hours up to 7 days, then days. */
  callInterval: 'hour' | 'day' | 'week';
  tookMs: number;
  totals: {
    customers: number;
    touchpointsInRange: number;
    openTickets: number;
    contractsEnding90d: number;
  };
  /** Contacts (calls, emails, tickets, appointments) per channel, today / 7 days / 30 days. */
  contactsPerChannel: {
    channel: string;
    today: number;
    last7d: number;
    last30d: number;
    drill: Filter;
  }[];
  inboundCallsPerHour: TrendPoint[];
  openTicketsByPriority: PanelBucket[];
  openTicketsByAge: PanelBucket[];
  complaintsTrend: TrendPoint[];
  revenueBySegment: PanelBucket[];
  revenueBySalesChannel: PanelBucket[];
  /** orders, returns, revenue per interval. */
  ordersAndReturns: TrendPoint[];
  /** nps (promoters − detractors, in %), csat (average) per interval. */
  satisfactionTrend: TrendPoint[];
  /** cancellations of contracts per interval (churn). */
  cancellationsTrend: TrendPoint[];
  contractsEndingByWeek: TrendPoint[];
  customersBySegment: PanelBucket[];
}
