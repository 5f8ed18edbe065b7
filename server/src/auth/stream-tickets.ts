/**
 * Short-lived, single-use tickets for server-sent-event streams: EventSource
 * sends no headers, and a 12-hour login token in a URL ends up in browser
 * history, proxy logs and Referer headers. A ticket is good for one stream,
 * for 30 seconds, and is redeemed into the same principal as the credential
 * that asked for it (the stream re-checks that credential while it is open,
 * so a removed or demoted user's stream closes within seconds).
 *
 * Tickets live in Redis (shared by every API process) as the SHA-256 of the
 * ticket, so a Redis dump holds no usable ticket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { streamTicketKey } from '../../../infra/src/shared-keys';
import type { ServerContext } from '../context';
import { type Principal, principalOf } from './authenticate';

export const streamTicketTtlSeconds = 30;

export const streamTicketRequestSchema = z
  .object({ purpose: z.enum(['dashboard-stream']).default('dashboard-stream') })
  .strict();

function ticketKey(ctx: ServerContext, ticket: string): string {
  return streamTicketKey(ctx.queues, createHash('sha256').update(ticket).digest('hex'));
}

export async function issueStreamTicket(
  ctx: ServerContext,
  authorization: string,
): Promise<{ ticket: string; expiresInSeconds: number }> {
  const ticket = randomBytes(32).toString('base64url');
  await ctx.redis.set(
    ticketKey(ctx, ticket),
    JSON.stringify({ authorization }),
    'EX',
    streamTicketTtlSeconds,
  );
  return { ticket, expiresInSeconds: streamTicketTtlSeconds };
}

/** The principal behind a ticket, once; null when unknown, used or expired. */
export async function redeemStreamTicket(
  ctx: ServerContext,
  ticket: string,
): Promise<(Principal & { credential: string }) | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
  const stored = await ctx.redis.getdel(ticketKey(ctx, ticket));
  if (!stored) return null;
  const { authorization } = JSON.parse(stored) as { authorization: string };
  try {
    return { ...(await principalOf(ctx, authorization)), credential: authorization };
  } catch {
    return null;
  }
}
