/**
 * Requests a role may not make because their answer would reveal what is
 * masked for it (search or aggregate by a hidden value).
 */
import type { Role } from '../../../domain/src/api';
import type { AnalyticsQuery, Filter } from '../../../domain/src/analytics/query-schema';

export function guardSearch(_role: Role, _query: { q: string; filters: Record<string, string[]> }): void {}
export function guardTimelineQuery(_role: Role, _q: string): void {}
export function guardAnalyticsQuery(_role: Role, _request: AnalyticsQuery): void {}
export function guardFilter(_role: Role, _filter: Filter | undefined, _q?: string): void {}
