/** What surveys contribute: the latest NPS (with its comment) and the latest CSAT. */
import { channelsOf, trimmedOrNull, type TypedTouchpoint } from './fold-context';

export interface SurveyPart {
  lastNps: number | null;
  lastNpsComment: string | null;
  lastCsat: number | null;
  channels: string[];
}

/** `surveys` must be in chronological order. */
export function foldSurveys(surveys: readonly TypedTouchpoint<'survey'>[]): SurveyPart {
  const lastOf = (kind: 'nps' | 'csat'): TypedTouchpoint<'survey'> | undefined =>
    surveys.filter((s) => s.data.kind === kind).at(-1);
  const nps = lastOf('nps');
  const csat = lastOf('csat');
  return {
    lastNps: nps?.data.score ?? null,
    // The comment belongs to that answer: an older comment would explain a score it was not given for.
    lastNpsComment: nps ? trimmedOrNull(nps.data.comment) : null,
    lastCsat: csat?.data.score ?? null,
    channels: channelsOf(surveys),
  };
}
