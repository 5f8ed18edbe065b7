/**
 * What CRM profile records contribute: segment, status, language and tags.
 * Names, address and identifiers of a profile record are folded with every
 * other touchpoint's `customer` block (see identity.ts).
 */
import { trimmedOrNull, uniqueSorted, type TypedTouchpoint } from './fold-context';

export interface ProfilePart {
  segment: string | null;
  status: string | null;
  language: string | null;
  tags: string[];
}

/** `profiles` must be in chronological order: the most recent non-empty value wins, field by field. */
export function foldProfiles(profiles: readonly TypedTouchpoint<'profile'>[]): ProfilePart {
  const part: ProfilePart = { segment: null, status: null, language: null, tags: [] };
  for (const p of profiles) {
    part.segment = trimmedOrNull(p.data.segment) ?? part.segment;
    part.status = trimmedOrNull(p.data.status) ?? part.status;
    part.language = trimmedOrNull(p.data.language) ?? part.language;
    // Tags are a set the CRM sends whole: the latest non-empty list replaces the former one.
    const tags = uniqueSorted((p.data.tags ?? []).map((t) => trimmedOrNull(t)));
    if (tags.length) part.tags = tags;
  }
  return part;
}
