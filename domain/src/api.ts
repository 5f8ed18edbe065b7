/**
 * Answers of the API routes beyond the profile and search (see profile.ts),
 * shared by server and web.
 */
import type { FacetBucket } from './profile';
import type { StoredTouchpoint } from './contract';

export const roles = ['ingest', 'agent', 'manager', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface LoginAnswer {
  token: string;
  role: Role;
  expiresAt: string;
}

export interface MeAnswer {
  name: string;
  role: Role;
}

export interface TimelineAnswer {
  items: StoredTouchpoint[];
  next: string | null;
}

export interface IngestAnswer {
  accepted: number;
  rejected: { index: number; errors: { path: string; message: string }[] }[];
}

export interface IngestStatus {
  waiting: number;
  active: number;
  failed: number;
  lastIndexedAt: string | null;
}

export interface DashboardAnswer {
  generatedAt: string;
  totals: { customers: number; touchpoints: number; openTickets: number; complaints12m: number };
  customersBySegment: FacetBucket[];
  /** One row per day (last 30 days), one count per channel. */
  touchpointsPerChannelPerDay: { date: string; counts: Record<string, number> }[];
  openTicketsByPriority: FacetBucket[];
}

/** The contract's error body. */
export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}
