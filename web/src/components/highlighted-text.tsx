import { foldText } from '../../../domain/src/normalize';
/**
 * Renders a search highlight fragment such as `Anna <mark>Schmidt</mark>`.
 * The text is split on the mark tags here and every part rendered as plain
 * text, so nothing from the server is ever interpreted as HTML.
 */
export function splitHighlight(fragment: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  const pattern = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let match = pattern.exec(fragment); match; match = pattern.exec(fragment)) {
    if (match.index > last) parts.push({ text: fragment.slice(last, match.index), marked: false });
    parts.push({ text: match[1], marked: true });
    last = match.index + match[0].length;
  }
  if (last < fragment.length) parts.push({ text: fragment.slice(last), marked: false });
  return parts;
}

export function HighlightedText({ fragment }: { fragment: string }) {
  return (
    <>
      {splitHighlight(fragment).map((part, i) =>
        part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

/**
 * The index's own folding (domain `foldText`: accents, umlauts and their
 * ae/oe/ue/ss writings), so "Mueller" in a display name matches the index's
 * marked "muller".
 */
export function foldForMatch(text: string): string {
  return foldText(text);
}

/** The marked terms of highlight fragments, folded: `anna <mark>muller</mark>` → ["muller"]. */
export function markedTerms(fragments: readonly string[]): string[] {
  return fragments
    .flatMap((f) =>
      splitHighlight(f)
        .filter((p) => p.marked)
        .map((p) => foldForMatch(p.text.trim())),
    )
    .filter(Boolean);
}

/**
 * Shows `text` as written (e.g. the display name "Amina Müller") with the words
 * marked whose folded form the index marked (`amina <mark>muller</mark>`), so
 * the person reads the real name, not the index's folded copy of it.
 * Returns null when no word could be matched, so the caller can fall back.
 */
export function markWords(text: string, terms: readonly string[]) {
  if (terms.length === 0) return null;
  const wanted = new Set(terms.flatMap((t) => t.split(/\s+/)));
  const words = text.split(/(\s+|[-–,&/()]+)/);
  let any = false;
  const parts = words.map((word, i) => {
    const folded = foldForMatch(word);
    // "Mueller" is indexed like "Müller": try the transliterated writing too.
    const plain = folded.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
    const hit =
      folded.length > 0 &&
      [folded, plain].some(
        (w) => wanted.has(w) || [...wanted].some((t) => t.length >= 2 && w.startsWith(t)),
      );
    if (hit) any = true;
    return hit ? <mark key={i}>{word}</mark> : <span key={i}>{word}</span>;
  });
  return any ? <>{parts}</> : null;
}
