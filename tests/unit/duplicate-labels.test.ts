import { describe, expect, it } from 'vitest';
import { csvCell, labelCsvHeader, labelCsvRow } from '../../server/src/identity/duplicate-labels';

describe('duplicate labels as CSV', () => {
  it('has one level column per compared field after the ids, decision and score', () => {
    expect(labelCsvHeader).toBe(
      'pairId,a,b,label,decidedBy,decidedAt,score,weight,modelVersion,level_firstName,level_lastName,level_birthDate,level_street,level_houseNumber,level_postalCode,level_city,level_email,level_phone',
    );
  });

  it('writes a label as one row, a field not compared as an empty cell', () => {
    expect(
      labelCsvRow({
        pairId: 'c1|c2',
        a: 'c1',
        b: 'c2',
        label: 'non-match',
        decidedBy: 'anna',
        decidedAt: '2026-12-07T10:00:00.000Z',
        score: 0.62,
        weight: -1.5,
        modelVersion: 'm1',
        levels: { lastName: 'exact', birthDate: 'transposed', phone: 'missing' },
      }),
    ).toBe(
      'c1|c2,c1,c2,non-match,anna,2026-12-07T10:00:00.000Z,0.62,-1.5,m1,,exact,transposed,,,,,,missing',
    );
  });

  it('quotes what would break a cell and defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+49')).toBe("'+49");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-2.5)).toBe('-2.5');
    expect(csvCell(null)).toBe('');
  });
});
