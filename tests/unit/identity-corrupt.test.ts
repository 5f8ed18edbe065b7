import { describe, expect, it } from 'vitest';
import { generateCorrupted, toMatchRecord } from '../../bench/identity/corrupt';

describe('generateCorrupted', () => {
  const records = generateCorrupted({ people: 1000, seed: 3 });

  it('gives the same records for the same seed, others for another', () => {
    expect(generateCorrupted({ people: 1000, seed: 3 })).toEqual(records);
    expect(generateCorrupted({ people: 1000, seed: 4 })).not.toEqual(records);
  });

  it('makes one original per person and duplicates for about half of them', () => {
    const originals = records.filter((r) => r.kind === 'original');
    expect(new Set(originals.map((r) => r.personId)).size).toBe(1000);
    expect(originals).toHaveLength(1000);
    const withDuplicates = new Set(
      records.filter((r) => r.kind === 'duplicate').map((r) => r.personId),
    );
    expect(withDuplicates.size).toBeGreaterThan(400);
    expect(withDuplicates.size).toBeLessThan(600);
    const most = Math.max(
      ...[...withDuplicates].map((p) => records.filter((r) => r.personId === p).length - 1),
    );
    expect(most).toBeGreaterThanOrEqual(3);
    expect(generateCorrupted({ people: 200, seed: 3, duplicateShare: 0 })).toHaveLength(200);
  });

  it('applies the corruptions record-linkage benchmarks use', () => {
    const applied = new Set(records.flatMap((r) => (r.kind === 'duplicate' ? r.tags : [])));
    for (const kind of [
      'typo:lastName',
      'ocr:lastName',
      'swap-names',
      'date',
      'houseNumber',
      'nickname',
      'missing:birthDate',
      'new-email',
      'moved',
      'transliterate',
    ])
      expect(applied, kind).toContain(kind);
  });

  it('includes households, twins, father and son, and namesakes as people of their own', () => {
    const originals = records.filter((r) => r.kind === 'original');
    const tagged = (t: string) => originals.filter((r) => r.tags.includes(t));
    for (const t of ['household', 'twin', 'father-son', 'namesake'])
      expect(tagged(t).length, t).toBeGreaterThan(3);
    const twins = tagged('twin');
    const pair = twins.find((a) =>
      twins.some(
        (b) => b.personId !== a.personId && b.birthDate === a.birthDate && b.street === a.street,
      ),
    );
    expect(pair).toBeDefined();
  });

  it('writes dates as valid YYYY-MM-DD and folds into match records', () => {
    for (const r of records) {
      if (r.birthDate) expect(Number.isNaN(Date.parse(`${r.birthDate}T00:00:00Z`))).toBe(false);
      const m = toMatchRecord(r);
      expect(m.id).toBe(r.recordId);
    }
  });
});
