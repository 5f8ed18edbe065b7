/**
 * Rebuild every profile in place (admin), e.g. after a fold rule changed:
 * every live customer is marked dirty and the running indexers rebuild them
 * (store/src/profiles/rebuild-every-profile.ts, the same as
 * `npm run profiles:rebuild`). The request answers once every customer is
 * marked; the UI follows the rebuild through `profileRebuildStatus`.
 */
import { z } from 'zod';
import type { ProfileRebuildAnswer, ProfileRebuildStatus } from '../../../domain/src/api';
import {
  markEveryProfileDirty,
  profilesToRebuild,
} from '../../../store/src/profiles/rebuild-every-profile';
import type { ServerContext } from '../context';

/** The request takes no options: an empty object (or no body); anything else is refused, so a typo never passes silently. */
export const profileRebuildSchema = z.object({}).strict();

export async function rebuildEveryProfile(ctx: ServerContext): Promise<ProfileRebuildAnswer> {
  const marked = await markEveryProfileDirty({
    es: ctx.es,
    redis: ctx.redis,
    names: ctx.names,
    queues: ctx.queues,
  });
  return { marked, pending: await profilesToRebuild(ctx.redis, ctx.queues) };
}

export async function profileRebuildStatus(ctx: ServerContext): Promise<ProfileRebuildStatus> {
  return { pending: await profilesToRebuild(ctx.redis, ctx.queues) };
}
