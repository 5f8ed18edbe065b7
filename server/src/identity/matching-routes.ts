/**
 * Probabilistic matching (admin):
 *
 * - GET  /identity/matching        the model scoring now, the thresholds, the last full pass
 * - POST /identity/matching/runs   start a full pass over every customer (202; 409 while one runs)
 *
 * The indexers do the work (indexers/src/matching/match-loop.ts); the API
 * only records the pass in Redis and reads its progress. Nothing here is
 * personal: m/u probabilities per field level and counts.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { MatchingStatus, MatchRunView, Role } from '../../../domain/src/api';
import { matchThresholdDefaults } from '../../../infra/src/config';
import { loadMatchModel } from '../../../store/src/matching/match-model-store';
import {
  MatchRunConflict,
  readMatchRun,
  startMatchRun,
  type MatchRunState,
} from '../../../store/src/matching/match-run';
import { storeContext, type ServerContext } from '../context';
import { AppError, parseRequest } from '../errors';
import { policedRouter, policy } from '../privacy/route-policy';

/** A pass takes no options: an empty object (or no body), so a typo never passes silently. */
export const matchRunSchema = z.object({}).strict();

const admins = ['admin'] as const satisfies readonly Role[];

function runView(run: MatchRunState | null): MatchRunView | null {
  if (!run) return null;
  const { cursor: _cursor, fed: _fed, estimated: _estimated, ...view } = run;
  return view;
}

export async function matchingStatus(ctx: ServerContext): Promise<MatchingStatus> {
  const [stored, run] = await Promise.all([
    loadMatchModel(ctx),
    readMatchRun(ctx.redis, ctx.queues),
  ]);
  const { model } = stored;
  return {
    model: {
      version: model.version,
      estimatedAt: model.estimatedAt,
      pairsUsed: model.pairsUsed,
      prior: model.prior,
      fields: model.fields,
      estimated: stored.estimated,
      profileCount: stored.profileCount,
    },
    thresholds: ctx.matchThresholds ?? matchThresholdDefaults,
    run: runView(run),
  };
}

export function matchingRoutes(ctx: ServerContext): Router {
  const routes = policedRouter(ctx);
  routes.get(
    '/identity/matching',
    policy({ roles: admins, personal: false, shows: { admin: 'counts' } }),
    async () => ({ body: await matchingStatus(ctx) }),
  );
  routes.post(
    '/identity/matching/runs',
    policy<{ run: MatchRunView | null }>({
      roles: admins,
      personal: false,
      shows: { admin: 'counts' },
      // It may merge customers automatically: who started it is on record.
      audit: {
        action: 'merge',
        subject: (_req, answer) => ({
          resultCount: answer.run?.total ?? 0,
          details: { kind: 'matching-run', run: answer.run?.id ?? null },
        }),
      },
    }),
    async (req) => {
      parseRequest(
        matchRunSchema,
        req.body ?? {},
        'This request takes no options: send an empty JSON object or no body.',
      );
      try {
        return { status: 202, body: { run: runView(await startMatchRun(storeContext(ctx))) } };
      } catch (error) {
        if (error instanceof MatchRunConflict) throw new AppError(409, 'conflict', error.message);
        throw error;
      }
    },
  );
  return routes.router;
}
