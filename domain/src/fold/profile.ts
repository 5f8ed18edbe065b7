/**
 * What CRM profile records contribute: segment, status, language and tags.
 * Names, address and identifiers of a profile record are folded with every
 * other touchpoint's `customer` block (see identity.ts).
 */
import type { FieldSource } from '../profile';
import { trimmedOrNull, uniqueSorted, type TypedTouchpoint } from './fold-context';

export interface ProfilePart {
  segment: string | null;
  status: string | null;
  language: string | null;
  tags: string[];
  /** Per field set (segment, status, language, tags): the record it came from. */
  fieldSources: Record<string, FieldSource>;
}

/** `profiles` must be in chronological order: the most recent non-empty value wins, field by field. */
export function foldProfiles(profiles: readonly TypedTouchpoint<'profile'>[]): ProfilePart {
  const part: ProfilePart = {
    segment: null,
    status: null,
    language: null,
    tags: [],
    fieldSources: {},
  };
  for (const p of profiles) {
    const source: FieldSource = { source: p.tp.source, key: p.key, occurredAt: p.tp.occurredAt };
    for (const field of ['segment', 'status', 'language'] as const) {
      const value = trimmedOrNull(p.data[field]);
      if (!value) continue;
      part[field] = value;
      part.fieldSources[field] = source;
    }
    // Tags are a set the CRM sends whole: the latest non-empty list replaces the former one.
    const tags = uniqueSorted((p.data.tags ?? []).map((t) => trimmedOrNull(t)));
    if (tags.length) {
      part.tags = tags;
      part.fieldSources.tags = source;
    }
  }
  return part;
}
