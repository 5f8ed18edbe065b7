/**
 * The live dashboard: server-sent events pushing the panels when
 * profiles were rebuilt, at most once per second per open dashboard.
 *
 * The rebuild loop publishes on a Redis channel after each batch; one
 * subscriber per server process fans out to the open streams. EventSource
 * cannot send headers, so the browser first asks for a single-use ticket
 * (`POST /api/v1/auth/stream-ticket`) and opens `?ticket=`; a long-lived
 * token never goes into a URL. While the stream is open, its credential is
 * checked again every few seconds: a removed or demoted user's stream ends.
 */
import type { Router } from 'express';
import type { Role } from '../../../domain/src/api';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  dashboardRanges,
  type DashboardPanels,
  type DashboardRange,
} from '../../../domain/src/analytics/dashboard-types';
import { profilesRebuiltChannel } from '../../../infra/src/live-names';
import { principalOf } from '../auth/authenticate';
import { policedRouter, policy } from '../privacy/route-policy';
import type { ServerContext } from '../context';
import { parseRequest } from '../errors';
import { getDashboardPanels } from './dashboard-panels';

/** Minimum time between two pushes to one dashboard. */
export const minPushIntervalMs = 1_000;
const heartbeatMs = 15_000;

export const liveQuerySchema = z.object({
  range: z.enum(dashboardRanges).default('7d'),
  ticket: z.string().max(100).optional(),
});

/** How often an open stream checks that its credential still holds. */
export const revalidateMs = 2_000;
const streamRoles = ['manager', 'analyst', 'admin'] as const satisfies readonly Role[];

type Listener = () => void;

/** One Redis subscription per server, shared by every open stream; dropped when the last one closes. */
class RebuildHub {
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<Listener>();
  constructor(private readonly ctx: ServerContext) {}

  add(listener: Listener): void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const channel = profilesRebuiltChannel(this.ctx.queues);
      const subscriber = this.ctx.redis.duplicate({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      });
      subscriber.on('error', () => {
        // ioredis reconnects by itself; the stream just misses pushes meanwhile.
      });
      subscriber.on('message', () => this.listeners.forEach((l) => l()));
      void subscriber.subscribe(channel).catch(() => {});
      this.subscriber = subscriber;
    }
  }

  remove(listener: Listener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
  }
}

export function liveDashboardRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  const hub = new RebuildHub(ctx);
  // Dashboards open on the same range share one computation per push interval, however many managers watch.
  // A computation started before the latest rebuild is never reused.
  const recent = new Map<DashboardRange, { at: number; panels: Promise<DashboardPanels> }>();
  let lastRebuildAt = 0;
  const panelsFor = (range: DashboardRange): Promise<DashboardPanels> => {
    const held = recent.get(range);
    if (held && held.at > lastRebuildAt && Date.now() - held.at < minPushIntervalMs)
      return held.panels;
    const panels = getDashboardPanels(ctx, range);
    recent.set(range, { at: Date.now(), panels });
    panels.catch(() => recent.delete(range));
    return panels;
  };
  routes.get(
    '/analytics/dashboard/stream',
    policy({
      answer: 'stream',
      roles: streamRoles,
      // Counts and sums, as GET /analytics/dashboard.
      personal: false,
      shows: { manager: 'counts', analyst: 'counts', admin: 'counts' },
      credentials: 'bearer-or-ticket',
      concurrentPerPrincipal: 5,
    }),
    async (req, viewer, open) => {
      const range: DashboardRange = parseRequest(liveQuerySchema, req.query).range;
      const credential =
        (viewer.principal as { credential?: string }).credential ?? req.headers.authorization ?? '';
      const res = await open(
        {},
        {
          'Content-Type': 'text/event-stream; charset=utf-8',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        },
      );
      res.setHeader('Cache-Control', 'no-store, no-transform');
      res.flushHeaders();

      let closed = false;
      let lastPush = 0;
      let timer: NodeJS.Timeout | null = null;
      let running = false;
      let again = false;

      const push = async () => {
        if (closed) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        lastPush = Date.now();
        try {
          const panels = await panelsFor(range);
          if (!closed) res.write(`event: panels\ndata: ${JSON.stringify(panels)}\n\n`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (!closed)
            res.write(
              `event: failure\ndata: ${JSON.stringify({ message: `The dashboard could not be refreshed: ${message}` })}\n\n`,
            );
        } finally {
          running = false;
          if (again) {
            again = false;
            schedule();
          }
        }
      };
      const schedule = () => {
        if (closed || timer) return;
        const wait = Math.max(0, lastPush + minPushIntervalMs - Date.now());
        timer = setTimeout(() => {
          timer = null;
          void push();
        }, wait);
      };
      const heartbeat = setInterval(() => {
        if (!closed) res.write(': keep-alive\n\n');
      }, heartbeatMs);
      const revalidate = setInterval(() => {
        void principalOf(ctx, credential)
          .then(
            (now) =>
              (streamRoles as readonly Role[]).includes(now.role) && now.id === viewer.principal.id,
          )
          .catch(() => false)
          .then((holds) => {
            if (holds || closed) return;
            res.write(
              `event: revoked\ndata: ${JSON.stringify({ message: 'Your access changed: log in again.' })}\n\n`,
            );
            res.end();
          });
      }, revalidateMs);

      const onRebuild = () => {
        lastRebuildAt = Date.now();
        schedule();
      };
      hub.add(onRebuild);
      void push();
      req.on('close', () => {
        closed = true;
        if (timer) clearTimeout(timer);
        clearInterval(heartbeat);
        clearInterval(revalidate);
        hub.remove(onRebuild);
      });
    },
  );
  return routes.router;
}
