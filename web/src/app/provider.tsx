import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { PanelErrorBoundary } from '../components/error-boundary';
import { Notifications } from '../components/notifications';
import { queryClient } from '../lib/query-client';

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <PanelErrorBoundary label="Panorama">{children}</PanelErrorBoundary>
      <Notifications />
    </QueryClientProvider>
  );
}
