/**
 * Where a displayed profile value came from and how its source wrote it:
 * the texts behind the tooltips and "as written" hints.
 */
import { formatDate } from '../../../lib/format';
import type { FieldSource, OriginalField, Profile } from '../../../lib/domain-types';

/** "from crm · record crm:K-102934 · 1 Jan 2026", or null when the profile does not say. */
export function sourceText(source: FieldSource | undefined): string | null {
  if (!source) return null;
  return `from ${source.source} · record ${source.key} · ${formatDate(source.occurredAt)}`;
}

/** The source of one displayed field (`firstName`, `address`, `customerNumber:K-1`, …). */
export function sourceOf(profile: Profile, field: string): string | null {
  return sourceText(profile.fieldSources?.[field]);
}

/** The sources of several fields, one line each, without repeats (a name from two records). */
export function sourcesOf(profile: Profile, fields: string[]): string | null {
  const lines = [
    ...new Set(fields.map((f) => sourceOf(profile, f)).filter((l): l is string => l !== null)),
  ];
  return lines.length ? lines.join('\n') : null;
}

/** How the source wrote a field, or the shown value when it wrote it so (or the profile does not say). */
export function originalOr(
  profile: Profile,
  field: OriginalField,
  shown: string | null,
): string | null {
  return profile.originals?.[field]?.original ?? shown;
}

/** Fields shown although they could not be standardized (kept as written). */
export function invalidFields(profile: Profile, fields: OriginalField[]): OriginalField[] {
  return fields.filter((f) => profile.originals?.[f]?.valid === false);
}

/** "Lindenstr. 4, 80331 München, DE" from its parts. */
export function formatAddress(
  street: string | null,
  postalCode: string | null,
  city: string | null,
  country: string | null,
): string {
  return [street, [postalCode, city].filter(Boolean).join(' '), country].filter(Boolean).join(', ');
}
