import { describe, expect, it } from 'vitest';
import { samePerson, signatureOf, withinEdits } from '../../store/src/identity/identity-rules';
import { generateDemo } from '../../scripts/demo/generate';
import { messify } from '../../scripts/demo/messy-variants';

const sig = (firstName: string | null, lastName: string | null, birthDate: string | null = null) =>
  signatureOf({ firstName, lastName, birthDate });

describe('people on a weak identifier', () => {
  it('agree with a typo in the last name, an umlaut written out, or a married name with the same birth date', () => {
    expect(samePerson(sig('Katharina', 'Schmidt'), sig('katharina', 'Schmitd'), 1)).toBe(true);
    expect(samePerson(sig('Jörg', 'Müller'), sig('Joerg', 'Mueller'), 1)).toBe(true);
    expect(
      samePerson(sig('Anna', 'Weber', '1980-01-01'), sig('Anna', 'Becker', '1980-01-01'), 1),
    ).toBe(true);
  });

  it('disagree for household members, namesakes born on other days, and short names one letter apart', () => {
    expect(samePerson(sig('Anna', 'Weber'), sig('Peter', 'Weber'), 1)).toBe(false);
    expect(
      samePerson(sig('Thomas', 'Müller', '1961-05-01'), sig('Thomas', 'Müller', '1992-11-30'), 1),
    ).toBe(false);
    expect(samePerson(sig('Jan', 'Kurz'), sig('Jana', 'Kurz'), 1)).toBe(false);
    expect(samePerson(sig('Anna', 'Weber'), sig('Anna', 'Becker'), 1)).toBe(false);
  });

  it('counts a swap of two letters as one edit', () => {
    expect(withinEdits('schmidt', 'schmitd', 1)).toBe(true);
    expect(withinEdits('schmidt', 'schmadtx', 1)).toBe(false);
  });
});

describe('messy demo variants', () => {
  it('are deterministic, keep every touchpoint with its person, and tag the difficulty kinds', () => {
    const run = () => [
      ...messify(generateDemo({ customers: 200, seed: 5, now: new Date('2026-11-01T00:00:00Z') }), {
        seed: 5,
      }),
    ];
    const a = run();
    const b = run();
    expect(a).toEqual(b);
    const plain = [
      ...generateDemo({ customers: 200, seed: 5, now: new Date('2026-11-01T00:00:00Z') }),
    ];
    expect(a.map((t) => `${t.personId}:${t.touchpoint.source}:${t.touchpoint.id}`)).toEqual(
      plain.map((t) => `${t.personId}:${t.touchpoint.source}:${t.touchpoint.id}`),
    );
    const kinds = new Set(a.flatMap((t) => t.difficulties));
    for (const k of ['plain', 'household', 'typo', 'placeholder'])
      expect(kinds.has(k as never), k).toBe(true);
  });
});
