/**
 * A small seedable pseudo-random generator for the demo data.
 *
 * The demo must be reproducible for a seed, so nothing here may use
 * `Math.random`. sfc32 is fast, has a 128-bit state and passes PractRand far
 * beyond what a demo needs; splitmix32 spreads small seeds (0, 1, 2 …) over
 * the whole state so neighbouring persons do not get correlated streams.
 */

/** Mixes a seed with further numbers into a well-spread 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split large integers so person indexes above 2^32 would still mix in.
    h = splitmix32(h ^ (part >>> 0));
    h = splitmix32(h ^ Math.floor(part / 0x1_0000_0000));
  }
  return h >>> 0;
}

function splitmix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = splitmix32(seed);
    this.b = splitmix32(this.a);
    this.c = splitmix32(this.b);
    this.d = 1;
    // sfc32 needs a few rounds before the first outputs are well mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[['web', 60], ['app', 15]]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const result: T[] = [];
    while (result.length < count && pool.length > 0) {
      const i = Math.floor(this.next() * pool.length);
      result.push(pool[i]);
      pool[i] = pool[pool.length - 1];
      pool.pop();
    }
    return result;
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count with mean `lambda`; a normal approximation above 30 keeps it O(1). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A string of `length` decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.nextUint32() % 10);
    return out;
  }

  /** A 64-bit random id in hex: unique enough for call, mail and session ids. */
  hex64(): string {
    return (
      this.nextUint32().toString(16).padStart(8, '0') +
      this.nextUint32().toString(16).padStart(8, '0')
    );
  }
}

/**
 * A bijection of [0, size) for numbers that must be unique per person but
 * should not look sequential (customer numbers, phone numbers). `multiplier`
 * must share no factor with `size`.
 */
export function scatter(index: number, size: number, multiplier: number, offset: number): number {
  return ((((index % size) * multiplier + (offset % size)) % size) + size) % size;
}
