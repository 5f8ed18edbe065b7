/**
 * Identity rules as configuration: `config/identity-rules.json` (documented in
 * the README). Read once per indexer at start and validated; a broken file
 * stops the indexer with the list of problems rather than linking wrongly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { foldText } from '../../../domain/src/normalize';

const kindSchema = z.object({
  /**
   * `strong`: two records carrying the value are one person (merges).
   * `weak`: links only when the people agree (see `weakLinks`).
   */
  strength: z.enum(['strong', 'weak']),
  /** Once this many distinct people hold the value, it stops linking anyone new. */
  maxPeople: z.number().int().min(1).max(1_000),
});

const patternSchema = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(s);
    if (!m) return;
    try {
      new RegExp(m[1], m[2]);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid regular expression: ${(error as Error).message}`,
      });
    }
  });

export const identityRulesSchema = z.object({
  kinds: z.record(z.string().regex(/^[a-z]+$/), kindSchema),
  /** Per kind: exact normalized values, or `/regex/flags`, that never link (placeholders). */
  blocked: z.record(z.string().regex(/^[a-z]+$/), z.array(patternSchema)).default({}),
  /** Which source wins a master-data field on the profile (earlier wins, then the most recent). */
  sourcePriority: z.array(z.string().regex(/^[a-z0-9_-]{1,40}$/)).default([]),
  weakLinks: z
    .object({ maxNameEdits: z.number().int().min(0).max(3).default(1) })
    .default({ maxNameEdits: 1 }),
});

export type IdentityRulesConfig = z.infer<typeof identityRulesSchema>;

/** The rules ready to apply. */
export interface IdentityRules {
  config: IdentityRulesConfig;
  /** True when the normalized key (`email:test@test.de`) is a placeholder that never links. */
  isBlocked(key: string): boolean;
  strength(kind: string): 'strong' | 'weak';
  maxPeople(kind: string): number;
}

/** The rules of the repository, `config/identity-rules.json`: PANORAMA_IDENTITY_RULES's default. */
export const defaultRulesPath = path.resolve(
  import.meta.dirname,
  '../../../config/identity-rules.json',
);

/** PANORAMA_IDENTITY_RULES, read by the indexer and by every process that rebuilds profiles (same file, same profiles). */
export const identityRulesEnv = z.object({
  PANORAMA_IDENTITY_RULES: z.string().min(1).default(defaultRulesPath).meta({
    description: 'the identity rules file (see Identity rules); a broken one stops the indexer',
    whenUnset: '`config/identity-rules.json`',
  }),
});

export function compileIdentityRules(raw: unknown): IdentityRules {
  const parsed = identityRulesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`identity rules are invalid: ${problems}`);
  }
  const config = parsed.data;
  const exact = new Map<string, Set<string>>();
  const patterns = new Map<string, RegExp[]>();
  for (const [kind, values] of Object.entries(config.blocked)) {
    for (const v of values) {
      const m = /^\/(.*)\/([a-z]*)$/s.exec(v);
      if (m) patterns.set(kind, [...(patterns.get(kind) ?? []), new RegExp(m[1], m[2])]);
      else exact.set(kind, (exact.get(kind) ?? new Set()).add(v.trim().toLowerCase()));
    }
  }
  return {
    config,
    isBlocked(key) {
      const colon = key.indexOf(':');
      const kind = key.slice(0, colon);
      const value = key.slice(colon + 1);
      if (exact.get(kind)?.has(value.toLowerCase())) return true;
      return (patterns.get(kind) ?? []).some((re) => re.test(value));
    },
    // Kinds not configured (e.g. `tp:` fallbacks) are strong: they name one record.
    strength: (kind) => config.kinds[kind]?.strength ?? 'strong',
    maxPeople: (kind) => config.kinds[kind]?.maxPeople ?? 1,
  };
}

let cached: { file: string; rules: IdentityRules } | null = null;

/** Loads and compiles the rules file: the indexer's PANORAMA_IDENTITY_RULES, default `config/identity-rules.json`. */
export function loadIdentityRules(file = defaultRulesPath): IdentityRules {
  if (cached?.file === file) return cached.rules;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read identity rules ${file}: ${(error as Error).message}`);
  }
  const rules = compileIdentityRules(raw);
  cached = { file, rules };
  return rules;
}

/** Who a record says the person is, folded for comparison (no personal data leaves the indexer). */
export interface PersonSignature {
  first: string | null;
  last: string | null;
  birth: string | null;
}

export function signatureOf(customer: {
  firstName?: string | null;
  lastName?: string | null;
  birthDate?: string | null;
}): PersonSignature {
  const f = (s: string | null | undefined) => (s ? foldText(s) || null : null);
  return {
    first: f(customer.firstName),
    last: f(customer.lastName),
    birth: customer.birthDate?.trim() || null,
  };
}

export function hasName(s: PersonSignature): boolean {
  return s.first !== null || s.last !== null;
}

/**
 * Whether two writings could be the same person on a weak identifier:
 * first names agree (within `maxEdits`), and last names agree or the birth
 * dates are equal (married names); differing birth dates never agree.
 */
export function samePerson(a: PersonSignature, b: PersonSignature, maxEdits: number): boolean {
  if (a.birth && b.birth && a.birth !== b.birth) return false;
  const firstAgrees =
    a.first !== null && b.first !== null && nameAgrees(a.first, b.first, maxEdits);
  const lastAgrees = a.last !== null && b.last !== null && nameAgrees(a.last, b.last, maxEdits);
  const sameBirth = a.birth !== null && a.birth === b.birth;
  if (a.first === null || b.first === null) return lastAgrees && (sameBirth || a.first === b.first);
  return firstAgrees && (lastAgrees || sameBirth);
}

function nameAgrees(a: string, b: string, maxEdits: number): boolean {
  if (a === b) return true;
  // Short names ("Jan"/"Jana") differ by one letter too often to allow a typo.
  if (Math.min(a.length, b.length) < 5) return false;
  // A double name against one of its parts ("anna lena" / "anna").
  if (a.split(' ').includes(b) || b.split(' ').includes(a)) return true;
  return withinEdits(a, b, maxEdits);
}

/** Optimal string alignment distance ≤ max (a swap of two letters counts once). */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return false;
  }
  return rows[a.length][b.length] <= max;
}
