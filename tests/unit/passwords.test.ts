import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../server/src/auth/passwords';
import { parseTrustProxy } from '../../server/src/privacy/hardening';

// Each hash at today's strength takes 0.3–0.5 s alone, several seconds on a busy machine.
const scryptTimeout = 30_000;

describe('password hashes', () => {
  it(
    'are scrypt at N=2^17, r=8, p=1 with the parameters in the hash, and verify',
    async () => {
      const hash = await hashPassword('correct horse');
      expect(hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
      expect(await verifyPassword('correct horse', hash)).toBe(true);
      expect(await verifyPassword('correct horsE', hash)).toBe(false);
      expect(needsRehash(hash)).toBe(false);
    },
    scryptTimeout,
  );

  it(
    'of the earlier format (N=2^14, no parameters) still verify and ask to be made stronger',
    async () => {
      const salt = randomBytes(16);
      const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('old secret', salt, 32, { N: 16_384, r: 8, p: 1 }).toString('base64')}`;
      expect(await verifyPassword('old secret', legacy)).toBe(true);
      expect(await verifyPassword('other', legacy)).toBe(false);
      expect(needsRehash(legacy)).toBe(true);
    },
    scryptTimeout,
  );

  it(
    'with parameters out of bounds or another scheme verify nothing, without trying',
    async () => {
      expect(await verifyPassword('x', 'scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA')).toBe(
        false,
      );
      expect(await verifyPassword('x', 'bcrypt$2b$10$abc')).toBe(false);
      expect(await verifyPassword('x', dummyPasswordHash)).toBe(false);
    },
    scryptTimeout,
  );
});

describe('PANORAMA_TRUST_PROXY', () => {
  it('is off unless set, and otherwise what Express takes', () => {
    expect([undefined, '', ' ', 'false', '0'].map(parseTrustProxy)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });
});
