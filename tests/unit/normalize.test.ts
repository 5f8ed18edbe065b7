import { describe, expect, it } from 'vitest';
import {
  capitalizeName,
  detectQueryKind,
  foldText,
  normalizeCountry,
  normalizeEmail,
  normalizeNumber,
  normalizePhone,
  phoneSuffixes,
  standardizePlace,
  standardizePostalCode,
} from '../../domain/src/normalize';

describe('foldText', () => {
  it('Müller and Mueller fold alike', () => {
    expect(foldText('Müller')).toBe('muller');
    expect(foldText('Mueller')).toBe('muller');
    expect(foldText('MULLER')).toBe('muller');
    expect(foldText('MÜLLER')).toBe('muller');
  });

  it('Strauß and Strauss fold alike', () => {
    expect(foldText('Strauß')).toBe('straus');
    expect(foldText('Strauss')).toBe('straus');
  });

  it('Ö/oe and accents fold to the base letter', () => {
    expect(foldText('Schröder')).toBe(foldText('Schroeder'));
    expect(foldText('José Françoise')).toBe('jose francoise');
    expect(foldText('Søren Łukasz')).toBe('soren lukasz');
  });

  it('punctuation becomes a space and whitespace collapses', () => {
    expect(foldText('  Anna-Lena   O’Neil, Lindenstr. 4 ')).toBe('anna lena o neil lindenstr 4');
  });

  it('folding twice changes nothing, so index and query time agree', () => {
    for (const s of ['Müller-Lüdenscheidt', 'Strauß', 'Ævar Œuvre', 'Michael Goethe']) {
      expect(foldText(foldText(s))).toBe(foldText(s));
    }
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases an email', () => {
    expect(normalizeEmail('  Anna.Schmidt@Example.DE ')).toEqual({
      value: 'anna.schmidt@example.de',
      valid: true,
    });
  });

  it('keeps an address that does not look like an email, flagged invalid', () => {
    expect(normalizeEmail('anna at example')).toEqual({ value: 'anna at example', valid: false });
    expect(normalizeEmail('anna@localhost')?.valid).toBe(false);
  });

  it('answers null for an empty email', () => {
    expect(normalizeEmail('   ')).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
});

describe('normalizePhone', () => {
  it('each phone writing of CONTRACT.md normalizes to the same E.164', () => {
    for (const writing of [
      '+49 170 1234567',
      '0049-170-1234567',
      '0170 1234567',
      '(0170) 123 45 67',
    ]) {
      expect(normalizePhone(writing)).toEqual({ value: '+491701234567', valid: true });
    }
  });

  it('reads a national number in the given country', () => {
    expect(normalizePhone('0664 1234567', 'AT')).toEqual({ value: '+436641234567', valid: true });
    expect(normalizePhone('079 123 45 67', 'ch')).toEqual({ value: '+41791234567', valid: true });
  });

  it('reads Austrian and Swiss international numbers whatever the default country', () => {
    expect(normalizePhone('+43 664 1234567')?.value).toBe('+436641234567');
    expect(normalizePhone('0041 79 123 45 67')?.value).toBe('+41791234567');
  });

  it('keeps the digits of a number it cannot standardize, flagged invalid', () => {
    expect(normalizePhone('+12')).toEqual({ value: '+12', valid: false });
    expect(normalizePhone('call 12')).toEqual({ value: '12', valid: false });
  });

  it('answers null for an empty phone or one without digits', () => {
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone('n/a')).toBeNull();
  });
});

describe('phoneSuffixes', () => {
  it('lists the last 4 to 10 digits', () => {
    expect(phoneSuffixes('+491701234567')).toEqual([
      '4567',
      '34567',
      '234567',
      '1234567',
      '01234567',
      '701234567',
      '1701234567',
    ]);
  });

  it('stops at the length of a short number', () => {
    expect(phoneSuffixes('12-345')).toEqual(['2345', '12345']);
  });
});

describe('normalizeNumber', () => {
  it('strips separators and upper-cases', () => {
    expect(normalizeNumber('k-102 934')).toBe('K102934');
    expect(normalizeNumber('a.100/234_x')).toBe('A100234X');
  });
});

describe('normalizeCountry', () => {
  it('reads codes and German and English names', () => {
    const cases: [string, string][] = [
      ['DE', 'DE'],
      ['de', 'DE'],
      ['Deutschland', 'DE'],
      ['Germany', 'DE'],
      ['Österreich', 'AT'],
      ['Austria', 'AT'],
      ['Schweiz', 'CH'],
      ['Switzerland', 'CH'],
      ['CH', 'CH'],
      ['AT', 'AT'],
      ['Norwegen', 'NO'],
      ['Türkei', 'TR'],
      ['Polen', 'PL'],
      ['United Kingdom', 'GB'],
      ['UK', 'GB'],
      ['USA', 'US'],
      ['Niederlande', 'NL'],
    ];
    for (const [raw, code] of cases) expect(normalizeCountry(raw)).toBe(code);
  });

  it('answers null for an unknown country, or the fallback', () => {
    expect(normalizeCountry('Atlantis')).toBeNull();
    expect(normalizeCountry('Atlantis', 'de')).toBe('DE');
    expect(normalizeCountry('', 'Deutschland')).toBe('DE');
  });
});

describe('capitalizeName', () => {
  it('capitalizes names written in one case', () => {
    expect(capitalizeName("aNNA-lena o'neil")).toBe("Anna-Lena O'Neil");
    expect(capitalizeName('HANS VON DER HEIDE')).toBe('Hans von der Heide');
    expect(capitalizeName('jürgen')).toBe('Jürgen');
  });

  it('leaves a deliberately mixed-case name alone', () => {
    expect(capitalizeName('McDonald')).toBe('McDonald');
    expect(capitalizeName('de Vries')).toBe('de Vries');
  });
});

describe('detectQueryKind', () => {
  it('an @ makes an email', () => {
    expect(detectQueryKind('anna@example')).toBe('email');
  });

  it('digits with phone punctuation make a phone', () => {
    expect(detectQueryKind('+49 (170) 123-4567')).toBe('phone');
    expect(detectQueryKind('4567')).toBe('phone');
  });

  it('ids with letters and digits make a number', () => {
    for (const q of ['A-100234', 'K-102934', 'TCK-5512', '1Z999AA10123456784', 'K 102934']) {
      expect(detectQueryKind(q)).toBe('number');
    }
  });

  it('words make text, also with a postal code', () => {
    expect(detectQueryKind('Anna Schmidt')).toBe('text');
    expect(detectQueryKind('Schmidt 80331 München')).toBe('text');
    expect(detectQueryKind('123')).toBe('text');
  });
});

describe('standardizePostalCode', () => {
  it('writes a code the way its country does, dropping a country prefix', () => {
    expect(standardizePostalCode(' d-80331 ', 'DE')).toEqual({ value: '80331', valid: true });
    expect(standardizePostalCode('D 80331', 'DE')).toEqual({ value: '80331', valid: true });
    expect(standardizePostalCode('803 31', 'DE')).toEqual({ value: '80331', valid: true });
    expect(standardizePostalCode('CH-8001', 'CH')).toEqual({ value: '8001', valid: true });
    expect(standardizePostalCode('A-1010', 'AT')).toEqual({ value: '1010', valid: true });
    expect(standardizePostalCode('1234ab', 'NL')).toEqual({ value: '1234 AB', valid: true });
    expect(standardizePostalCode('sw1a1aa', 'GB')).toEqual({ value: 'SW1A 1AA', valid: true });
    expect(standardizePostalCode('00950', 'PL')).toEqual({ value: '00-950', valid: true });
  });

  it('flags a code without its country form and keeps it tidied as written', () => {
    expect(standardizePostalCode('8033', 'DE')).toEqual({ value: '8033', valid: false });
    expect(standardizePostalCode(' 12  ab ', 'AT')).toEqual({ value: '12 AB', valid: false });
  });

  it('only tidies a code of a country whose form is not known, and answers null for nothing', () => {
    expect(standardizePostalCode(' 10001 ', 'US')).toEqual({ value: '10001', valid: true });
    expect(standardizePostalCode('ab 12', null)).toEqual({ value: 'AB 12', valid: true });
    expect(standardizePostalCode('  ', 'DE')).toBeNull();
  });
});

describe('standardizePlace', () => {
  it('capitalizes a city or street written wholly upper- or lower-case, particles lower-case', () => {
    expect(standardizePlace('FRANKFURT AM MAIN')).toBe('Frankfurt am Main');
    expect(standardizePlace('münchen')).toBe('München');
    expect(standardizePlace('halle (saale)')).toBe('Halle (Saale)');
    expect(standardizePlace('STRASSE DES 17. JUNI')).toBe('Strasse des 17. Juni');
    expect(standardizePlace('  lindenstr.   4a ')).toBe('Lindenstr. 4a');
  });

  it('leaves a mixed-case writing as the source chose it', () => {
    expect(standardizePlace('St. gallen')).toBe('St. gallen');
    expect(standardizePlace('Rue de la Paix 3')).toBe('Rue de la Paix 3');
    expect(standardizePlace('')).toBeNull();
  });
});
