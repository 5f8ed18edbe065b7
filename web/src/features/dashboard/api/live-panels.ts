/**
 * The manager dashboard's panels, pushed by the server (server-sent events)
 * whenever profiles were rebuilt — at most once per second. EventSource sends
 * no headers, and a login token must never sit in a URL: each connection
 * first asks for a single-use, 30-second ticket (POST /auth/stream-ticket)
 * and opens the stream with it. A ticket is spent on connecting, so after a
 * break this reconnects by itself with a fresh ticket (backing off to 10 s).
 */
import { useEffect, useState } from 'react';
import type {
  DashboardPanels,
  DashboardRange,
} from '../../../../../domain/src/analytics/dashboard-types';
import { api, errorMessage } from '../../../lib/api-client';

export interface LivePanels {
  panels: DashboardPanels | null;
  /** When the last push arrived (ms). */
  receivedAt: number | null;
  connected: boolean;
  error: string | null;
  pushes: number;
}

export function useLivePanels(range: DashboardRange): LivePanels {
  const [state, setState] = useState<LivePanels>({
    panels: null,
    receivedAt: null,
    connected: false,
    error: null,
    pushes: 0,
  });
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let failures = 0;

    const reconnect = (why: string | ((hadPanels: boolean) => string)) => {
      source?.close();
      source = null;
      if (stopped) return;
      setState((s) => ({
        ...s,
        connected: false,
        error: typeof why === 'string' ? why : why(s.panels !== null),
      }));
      const wait = Math.min(10_000, 500 * 2 ** failures);
      failures += 1;
      retry = setTimeout(() => void connect(), wait);
    };

    const connect = async () => {
      let ticket: string;
      try {
        ({ ticket } = await api.post<{ ticket: string }>('/auth/stream-ticket', {
          purpose: 'dashboard-stream',
        }));
      } catch (error) {
        reconnect(`Cannot start live updates: ${errorMessage(error)} Retrying…`);
        return;
      }
      if (stopped) return;
      const opened = new EventSource(
        `/api/v1/analytics/dashboard/stream?range=${range}&ticket=${encodeURIComponent(ticket)}`,
      );
      source = opened;
      opened.addEventListener('open', () => {
        failures = 0;
        setState((s) => ({ ...s, connected: true, error: null }));
      });
      opened.addEventListener('panels', (event) => {
        const panels = JSON.parse((event as MessageEvent<string>).data) as DashboardPanels;
        setState((s) => ({
          panels,
          receivedAt: Date.now(),
          connected: true,
          error: null,
          pushes: s.pushes + 1,
        }));
      });
      opened.addEventListener('failure', (event) => {
        const { message } = JSON.parse((event as MessageEvent<string>).data) as { message: string };
        setState((s) => ({ ...s, error: message }));
      });
      opened.addEventListener('revoked', (event) => {
        const { message } = JSON.parse((event as MessageEvent<string>).data) as { message: string };
        stopped = true;
        opened.close();
        setState((s) => ({ ...s, connected: false, error: message }));
      });
      // The browser's own retry would reuse the spent ticket: take over.
      opened.addEventListener('error', () => {
        if (source !== opened) return;
        reconnect((hadPanels) =>
          hadPanels
            ? 'Live updates interrupted; reconnecting…'
            : 'Cannot connect to the live dashboard; retrying…',
        );
      });
    };

    void connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [range]);
  return state;
}
