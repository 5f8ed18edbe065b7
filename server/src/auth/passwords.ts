import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes: scrypt (memory-hard, in Node's crypto, so no native
 * module) at OWASP's recommended strength, N = 2^17, r = 8, p = 1: about
 * 128 MiB and 0.3–0.5 s per hash. The parameters are part of the hash string,
 * `scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>`, so they can be raised again
 * later while older hashes keep verifying; a hash of the first format,
 * `scrypt$<salt b64>$<hash b64>`, was made with N = 2^14, r = 8, p = 1.
 * `needsRehash` tells the login to store a hash at today's strength.
 */
interface ScryptParams {
  /** log2 of N. */
  ln: number;
  r: number;
  p: number;
}

const current: ScryptParams = { ln: 17, r: 8, p: 1 };
const legacy: ScryptParams = { ln: 14, r: 8, p: 1 };
/** Bounds for parameters read from a stored hash, so a damaged one cannot ask for gigabytes. */
const bounds = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  // scrypt needs 128·N·r bytes (plus a little); without maxmem Node refuses anything over 32 MiB.
  const maxmem = 128 * N * params.r * params.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, 32, { N, r: params.r, p: params.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function encodeParams(params: ScryptParams): string {
  return `ln=${params.ln},r=${params.r},p=${params.p}`;
}

/** The parts of a stored hash, or null when it is not one we made. */
function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  if (parts.length === 3 && parts[1] && parts[2])
    return {
      params: legacy,
      salt: Buffer.from(parts[1], 'base64'),
      hash: Buffer.from(parts[2], 'base64'),
    };
  if (parts.length !== 4 || !parts[2] || !parts[3]) return null;
  const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1]);
  if (!match) return null;
  const params: ScryptParams = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  for (const key of ['ln', 'r', 'p'] as const) {
    if (params[key] < bounds[key][0] || params[key] > bounds[key][1]) return null;
  }
  return { params, salt: Buffer.from(parts[2], 'base64'), hash: Buffer.from(parts[3], 'base64') };
}

/** `scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${encodeParams(current)}$${salt.toString('base64')}$${(await scrypt(password, salt, current)).toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed.params);
  return parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
}

/** Whether a hash that just verified was made with weaker parameters than today's (then store a new one). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return (
    !parsed ||
    parsed.params.ln < current.ln ||
    parsed.params.r < current.r ||
    parsed.params.p < current.p
  );
}

/**
 * Verified against for a username that does not exist, so the answer takes as
 * long as for a real one and timing does not tell which names exist. Today's
 * parameters; it matches no password.
 */
export const dummyPasswordHash = `scrypt$${encodeParams(current)}$AAAAAAAAAAAAAAAAAAAAAA==$AAAA`;

/** A readable random secret: 20 characters of a-z, A-Z, 0-9. */
export function randomSecret(length = 20): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
