import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../../domain/src/api';

/**
 * Login tokens: `<payload b64url>.<HMAC-SHA256 b64url>`, stateless so any API
 * process can check them; they expire after `ttlMs`.
 */
export interface TokenClaims {
  sub: string;
  role: Role;
  exp: number;
  /** The user's token generation when the token was issued; a password change raises it (issue 6). Missing in tokens of earlier versions: 0. */
  gen?: number;
}

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = createHmac('sha256', secret).update(payload).digest();
  const actual = Buffer.from(signature, 'base64url');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    return typeof claims.exp === 'number' && claims.exp > now ? claims : null;
  } catch {
    return null;
  }
}
