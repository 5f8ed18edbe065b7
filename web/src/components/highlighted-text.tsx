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
      {splitHighlight(fragment).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}
