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

/** One side of a suspected duplicate pair (issue 3). */
export interface DuplicateSide {
  id: string;
  name: string;
  birthDate: string | null;
  city: string | null;
  street: string | null;
  email: string | null;
  phone: string | null;
  sources: string[];
}

/** Two profiles that may be one person, for review; never merged automatically. */
export interface SuspectedDuplicate {
  pairId: string;
  a: DuplicateSide;
  b: DuplicateSide;
  reasons: string[];
}

export interface DataQualityAnswer {
  generatedAt: string;
  profiles: number;
  validEmailShare: number;
  validPhoneShare: number;
  validAddressShare: number;
  /** Share of profiles with at least one granted consent. */
  consentCoverage: number;
  openSuspectedDuplicates: number;
  profilesPerSource: FacetBucket[];
  /** Sources that sent invalid values, most affected profiles first. */
  worstSources: { source: string; profilesWithInvalidValues: number; share: number }[];
  invalidValues: FacetBucket[];
}

/** The contract's error body. */
export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}
