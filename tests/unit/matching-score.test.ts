import { describe, expect, it } from 'vitest';
import {
  blockingKeys,
  defaultMatchModel,
  matchRecordFrom,
  matchRecordOf,
  scorePair,
  type MatchRecordInput,
  type TermFrequencies,
} from '../../domain/src/matching';
import type { CustomerDocument } from '../../domain/src/profile';

/** Probability below which a pair is not even proposed for review. */
const review = 0.5;

const base: MatchRecordInput = {
  id: 'a',
  firstName: 'Stefan',
  lastName: 'Hoffmann',
  birthDate: '1971-06-14',
  street: 'Lindenstraße 7',
  postalCode: '50674',
  city: 'Köln',
  country: 'DE',
  emails: [],
  phones: ['+49221334455'],
};
const record = (over: Partial<MatchRecordInput> = {}) => matchRecordFrom({ ...base, ...over });
const score = (over: Partial<MatchRecordInput>, tf?: TermFrequencies) =>
  scorePair(record(), record({ id: 'b', ...over }), defaultMatchModel, tf);

describe('scorePair with the default model', () => {
  it('scores corrupted duplicates high', () => {
    for (const over of [
      {},
      { lastName: 'Hofmann', birthDate: null },
      { firstName: 'Steffen', street: 'Lindenstr. 7', phones: [] },
      { firstName: 'Hoffmann', lastName: 'Stefan' },
      { birthDate: '1971-14-06'.replace('14-06', '06-14'), postalCode: '50647' },
      { birthDate: '1971-06-41', city: null, street: 'Lindenstrase 7' },
      { firstName: 'S.', emails: ['stefan.hoffmann@web.de'] },
      { lastName: 'HOFFMAN', street: 'Lindenstraße 17', phones: [] },
    ])
      expect(score(over).probability, JSON.stringify(over)).toBeGreaterThan(0.95);
  });

  it('keeps a household apart: same surname and address, other first name and birth date', () => {
    expect(score({ firstName: 'Claudia', birthDate: '1974-02-03' }).probability).toBeLessThan(0.1);
  });

  it('keeps twins apart: same birth date, surname and address, other first name', () => {
    const twins = score({ firstName: 'Markus', phones: [] });
    expect(twins.probability).toBeLessThan(review);
    expect(twins.fields.find((f) => f.field === 'birthDate')?.note).toMatch(/family/);
  });

  it('keeps father and son apart: same name and address, birth dates a generation apart', () => {
    expect(score({ birthDate: '1998-09-30' }).probability).toBeLessThan(review);
  });

  it('keeps namesakes apart: same name, other birth date and address', () => {
    const namesake = score({
      birthDate: '1980-01-22',
      street: 'Goethestraße 40',
      postalCode: '10115',
      city: 'Berlin',
      phones: [],
    });
    expect(namesake.probability).toBeLessThan(0.1);
  });

  it('proposes but never auto-merges a pair whose first name or birth date is unknown on one side', () => {
    for (const over of [{ birthDate: null }, { firstName: null }, { firstName: 'S.' }]) {
      const s = score(over);
      expect(s.probability, JSON.stringify(over)).toBeGreaterThan(review);
      expect(s.probability, JSON.stringify(over)).toBeLessThan(0.98);
    }
  });

  it('counts a street name only in the same place', () => {
    const elsewhere = score({ postalCode: '10115', city: 'Berlin' });
    const street = elsewhere.fields.find((f) => f.field === 'street')!;
    expect(street).toMatchObject({ level: 'exact', weight: 0 });
    expect(street.note).toMatch(/another place/);
    expect(elsewhere.fields.find((f) => f.field === 'houseNumber')?.weight).toBe(0);
  });

  it('does not merge on family evidence alone when first name and birth date are missing', () => {
    const s = score({ firstName: null, birthDate: null });
    expect(s.probability).toBeLessThan(review);
    expect(s.fields.find((f) => f.field === 'lastName')?.note).toMatch(
      /neither first name nor birth date/,
    );
  });

  it('does not merge a namesake on the name alone when a birth date is missing and the address differs', () => {
    const s = score({
      birthDate: null,
      street: 'Goethestraße 40',
      postalCode: '10115',
      city: 'Berlin',
      phones: [],
    });
    expect(s.probability).toBeLessThan(review);
  });

  it('weighs an exact surname by how frequent it is', () => {
    const counts = (lastName: Record<string, number>): TermFrequencies => ({
      total: 100_000,
      firstName: {},
      lastName,
    });
    const over = {
      firstName: 'Peter',
      birthDate: null,
      street: null,
      postalCode: null,
      city: null,
    };
    const frequent = score(over, counts({ hoffmann: 1500 }));
    const rare = score(over, counts({ hoffmann: 3 }));
    const lastOf = (s: typeof frequent) => s.fields.find((f) => f.field === 'lastName')!;
    expect(lastOf(frequent).weight).toBeLessThan(lastOf(score(over)).weight);
    expect(lastOf(rare).weight).toBeGreaterThan(lastOf(score(over)).weight);
    expect(lastOf(frequent).note).toMatch(/frequent name: 1.50 %/);
  });

  it('explains every field and adds the weights up to the total', () => {
    const s = score({ lastName: 'Hofmann' });
    expect(s.fields.map((f) => f.field)).toEqual([
      'firstName', 'lastName', 'birthDate', 'street', 'houseNumber', 'postalCode', 'city', 'email', 'phone',
    ]); // prettier-ignore
    const prior = Math.log2(defaultMatchModel.prior / (1 - defaultMatchModel.prior));
    const sum = s.fields.reduce((t, f) => t + f.weight, prior);
    expect(s.weight).toBeCloseTo(sum, 1);
    expect(s.fields.find((f) => f.field === 'email')).toMatchObject({
      level: 'missing',
      weight: 0,
    });
  });

  it('flags a conflict when customer numbers or ids of one source differ', () => {
    const a = record({ customerNumbers: ['K1'], externalIds: ['shop:1'] });
    expect(
      scorePair(a, record({ id: 'b', customerNumbers: ['K2'] }), defaultMatchModel).conflict,
    ).toMatch(/customer numbers/);
    expect(
      scorePair(a, record({ id: 'b', externalIds: ['shop:2'] }), defaultMatchModel).conflict,
    ).toMatch(/shop/);
    expect(
      scorePair(a, record({ id: 'b', externalIds: ['crm:9'] }), defaultMatchModel).conflict,
    ).toBeNull();
  });

  it('does not call clearly different birth dates a conflict', () => {
    expect(score({ birthDate: '1950-01-01' }).conflict).toBeNull();
  });

  it('scores at least 50,000 pairs per second (printed, not asserted)', () => {
    const records = Array.from({ length: 200 }, (_, i) =>
      record({
        id: `r${i}`,
        firstName: i % 2 ? 'Stefanie' : 'Stephan',

        street: `Weg ${i}`,
      }),
    );
    const started = performance.now();
    let n = 0;
    for (let i = 0; i < 200; i++)
      for (let j = 0; j < 200; j++, n++) scorePair(records[i], records[j], defaultMatchModel);
    const perSecond = n / ((performance.now() - started) / 1000);
    console.log(`scorePair: ${Math.round(perSecond).toLocaleString('en')} pairs/s`);
    expect(n).toBe(40_000);
  });
});

describe('matchRecordOf and blockingKeys', () => {
  const doc = {
    id: 'c1',
    firstName: 'Jürgen',
    lastName: 'Müller-Lüdenscheidt',
    birthDate: '1965-01-31',
    address: {
      street: 'Hauptstr. 12a',
      postalCode: 'd-80331',
      city: 'München',
      country: 'Deutschland',
      source: 'crm',
    },
    emails: [{ value: 'jm@example.de' }],
    phones: [{ value: '+491701234567' }],
    customerNumbers: ['K1'],
    externalIds: ['shop:9'],
    sources: ['shop', 'crm'],
  } as unknown as CustomerDocument;

  it('folds and splits a profile', () => {
    expect(matchRecordOf(doc)).toEqual({
      id: 'c1',
      firstName: 'jurgen',
      lastName: 'muller ludenscheidt',
      birthDate: '1965-01-31',
      street: 'hauptstrasse',
      houseNumber: '12a',
      postalCode: 'D80331',
      city: 'munchen',
      country: 'DE',
      emails: ['jm@example.de'],
      phones: ['+491701234567'],
      customerNumbers: ['K1'],
      externalIds: ['shop:9'],
      sources: ['crm', 'shop'],
    });
  });

  it('gives at most 16 sorted, unique keys, shared by swapped names', () => {
    const keys = blockingKeys(matchRecordOf(doc));
    expect(keys.length).toBeLessThanOrEqual(16);
    expect(keys).toEqual([...new Set(keys)].sort());
    const swapped = blockingKeys(record({ firstName: base.lastName, lastName: base.firstName }));
    expect(swapped.some((k) => blockingKeys(record()).includes(k))).toBe(true);
  });
});
