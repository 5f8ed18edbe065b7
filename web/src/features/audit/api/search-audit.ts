import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: string;
  role: string;
  actorKind: string;
  customerIds: string[];
  route: string;
  method: string;
  status: number;
  ip: string | null;
  userAgent: string | null;
  resultCount?: number;
  details?: Record<string, unknown>;
}

export interface AuditPage {
  total: number;
  items: AuditEntry[];
}

export interface AuditFilter {
  customerId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  offset?: number;
}

/** `GET /api/v1/audit` (admin): the audit log, newest first. */
export function searchAudit(filter: AuditFilter, signal?: AbortSignal): Promise<AuditPage> {
  return api.get<AuditPage>('/audit', { params: { ...filter, size: 50 }, signal });
}

export const auditQueryOptions = (filter: AuditFilter) =>
  queryOptions({
    queryKey: ['audit', filter],
    queryFn: ({ signal }) => searchAudit(filter, signal),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

export function useAudit(filter: AuditFilter) {
  return useQuery(auditQueryOptions(filter));
}
