/**
 * Kölner Phonetik (Postel 1969): a phonetic code made for German names, so
 * "Meier", "Maier", "Mayer" and "Meyer" share the code `67`, and "Schmidt"
 * and "Schmitt" share `862`. Written here because the npm packages for it are
 * untyped and unmaintained, and the rules fit in a screen.
 *
 * Input is a folded string (lower-case a–z, digits, spaces); other characters
 * are ignored.
 */

const plain: Record<string, string> = {
  a: '0', e: '0', i: '0', j: '0', o: '0', u: '0', y: '0',
  b: '1', f: '3', v: '3', w: '3', g: '4', k: '4', q: '4',
  l: '5', m: '6', n: '6', r: '7', s: '8', z: '8',
}; // prettier-ignore

/**
 * The Kölner Phonetik code of a folded word or name; '' when it has no letters.
 *
 * @example koelnerPhonetik('mueller') // '657'
 */
export function koelnerPhonetik(s: string): string {
  const word = s.replace(/[^a-z]/g, '');
  let raw = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i];
    const next = word[i + 1] ?? '';
    const prev = word[i - 1] ?? '';
    let code: string;
    switch (ch) {
      case 'h':
        code = '';
        break;
      case 'p':
        code = next === 'h' ? '3' : '1';
        break;
      case 'd':
      case 't':
        code = next === 'c' || next === 's' || next === 'z' ? '8' : '2';
        break;
      case 'c':
        if (i === 0) code = 'ahkloqrux'.includes(next) && next !== '' ? '4' : '8';
        else if (prev === 's' || prev === 'z') code = '8';
        else code = 'ahkoqux'.includes(next) && next !== '' ? '4' : '8';
        break;
      case 'x':
        code = prev === 'c' || prev === 'k' || prev === 'q' ? '8' : '48';
        break;
      default:
        code = plain[ch] ?? '';
    }
    raw += code;
  }
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (i > 0 && c === raw[i - 1]) continue;
    if (c === '0' && i > 0) continue;
    out += c;
  }
  return out;
}

const cache = new Map<string, string>();

/** `koelnerPhonetik` per word, joined by spaces, memoized (names repeat a lot). */
export function phoneticKey(s: string): string {
  let code = cache.get(s);
  if (code === undefined) {
    code = s
      .split(' ')
      .map(koelnerPhonetik)
      .filter((c) => c !== '')
      .join(' ');
    if (cache.size > 200_000) cache.clear();
    cache.set(s, code);
  }
  return code;
}
