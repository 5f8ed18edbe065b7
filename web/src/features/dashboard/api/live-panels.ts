/**
 * The manager dashboard's panels, pushed by the server (server-sent events)
 * whenever profiles were rebuilt — at most once per second. EventSource sends
 * no headers, so the token goes in the query string; the browser reconnects
 * by itself when the stream breaks.
 */
import { useEffect, useState } from 'react';
import type { DashboardPanels, DashboardRange } from '../../../../../domain/src/analytics/dashboard-types';
import { getSession } from '../../../lib/auth-session';

export interface LivePanels {
  panels: DashboardPanels | null;
  /** When the last push arrived (ms). */
  receivedAt: number | null;
  connected: boolean;
  error: string | null;
  pushes: number;
}

export function useLivePanels(range: DashboardRange): LivePanels {
  const [state, setState] = useState<LivePanels>({ panels: null, receivedAt: null, connected: false, error: null, pushes: 0 });
  useEffect(() => {
    const token = getSession()?.token ?? '';
    const source = new EventSource(`/api/v1/analytics/dashboard/stream?range=${range}&token=${encodeURIComponent(token)}`);
    source.addEventListener('open', () => setState((s) => ({ ...s, connected: true, error: null })));
    source.addEventListener('panels', (event) => {
      const panels = JSON.parse((event as MessageEvent<string>).data) as DashboardPanels;
      setState((s) => ({ panels, receivedAt: Date.now(), connected: true, error: null, pushes: s.pushes + 1 }));
    });
    source.addEventListener('failure', (event) => {
      const { message } = JSON.parse((event as MessageEvent<string>).data) as { message: string };
      setState((s) => ({ ...s, error: message }));
    });
    source.addEventListener('error', () => setState((s) => ({ ...s, connected: false, error: s.panels ? 'Live updates interrupted; reconnecting…' : 'Cannot connect to the live dashboard; retrying…' })));
    return () => source.close();
  }, [range]);
  return state;
}
