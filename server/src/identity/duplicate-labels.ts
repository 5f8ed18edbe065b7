/**
 * Decided pairs of the steward's queue as labels, for measuring the model
 * (`GET /api/v1/identity/duplicates/labels`): one CSV row per pair, the
 * levels of agreement in fixed columns, never the compared values.
 */
import type { DuplicateLabel } from '../../../domain/src/api';
import { matchFields } from '../../../domain/src/matching';

/** The fields whose level each label gives, in the order of the CSV's columns. */
export const labelFields = matchFields;

/** The labels' CSV: ids, decision, score, then one column per field's level (`level_firstName`, …). */
export const labelCsvHeader = [
  'pairId',
  'a',
  'b',
  'label',
  'decidedBy',
  'decidedAt',
  'score',
  'weight',
  'modelVersion',
  ...labelFields.map((f) => `level_${f}`),
].join(',');

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function labelCsvRow(l: DuplicateLabel): string {
  return [
    l.pairId,
    l.a,
    l.b,
    l.label,
    l.decidedBy,
    l.decidedAt,
    l.score,
    l.weight,
    l.modelVersion,
    ...labelFields.map((f) => l.levels[f] ?? null),
  ]
    .map(csvCell)
    .join(',');
}
