import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { UserAccount } from '../../server/src/auth/account-store';
import { principalOf } from '../../server/src/auth/authenticate';
import { signToken, verifyToken, type TokenClaims } from '../../server/src/auth/tokens';
import type { ServerContext } from '../../server/src/context';
import { AppError } from '../../server/src/errors';

const secret = 'a-secret-for-the-unit-test-of-login-tokens';
const claims: TokenClaims = {
  sub: 'agent',
  uid: 'b7c1f9a2-0000-4000-8000-000000000001',
  role: 'agent',
  exp: Date.now() + 3_600_000,
  gen: 0,
};
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same last character's bits but the unused low ones: decodes to the same bytes. */
function flipUnusedBit(segment: string): string {
  const last = alphabet.indexOf(segment[segment.length - 1]);
  return segment.slice(0, -1) + alphabet[last ^ 1];
}

/** A token signed with the right secret over any payload text (what someone who holds a valid token can build from it is only its spellings). */
function signedOver(payload: string): string {
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

describe('login tokens', () => {
  it('accept a token in its one canonical spelling', () => {
    expect(verifyToken(signToken(claims, secret), secret)).toEqual(claims);
  });

  it('refuse a signature with an altered character in its unused trailing bits, though it decodes to the same bytes', () => {
    const [payload, signature] = signToken(claims, secret).split('.');
    const altered = flipUnusedBit(signature);
    expect(Buffer.from(altered, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(verifyToken(`${payload}.${altered}`, secret)).toBeNull();
  });

  it('refuse = padding on either segment', () => {
    const [payload, signature] = signToken(claims, secret).split('.');
    expect(verifyToken(`${payload}.${signature}=`, secret)).toBeNull();
    expect(verifyToken(`${payload}.${signature}==`, secret)).toBeNull();
    // A payload padded and signed as padded: the signature fits, the spelling is not canonical.
    expect(verifyToken(signedOver(`${payload}==`), secret)).toBeNull();
  });

  it('refuse an extra segment, an empty segment and characters outside base64url', () => {
    const token = signToken(claims, secret);
    expect(verifyToken(`${token}.`, secret)).toBeNull();
    expect(verifyToken(`${token}.extra`, secret)).toBeNull();
    expect(verifyToken(`.${token}`, secret)).toBeNull();
    const [payload, signature] = token.split('.');
    expect(verifyToken(`${payload}.${signature.slice(0, -1)}+`, secret)).toBeNull();
    expect(
      verifyToken(signedOver(payload.replace(/-/g, '+').replace(/_/g, '/') + '+'), secret),
    ).toBeNull();
    expect(verifyToken(signedOver(`${payload} `), secret)).toBeNull();
  });

  it('refuse a payload whose unused trailing bits were altered, even when signed as altered', () => {
    // Payload lengths of 4k+2 and 4k+3 characters leave unused bits; pad the username until one does.
    let payload = '';
    for (let extra = 0; extra < 4; extra++) {
      payload = signToken({ ...claims, sub: `agent${'x'.repeat(extra)}` }, secret).split('.')[0];
      if (payload.length % 4 !== 0) break;
    }
    const altered = flipUnusedBit(payload);
    expect(Buffer.from(altered, 'base64url')).toEqual(Buffer.from(payload, 'base64url'));
    expect(verifyToken(signedOver(altered), secret)).toBeNull();
  });

  it('refuse claims outside the schema: a missing uid, an extra field, a wrong type, an expired token', () => {
    const encode = (value: unknown) =>
      signedOver(Buffer.from(JSON.stringify(value)).toString('base64url'));
    const { uid: _uid, ...withoutUid } = claims;
    expect(verifyToken(encode(withoutUid), secret)).toBeNull();
    expect(verifyToken(encode({ ...claims, admin: true }), secret)).toBeNull();
    expect(verifyToken(encode({ ...claims, gen: '0' }), secret)).toBeNull();
    expect(verifyToken(encode({ ...claims, role: 'root' }), secret)).toBeNull();
    expect(verifyToken(encode({ ...claims, exp: Date.now() - 1 }), secret)).toBeNull();
    expect(
      verifyToken(signedOver(Buffer.from('not json').toString('base64url')), secret),
    ).toBeNull();
    expect(verifyToken(encode(claims), secret)).toEqual(claims);
  });

  it('refuse a token signed with another secret', () => {
    expect(
      verifyToken(signToken(claims, 'another-secret-of-at-least-32-characters'), secret),
    ).toBeNull();
  });
});

describe('a login token bound to the account id', () => {
  /** The smallest context principalOf reads: the secret and an accounts store that knows one user. */
  function contextWith(account: UserAccount | undefined): ServerContext {
    const accounts = { user: async () => account, apiKey: async () => undefined };
    return { auth: { secret, tokenTtlMs: 3_600_000, accounts } } as unknown as ServerContext;
  }
  const account: UserAccount = {
    id: claims.uid,
    username: 'agent',
    role: 'agent',
    passwordHash: 'scrypt$…',
    tokenGeneration: 0,
  };

  it("names the account's id and username", async () => {
    const principal = await principalOf(
      contextWith(account),
      `Bearer ${signToken(claims, secret)}`,
    );
    expect(principal).toEqual({ id: claims.uid, name: 'agent', role: 'agent', kind: 'user' });
  });

  it('is refused when the account of that name has another id (deleted and created again)', async () => {
    const recreated = { ...account, id: 'b7c1f9a2-0000-4000-8000-000000000002' };
    await expect(
      principalOf(contextWith(recreated), `Bearer ${signToken(claims, secret)}`),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      principalOf(contextWith(recreated), `Bearer ${signToken(claims, secret)}`),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('is refused when the password changed since (an older generation)', async () => {
    await expect(
      principalOf(
        contextWith({ ...account, tokenGeneration: 1 }),
        `Bearer ${signToken(claims, secret)}`,
      ),
    ).rejects.toMatchObject({ status: 401 });
  });
});
