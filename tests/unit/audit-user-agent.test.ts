import { describe, expect, it } from 'vitest';
import { auditUserAgent } from '../../domain/src/audit-user-agent';

describe('auditUserAgent', () => {
  it('keeps the product tokens of a browser, versions cut to major.minor, without the Mozilla prefix', () => {
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36 Edg/131.0.2903.70';
    expect(auditUserAgent(chrome)).toBe('AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0');
    expect(
      auditUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'),
    ).toBe('Firefox/133.0');
    expect(auditUserAgent('curl/8.5.0')).toBe('curl/8.5');
  });

  it('drops comments, contacts and anything that is not a name/version token', () => {
    expect(
      auditUserAgent('Bot/1.0 (+mailto:max.mustermann@example.com; nested (Max Mustermann))'),
    ).toBe('Bot/1.0');
    expect(auditUserAgent('jane.doe@example.com/1.0 Tool/2 user=4711 +49-170-1234567')).toBe(
      'Tool/2',
    );
    // A name with a long digit run may be an account or customer number.
    expect(auditUserAgent('Customer-47110815/1.0 App/3.1')).toBe('App/3.1');
  });

  it('is at most 64 characters and null when nothing is left', () => {
    const long = Array.from(
      { length: 20 },
      (_, i) => `Product${String.fromCharCode(65 + i)}/1.0`,
    ).join(' ');
    expect(auditUserAgent(long)!.length).toBeLessThanOrEqual(64);
    expect(auditUserAgent(undefined)).toBeNull();
    expect(auditUserAgent('')).toBeNull();
    expect(auditUserAgent('(only a comment) max@example.com')).toBeNull();
    expect(auditUserAgent('x'.repeat(100_000))).toBeNull();
  });

  it('gives the same result when applied to its own output', () => {
    const once = auditUserAgent(
      'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15',
    );
    expect(auditUserAgent(once ?? undefined)).toBe(once);
  });
});
