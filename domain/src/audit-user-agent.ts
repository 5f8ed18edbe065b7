/**
 * The User-Agent as its product tokens only (`Chrome/131.0 Safari/537.36`),
 * at most 64 characters, or null. Comments in parentheses (device model,
 * locale, `+mailto:` contacts of crawlers) and anything that is not a plain
 * `name/version` token are dropped, versions are cut to major.minor and names
 * carrying long digit runs (which may be an account number) are left out, so
 * what is stored says which client it was and cannot hold a person's data.
 */
export function auditUserAgent(raw: string | undefined): string | null {
  if (!raw) return null;
  let text = raw.slice(0, 1_024);
  // Comments may nest: remove innermost first, a bounded number of times.
  for (let i = 0; i < 5 && /\([^()]*\)/.test(text); i++) text = text.replace(/\([^()]*\)/g, ' ');
  const tokens: string[] = [];
  let length = 0;
  for (const word of text.split(/\s+/)) {
    const m =
      /^([A-Za-z][A-Za-z0-9._-]{0,31})\/(\d{1,6}(?:\.\d{1,6})?)(?:[.\-+_][0-9A-Za-z.\-+_]*)?$/.exec(
        word,
      );
    if (!m || /\d{4,}/.test(m[1])) continue;
    // Every browser sends it first; it says nothing.
    if (m[1] === 'Mozilla' && tokens.length === 0) continue;
    const token = `${m[1]}/${m[2]}`;
    if (length + token.length + (tokens.length > 0 ? 1 : 0) > 64) break;
    length += token.length + (tokens.length > 0 ? 1 : 0);
    tokens.push(token);
  }
  return tokens.length > 0 ? tokens.join(' ') : null;
}
