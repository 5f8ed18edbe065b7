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

let row0 = new Int32Array(32);
let row1 = new Int32Array(32);
let row2 = new Int32Array(32);

/**
 * Whether the optimal-string-alignment distance (Damerau-Levenshtein
 * without overlapping edits) is at most `max`. Stops as soon as a row
 * exceeds `max`.
 */
export function editsWithin(a: string, b: string, max: number): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return false;
  if (row0.length <= lb) {
    row0 = new Int32Array(lb * 2 + 1);
    row1 = new Int32Array(lb * 2 + 1);
    row2 = new Int32Array(lb * 2 + 1);
  }
  // row2: i-2, row1: i-1, row0: i (rotated each round).
  for (let j = 0; j <= lb; j++) row1[j] = j;
  for (let i = 1; i <= la; i++) {
    row0[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(row1[j] + 1, row0[j - 1] + 1, row1[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        d = Math.min(d, row2[j - 2] + 1);
      row0[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return false;
    const t = row2;
    row2 = row1;
    row1 = row0;
    row0 = t;
  }
  return row1[lb] <= max;
}

// What OCR and hurried transcription confuse, mapped to one shape.
const ocrShapes: readonly (readonly [RegExp, string])[] = [
  [/rn/g, 'm'],
  [/cl/g, 'd'],
  [/vv/g, 'w'],
  [/ii/g, 'u'],
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/5/g, 's'],
  [/8/g, 'b'],
];

/** A folded name with OCR confusions (rn/m, cl/d, 0/o, 1/l …) mapped to one form. */
const ocrProne = /rn|cl|vv|ii|[0158]/;

export function ocrShape(s: string): string {
  if (!ocrProne.test(s)) return s;
  let out = s;
  for (const [pattern, to] of ocrShapes) out = out.replace(pattern, to);
  return out;
}

/**
 * Whether two first names are the male and female form of one name
 * (Paul/Paula, Daniel/Daniela, Christian/Christiane, Mario/Maria): a typo
 * rarely makes one from the other, twins and siblings often bear them.
 */
export function genderForms(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 3) return false;
  if (long.startsWith(short)) {
    const rest = long.slice(short.length);
    return ['a', 'e', 'ine', 'ina', 'le', 'ne', 'la', 'na'].includes(rest);
  }
  return (
    short.length === long.length &&
    short.slice(0, -1) === long.slice(0, -1) &&
    /[oa]$/.test(short) &&
    /[oa]$/.test(long)
  );
}
