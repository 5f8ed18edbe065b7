import { describe, expect, it } from 'vitest';
import { jaroWinkler, singleEdit } from '../../domain/src/matching/comparators';
import { compareRecords, foldName, matchRecordFrom, splitStreet } from '../../domain/src/matching';
import { koelnerPhonetik } from '../../domain/src/matching/phonetic';
import {
  canonicalFirstName,
  firstNameVariants,
  isNameVariant,
  nicknamePairCount,
} from '../../domain/src/matching/nicknames';
import type { MatchRecordInput } from '../../domain/src/matching';

const person = (over: Partial<MatchRecordInput> = {}) =>
  matchRecordFrom({
    id: 'a',
    firstName: 'Katharina',
    lastName: 'Zwierzchowski',
    birthDate: '1984-03-27',
    street: 'Hauptstraße 12',
    postalCode: '80331',
    city: 'München',
    country: 'DE',
    emails: ['k.zw@example.de'],
    phones: ['+491701234567'],
    ...over,
  });

describe('comparators', () => {
  it('Jaro-Winkler gives the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
  });

  it('names the single edit between two strings, or none', () => {
    expect(singleEdit('12345', '12435')).toBe('transpose');
    expect(singleEdit('12345', '12845')).toBe('substitute');
    expect(singleEdit('muller', 'muler')).toBe('insert');
    expect(singleEdit('muller', 'mulelr')).toBe('transpose');
    expect(singleEdit('12345', '54321')).toBeNull();
    expect(singleEdit('same', 'same')).toBeNull();
  });

  it('Kölner Phonetik codes German spelling variants alike', () => {
    expect(koelnerPhonetik('mullerludenscheidt')).toBe('65752682');
    expect(koelnerPhonetik('meier')).toBe(koelnerPhonetik('mayer'));
    expect(koelnerPhonetik('meyer')).toBe('67');
    expect(koelnerPhonetik('schmidt')).toBe(koelnerPhonetik('schmitt'));
    expect(koelnerPhonetik('wikipedia')).toBe('3412');
    expect(koelnerPhonetik('christoph')).toBe('47823');
  });
});

describe('nicknames', () => {
  it('knows German and international short forms and variants', () => {
    for (const [a, b] of [
      ['Hans', 'Johannes'],
      ['Sepp', 'Josef'],
      ['Bob', 'Robert'],
      ['Kathi', 'Katharina'],
      ['Alex', 'Alexander'],
      ['Jürgen', 'Jörg'],
      ['Mohamed', 'Muhammad'],
      ['Lisa', 'Elisabeth'],
      ['Giuseppe', 'Sepp'],
    ])
      expect(isNameVariant(foldName(a), foldName(b)), `${a} ~ ${b}`).toBe(true);
    expect(isNameVariant('hans', 'peter')).toBe(false);
    expect(nicknamePairCount).toBeGreaterThan(300);
  });

  it('gives one canonical form for blocking and the writings for test data', () => {
    expect(canonicalFirstName('hans')).toBe(canonicalFirstName('johannes'));
    expect(firstNameVariants('Hans')).toContain('Johannes');
  });
});

describe('splitStreet', () => {
  it('splits the house number and spells street types out', () => {
    expect(splitStreet('Hauptstr. 12a')).toEqual({ street: 'hauptstrasse', houseNumber: '12a' });
    expect(splitStreet('Haupt Straße 12-14')).toEqual({
      street: 'hauptstrasse',
      houseNumber: '12-14',
    });
    expect(splitStreet('12 Baker St')).toEqual({ street: 'baker street', houseNumber: '12' });
    expect(splitStreet('An St. Andreas 44').street).toBe('an st andreas');
    expect(splitStreet('Marktplatz')).toEqual({ street: 'marktplatz', houseNumber: null });
    expect(splitStreet('  ')).toEqual({ street: null, houseNumber: null });
  });
});

describe('compareRecords', () => {
  it('finds each level of the ladder', () => {
    const a = person();
    expect(compareRecords(a, person())).toMatchObject({
      firstName: 'exact',
      lastName: 'exact',
      birthDate: 'exact',
      street: 'exact',
      houseNumber: 'exact',
      postalCode: 'exact',
      city: 'exact',
      email: 'exact',
      phone: 'exact',
    });
    const b = person({
      firstName: 'Kathi',
      lastName: 'Zwierzchowsky',
      birthDate: '1984-27-03',
      street: 'Hauptstr. 21',
      postalCode: '80313',
      city: 'Muenchen',
      emails: ['k.zw@gmail.com'],
      phones: ['+431701234567'],
    });
    expect(compareRecords(a, b)).toMatchObject({
      firstName: 'nickname',
      lastName: 'close',
      birthDate: 'swapped',
      street: 'exact',
      houseNumber: 'transposed',
      postalCode: 'transposed',
      city: 'exact',
      email: 'local',
      phone: 'last7',
    });
    expect(compareRecords(a, person({ birthDate: '1984-03-72' })).birthDate).toBe('transposed');
    expect(compareRecords(a, person({ birthDate: '1985-03-27' })).birthDate).toBe('typo');
    expect(compareRecords(a, person({ birthDate: '1962-11-02' })).birthDate).toBe('different');
    expect(compareRecords(a, person({ firstName: 'K.' })).firstName).toBe('initial');
    expect(compareRecords(a, person({ lastName: 'Schwierschowski' })).lastName).toBe('phonetic');
    expect(compareRecords(a, person({ firstName: 'Peter' })).firstName).toBe('different');
    expect(compareRecords(a, person({ firstName: null, emails: [] }))).toMatchObject({
      firstName: 'missing',
      email: 'missing',
    });
  });

  it('reads OCR confusions and typos as close, male and female forms as different', () => {
    const level = (firstName: string) => compareRecords(person(), person({ firstName })).firstName;
    expect(level('Katharlna')).toBe('close');
    expect(level('Kathar1na')).toBe('close');
    expect(
      compareRecords(person({ firstName: 'Arno' }), person({ firstName: 'Amo' })).firstName,
    ).toBe('close');
    expect(
      compareRecords(person({ firstName: 'Paul' }), person({ firstName: 'Paula' })).firstName,
    ).toBe('different');
    expect(
      compareRecords(person({ firstName: 'Svenja' }), person({ firstName: 'Svenj' })).firstName,
    ).toBe('close');
    // Two edits only when the names start alike: twins Joana and Luana stay apart.
    expect(
      compareRecords(person({ firstName: 'Joana' }), person({ firstName: 'Luana' })).firstName,
    ).toBe('different');
  });

  it('calls birth dates partial when two parts agree, or two digits apart with the day or month intact', () => {
    const level = (birthDate: string) => compareRecords(person(), person({ birthDate })).birthDate;
    expect(level('1984-03-12')).toBe('partial');
    expect(level('1684-03-21')).toBe('partial');
    expect(level('1984-08-22')).toBe('different');
  });

  it('sees first and last name exchanged', () => {
    const swapped = person({ firstName: 'Zwierzchowski', lastName: 'Katharina' });
    expect(compareRecords(person(), swapped)).toMatchObject({
      firstName: 'swapped',
      lastName: 'swapped',
    });
  });
});
