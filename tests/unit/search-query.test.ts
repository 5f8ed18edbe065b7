import { describe, expect, it } from 'vitest';
import { buildSearchQuery, phonePrefix, searchHighlightFor } from '../../server/src/customers/search-query';

describe('search query', () => {
  it('turns the start of a phone number in any writing into the start of its E.164 form', () => {
    expect(phonePrefix('0170 34')).toBe('+4917034');
    expect(phonePrefix('0049 1703')).toBe('+491703');
    expect(phonePrefix('+41 76 63')).toBe('+417663');
    expect(phonePrefix('0170')).toBeNull();
    expect(phonePrefix('1703411')).toBeNull();
  });

  it('ranks by activity only as a tie-breaker added to the score, with no scripts', () => {
    const query = buildSearchQuery('Anna Schmidt', {});
    const scored = query.function_score as { boost_mode?: string; functions?: unknown[] } | undefined;
    expect(scored?.boost_mode).toBe('sum');
    expect(scored?.functions?.[0]).toMatchObject({ field_value_factor: { field: 'kpis.touchpointCount', modifier: 'log1p' }, weight: 0.5 });
    const text = JSON.stringify(query);
    for (const unsafe of ['query_string', 'script', 'regexp']) expect(text).not.toContain(unsafe);
  });

  it('allows two edits for a typo in a word that folding shortened, one for other short words', () => {
    const fuzziness = (q: string) => JSON.stringify(buildSearchQuery(q, {})).match(/"fuzziness":("AUTO"|\d)/g);
    expect(fuzziness('Hoer')?.[0]).toBe('"fuzziness":2');
    expect(fuzziness('Horn')?.[0]).toBe('"fuzziness":"AUTO"');
  });

  it('highlights with exact words and a name prefix, never with the fuzzy query', () => {
    const highlight = JSON.stringify(searchHighlightFor('Anna Sch'));
    expect(highlight).not.toContain('fuzziness');
    expect(highlight).toContain('"value":"sch*"');
  });
});
