/**
 * String and digit comparators, written here rather than taken from a
 * library: they run millions of times in a full pass, and the few lines below
 * avoid allocations (one reused buffer) and answer the "within one edit?"
 * question in linear time instead of filling a distance matrix.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/**
 * Jaro-Winkler similarity (0..1), prefix scale 0.1 over at most 4 characters,
 * as in Winkler (1990) and Splink's default.
 *
 * @example jaroWinkler('martha', 'marhta') // 0.961
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (flagsA.length < la) flagsA = new Uint8Array(la * 2);
  if (flagsB.length < lb) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    const ch = a.charCodeAt(i);
    for (let j = from; j <= to; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ch) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** What single edit turns one string into the other, if one does. */
export type SingleEdit = 'substitute' | 'insert' | 'transpose' | null;

/**
 * The one edit (Damerau: substitution, insertion/deletion or transposition of
 * adjacent characters) between two different strings, or null when they are
 * equal or more than one edit apart. Linear time.
 *
 * @example singleEdit('12345', '12435') // 'transpose'
 */
export function singleEdit(a: string, b: string): SingleEdit {
  if (a === b) return null;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return null;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // Equal suffixes after the first difference: a substitution.
    if (a.slice(i + 1) === b.slice(i + 1)) return 'substitute';
    if (
      i + 1 < la &&
      a.charCodeAt(i) === b.charCodeAt(i + 1) &&
      a.charCodeAt(i + 1) === b.charCodeAt(i) &&
      a.slice(i + 2) === b.slice(i + 2)
    )
      return 'transpose';
    return null;
  }
  const [longer, shorter] = la > lb ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i) ? 'insert' : null;
}

/** Whether one name's words all appear in the other's ("anna" in "anna lena", "muller" in "muller schmidt"). */
export function wordsContained(a: string, b: string): boolean {
  if (!a.includes(' ') && !b.includes(' ')) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const words = long.split(' ');
  return short.split(' ').every((w) => words.includes(w));
}
