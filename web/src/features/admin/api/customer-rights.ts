import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';

/** `GET /api/v1/customers/{id}/export` (admin): everything stored about the customer. */
export function exportCustomer(id: string): Promise<unknown> {
  return apiRequest<unknown>(`/customers/${encodeURIComponent(id)}/export`);
}

export interface ErasureAnswer {
  erased: true;
  customerIds: string[];
  touchpoints: number;
  links: number;
  queuedTouchpointsRemoved: number;
}

/** `DELETE /api/v1/customers/{id}` (admin): the right to erasure. */
export function useEraseCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<ErasureAnswer>(`/customers/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.removeQueries({ queryKey: ['customers'] }),
  });
}
