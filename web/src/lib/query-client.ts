import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, errorMessage } from './api-client';
import { notify } from './notifications';

/** Client errors (4xx) will not go away by asking again; network and 5xx errors may. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A first load shows its error in its panel; a failing refresh of data on
      // screen would otherwise go unnoticed, so it gets a notification.
      if (query.state.data !== undefined && !(error instanceof ApiError && error.status === 401)) {
        notify(`Refresh failed: ${errorMessage(error)}`);
      }
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _vars, _ctx, mutation) => {
      if (mutation.options.meta?.showsOwnError) return;
      notify(errorMessage(error));
    },
  }),
  defaultOptions: {
    queries: {
      retry: shouldRetry,
      staleTime: 10_000,
      refetchOnWindowFocus: false,
    },
  },
});
