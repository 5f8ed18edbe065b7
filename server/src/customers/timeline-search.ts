/**
 * Search inside one customer's timeline (`GET /customers/{id}/timeline?q=`).
 *
 * Touchpoint `data` is stored but not indexed (mappings/touchpoints.json), so
 * the words are matched here: the customer's touchpoints are read newest
 * first in pages and kept when every folded word of `q` occurs in the folded
 * type, source, id and data. At most {@link maxScanned} touchpoints are read
 * per request; the cursor continues where the scan stopped, so a customer with
 * a longer history is searched page by page.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { TimelineAnswer } from '../../../domain/src/api';
import type { StoredTouchpoint } from '../../../domain/src/contract';
import { foldText } from '../../../domain/src/normalize';
import { scan } from '../../../infra/src/scan';
import type { ServerContext } from '../context';

/** Touchpoints read per request before answering with what was found so far. */
export const maxScanned = 5_000;
const pageSize = 500;

export function matchesWords(tp: StoredTouchpoint, words: string[]): boolean {
  const haystack = foldText(`${tp.type} ${tp.source} ${tp.id} ${JSON.stringify(tp.data ?? {})}`);
  return words.every((w) => haystack.includes(w));
}

export async function searchTimeline(
  ctx: ServerContext,
  query: estypes.QueryDslQueryContainer,
  q: string,
  size: number,
  searchAfter: estypes.SortResults | undefined,
  encodeCursor: (sort: estypes.SortResults) => string,
): Promise<TimelineAnswer> {
  const words = foldText(q).split(' ').filter(Boolean);
  const found: { tp: StoredTouchpoint; sort: estypes.SortResults }[] = [];
  let after = searchAfter;
  let scanned = 0;
  let exhausted = true;
  for await (const hits of scan<StoredTouchpoint>(ctx.es, {
    index: ctx.names.touchpoints,
    query,
    sort: [{ occurredAt: 'desc' }, { key: 'desc' }],
    size: pageSize,
    searchAfter,
    // The cursor handed to the client is a hit's sort values: they must mean the same in the
    // next request, which a point in time (closed by then, and adding its tiebreak) would not.
    pointInTime: false,
  })) {
    for (const hit of hits) {
      const tp = hit._source as StoredTouchpoint;
      if (words.length === 0 || matchesWords(tp, words)) found.push({ tp, sort: hit.sort ?? [] });
      after = hit.sort;
      scanned++;
      if (found.length > size) break;
    }
    if (found.length > size || scanned >= maxScanned) {
      // A short page was the last: nothing follows however the scan stopped.
      exhausted = hits.length < pageSize;
      break;
    }
  }
  const page = found.slice(0, size);
  let next: estypes.SortResults | undefined;
  if (found.length > size)
    next = page[page.length - 1].sort; // more matches follow this page
  else if (!exhausted) next = after; // the scan limit stopped before the end: continue from there
  return {
    items: page.map((f) => f.tp),
    next: next && next.length > 0 ? encodeCursor(next) : null,
  };
}
