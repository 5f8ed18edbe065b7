/**
 * A login: checks the password against the shared accounts store and issues
 * a token bound to the account's immutable id and token generation
 * (tokens.ts). A hash made with older, weaker parameters is replaced by one
 * at today's strength while the password is at hand (passwords.ts).
 */
import type { LoginAnswer } from '../../../domain/src/api';
import type { ServerContext } from '../context';
import { AppError } from '../errors';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { signToken } from './tokens';

export async function logIn(
  ctx: ServerContext,
  username: string,
  password: string,
): Promise<LoginAnswer> {
  const accounts = ctx.auth.accounts;
  // Checked now, not from the cache: a user created or a password changed a moment ago on another process counts.
  const user = await accounts.user(username, { fresh: true });
  // Verify against a dummy hash for unknown users too, so timing does not reveal which names exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? dummyPasswordHash);
  if (!user || !ok) throw new AppError(401, 'unauthorized', 'Wrong username or password.');
  if (needsRehash(user.passwordHash)) {
    // Same password, stronger hash: the user's other sessions stay valid. Failing to store it must not fail the login.
    await accounts
      .upgradePasswordHash(user.username, user.passwordHash, await hashPassword(password))
      .catch(() => {});
  }
  const exp = Date.now() + ctx.auth.tokenTtlMs;
  return {
    token: signToken(
      { sub: user.username, uid: user.id, role: user.role, exp, gen: user.tokenGeneration },
      ctx.auth.secret,
    ),
    role: user.role,
    expiresAt: new Date(exp).toISOString(),
  };
}
