import type { ReactNode } from 'react';
import type { ComparedField, MatchField } from '../../../lib/domain-types';
import { formatProbability } from '../utils/queue-params';

export const fieldLabels: Record<MatchField, string> & Record<string, string | undefined> = {
  firstName: 'First name',
  lastName: 'Last name',
  birthDate: 'Birth date',
  street: 'Street',
  houseNumber: 'House number',
  postalCode: 'Postal code',
  city: 'City',
  email: 'Email',
  phone: 'Phone',
};

/**
 * Agreement as the colours show it: a field that weighs for the match (green), against it (red),
 * missing on a side, or compared but weighing nothing (a city the postal code implies): grey.
 */
export function agreementOf(f: ComparedField): 'agree' | 'disagree' | 'missing' | 'neutral' {
  if (f.level === 'missing') return 'missing';
  if (f.weight === 0) return 'neutral';
  return f.weight > 0 ? 'agree' : 'disagree';
}

const signed = (w: number) => `${w > 0 ? '+' : w < 0 ? '−' : '±'}${Math.abs(w).toFixed(1)}`;

/** The probability as a percentage and a bar, coloured by the thresholds when they are known. */
export function ProbabilityBar({
  probability,
  thresholds,
}: {
  probability: number;
  thresholds?: { review: number; autoMerge: number };
}) {
  const band =
    thresholds && probability >= thresholds.autoMerge
      ? 'high'
      : thresholds && probability < thresholds.review
        ? 'low'
        : 'mid';
  return (
    <span className={`probability probability-${band}`} data-testid="pair-probability">
      <strong>{formatProbability(probability)}</strong>
      <span
        className="probability-bar"
        role="meter"
        aria-label="Match probability"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(probability * 1000) / 10}
      >
        <span style={{ width: `${Math.min(100, Math.max(0, probability * 100))}%` }} />
      </span>
    </span>
  );
}

/**
 * Field by field: the two values side by side, how they compare (level) and
 * what that weighs for (+) or against (−) the match, in bits (log2 of the
 * Bayes factor). Green agrees, red disagrees, grey is missing on a side or weighs nothing.
 */
export function FieldComparisonTable({
  fields,
  labels = ['A', 'B'],
}: {
  fields: ComparedField[];
  labels?: [ReactNode, ReactNode];
}) {
  const total = fields.reduce((sum, f) => sum + f.weight, 0);
  return (
    <table className="field-comparison" aria-label="Field by field comparison">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{labels[0]}</th>
          <th scope="col">{labels[1]}</th>
          <th scope="col">Level</th>
          <th scope="col" className="num">
            Weight
          </th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => {
          const agreement = agreementOf(f);
          return (
            <tr
              key={f.field}
              className={`field-${agreement}`}
              data-testid="field-row"
              data-field={f.field}
              data-agreement={agreement}
            >
              <th scope="row">{fieldLabels[f.field] ?? f.field}</th>
              <td>{f.a ?? <span className="muted">—</span>}</td>
              <td>{f.b ?? <span className="muted">—</span>}</td>
              <td data-testid="field-level" title={f.note}>
                {f.level}
                {f.note && <span className="muted field-note"> · {f.note}</span>}
              </td>
              <td className="num" data-testid="field-weight">
                {signed(f.weight)}
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={4}>
            Fields together
          </th>
          <td className="num">{signed(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
