import '../agent-screen.css';
import type { ReactNode } from 'react';

const invalidLabels: Record<string, string> = {
  postalCode: 'postal code not valid for the country',
  country: 'unknown country',
  email: 'not an email address',
  phone: 'not a phone number',
};

/**
 * A displayed profile value that says where it came from (tooltip and
 * `data-source`) and, when the source wrote it differently, how ("as
 * written: …"); values that could not be standardized are flagged.
 */
export function SourcedValue({
  field,
  source,
  written,
  invalid = [],
  children,
}: {
  /** What the value is, for tests and assistive text: `name`, `address`, `email`. */
  field: string;
  /** From `sourceText`; null when the profile does not say. */
  source: string | null;
  /** The source's writing when it differs from the shown value. */
  written?: string | null;
  /** Parts that could not be standardized (`postalCode`, `country`, …). */
  invalid?: string[];
  children: ReactNode;
}) {
  return (
    <span
      className="sourced-value"
      data-testid={`sourced-${field}`}
      data-source={source ?? undefined}
      title={source ?? undefined}
    >
      {children}
      {written && (
        <span className="as-written muted" data-testid={`written-${field}`}>
          as written: “{written}”
        </span>
      )}
      {invalid.map((part) => (
        <span
          key={part}
          className="badge warning"
          data-testid={`invalid-${field}-${part}`}
          title="Kept as the source wrote it: it could not be standardized"
        >
          {invalidLabels[part] ?? `invalid ${part}`}
        </span>
      ))}
    </span>
  );
}
