import { describe, expect, it } from 'vitest';
import { highlightHit } from '../../server/src/customers/search-highlight';
import { activityRescore, phonePrefix, planSearch } from '../../server/src/customers/search-query';

describe('search query', () => {
  it('turns the start of a phone number in any writing into the start of its E.164 form', () => {
    expect(phonePrefix('0170 34')).toBe('+4917034');
    expect(phonePrefix('0049 1703')).toBe('+491703');
    expect(phonePrefix('+41 76 63')).toBe('+417663');
    expect(phonePrefix('0170')).toBeNull();
    expect(phonePrefix('1703411')).toBeNull();
  });

  it('ranks by activity only as a tie-breaker added to the score of the top window, with no scripts', () => {
    const rescore = activityRescore(50);
    expect(rescore.window_size).toBe(50);
    expect(rescore.query?.score_mode).toBe('total');
    const scored = rescore.query?.rescore_query.function_score as
      { functions?: unknown[] } | undefined;
    expect(scored?.functions?.[0]).toMatchObject({
      field_value_factor: { field: 'kpis.touchpointCount', modifier: 'log1p' },
      weight: 0.5,
    });
    const text = JSON.stringify([planSearch('Anna Schmidt', {}), rescore]);
    for (const unsafe of ['query_string', 'script', 'regexp', 'wildcard'])
      expect(text).not.toContain(unsafe);
  });

  it('asks for the words as typed first (the last also as a start or a name with a typo) and tolerates typos everywhere only when nobody matched', () => {
    const fuzzy = (tier: unknown) =>
      JSON.stringify(tier).match(/"query":"(\w+)","fuzziness"/g) ?? [];
    const [exact, tolerant] = planSearch('Anna Schmidt', {}).tiers;
    expect(JSON.stringify(exact)).toContain('"prefix":{"search.names":{"value":"schmidt"');
    expect(fuzzy(exact)).toEqual(['"query":"schmidt","fuzziness"']);
    expect(fuzzy(tolerant)).toEqual(
      expect.arrayContaining(['"query":"anna","fuzziness"', '"query":"schmidt","fuzziness"']),
    );
    // A start of three letters is being typed, not mistyped.
    expect(fuzzy(planSearch('Anna Sch', {}).tiers[0])).toEqual([]);
  });

  it('looks a number up as a keyword first and reads it as words only when nobody holds it', () => {
    const plan = planSearch('K-100234', {});
    expect(plan.kind).toBe('number');
    expect(plan.tiers).toHaveLength(2);
    expect(JSON.stringify(plan.tiers[0])).not.toContain('search.names');
    expect(JSON.stringify(plan.tiers[0])).toContain('"value":"K100234"');
    expect(JSON.stringify(plan.tiers[1])).toContain('search.names');
    // A phone needs no second reading: every way it can match is a keyword.
    expect(planSearch('0170 3411031', {}).tiers).toHaveLength(1);
  });

  it('allows two edits for a typo in a word that folding shortened, one for other short words', () => {
    const fuzziness = (q: string) =>
      JSON.stringify(planSearch(q, {}).tiers.at(-1)).match(/"fuzziness":("AUTO"|\d)/g);
    expect(fuzziness('Hoer')?.[0]).toBe('"fuzziness":2');
    expect(fuzziness('Horn')?.[0]).toBe('"fuzziness":"AUTO"');
  });

  it('keeps the facet filters in every tier', () => {
    for (const tier of planSearch('Anna', { segment: ['VIP'] }).tiers)
      expect(JSON.stringify(tier)).toContain('"terms":{"segment":["VIP"]}');
  });
});

describe('search highlight', () => {
  const keys = {
    names: ['anna schmidt', 'anna schmitt'],
    cities: ['berlin'],
    postalCodes: ['10115'],
    streets: ['hauptstrase'],
    text: 'drucker defekt lieferung verspatet waschmaschine lauft aus',
    emails: ['anna.schmidt@example.de'],
    phones: ['+491703411031'],
    phoneSuffixes: ['1031', '11031', '411031', '3411031', '03411031', '703411031', '1703411031'],
    numbers: ['A100234', 'K900001'],
  };

  it('marks the words as typed and the start of the last one in names, cities and ticket text', () => {
    expect(highlightHit('Anna Schm', 'text', keys)).toEqual({
      name: ['<mark>anna</mark> <mark>schmidt</mark>', '<mark>anna</mark> <mark>schmitt</mark>'],
    });
    expect(highlightHit('Schmidt Berlin', 'text', keys)).toMatchObject({
      name: ['anna <mark>schmidt</mark>'],
      city: ['<mark>berlin</mark>'],
    });
    expect(highlightHit('Schmidt Waschmaschine', 'text', keys).text?.[0]).toContain(
      '<mark>waschmaschine</mark>',
    );
    expect(highlightHit('Schmidt 10115', 'text', keys).postalCode).toEqual(['<mark>10115</mark>']);
  });

  it('marks the identifier that matched, whole', () => {
    expect(highlightHit('ANNA.SCHMIDT@example.de', 'email', keys)).toEqual({
      email: ['<mark>anna.schmidt@example.de</mark>'],
    });
    expect(highlightHit('0170 3411031', 'phone', keys).phone).toEqual([
      '<mark>+491703411031</mark>',
      '<mark>1703411031</mark>',
    ]);
    expect(highlightHit('1031', 'phone', keys).phone).toEqual(['<mark>1031</mark>']);
    expect(highlightHit('0170 34', 'phone', keys).phone).toEqual(['<mark>+491703411031</mark>']);
    expect(highlightHit('a-100234', 'number', keys)).toEqual({ number: ['<mark>A100234</mark>'] });
  });

  it('marks nothing for a browse, a typo or a hit without keys', () => {
    expect(highlightHit('', 'all', keys)).toEqual({});
    expect(highlightHit('Schmdit', 'text', keys)).toEqual({});
    expect(highlightHit('Anna', 'text', undefined)).toEqual({});
  });
});
