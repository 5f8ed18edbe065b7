import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { roles } from '../../../domain/src/api';

/**
 * Login tokens: `<payload b64url>.<HMAC-SHA256 b64url>`, stateless so any API
 * process can check them; they expire after `ttlMs`.
 *
 * A token has exactly one spelling. Base64url has several for the same bytes
 * (padding, unused low bits in the last character), and `split('.')` ignores
 * anything after a second dot; every such variant of a valid token would be a
 * different string that still passes — a new key for anything that counts,
 * caches or revokes by the token's text. So both segments must be exactly
 * what encoding their decoded bytes gives, and the claims must be exactly the
 * schema below (strict: no extra fields).
 */
export const tokenClaimsSchema = z
  .object({
    /** The username. */
    sub: z.string().min(1).max(100),
    /** The account's immutable id: a user deleted and created again under the same name gets a new one, so the old tokens stop working. */
    uid: z.string().min(1).max(100),
    role: z.enum(roles),
    /** Expiry, ms since the epoch. */
    exp: z.number().int().positive(),
    /** The user's token generation when the token was issued; a password change raises it. */
    gen: z.number().int().min(0),
  })
  .strict();
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

const base64url = /^[A-Za-z0-9_-]+$/;
/** An HMAC-SHA256 is 32 bytes: 43 characters of base64url without padding. */
const signatureLength = 43;
/** Far more than any claims need; checked before anything is decoded. */
const maxPayloadLength = 1_000;

/** The bytes of `segment` if it is canonical base64url without padding (re-encoding gives it back), else null. */
export function decodeCanonicalBase64url(segment: string): Buffer | null {
  if (!base64url.test(segment)) return null;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : null;
}

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(tokenClaimsSchema.parse(claims))).toString(
    'base64url',
  );
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/** The claims of a valid, unexpired token in its one canonical spelling; null for anything else. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  const segments = token.split('.');
  if (segments.length !== 2) return null;
  const [payload, signature] = segments;
  if (payload.length > maxPayloadLength || signature.length !== signatureLength) return null;
  const actual = decodeCanonicalBase64url(signature);
  const body = decodeCanonicalBase64url(payload);
  if (!actual || !body) return null;
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const claims = tokenClaimsSchema.safeParse(json);
  if (!claims.success || claims.data.exp <= now) return null;
  return claims.data;
}
