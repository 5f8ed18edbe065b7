import { describe, expect, it } from 'vitest';
import {
  defaultQueueFilters,
  formatProbability,
  parseQueueParams,
  toApiParams,
  toQueueParams,
} from '../../web/src/features/identity/utils/queue-params';

describe("the steward's queue in the URL", () => {
  it('reads the filters the URL carries and round-trips them', () => {
    const filters = parseQueueParams(
      new URLSearchParams(
        'status=merged&minScore=0.8&maxScore=0.95&source=shop&city=Berlin&sort=-score&size=50',
      ),
    );
    expect(filters).toEqual({
      status: 'merged',
      minScore: 0.8,
      maxScore: 0.95,
      source: 'shop',
      city: 'Berlin',
      sort: '-score',
      size: 50,
    });
    expect(parseQueueParams(toQueueParams(filters))).toEqual(filters);
  });

  it('falls back to the defaults on values the API would refuse, and leaves defaults out of the URL', () => {
    const filters = parseQueueParams(
      new URLSearchParams('status=maybe&minScore=2&maxScore=abc&sort=random&size=7'),
    );
    expect(filters).toEqual(defaultQueueFilters);
    expect(toQueueParams(filters).toString()).toBe('');
  });

  it('asks the API for the page after a cursor with only the filters set', () => {
    const params = toApiParams({ ...defaultQueueFilters, city: 'Köln' }, 'abc');
    expect(params).toMatchObject({ status: 'open', city: 'Köln', source: null, after: 'abc' });
  });
});

describe('probabilities for people', () => {
  it('shows one decimal, and near certainty a second one rounded down', () => {
    expect(formatProbability(0.5)).toBe('50.0 %');
    expect(formatProbability(0.999)).toBe('99.9 %');
    expect(formatProbability(0.9995)).toBe('99.95 %');
    expect(formatProbability(0.99999)).toBe('99.99 %');
    expect(formatProbability(0.99999999)).toBe('99.99 %');
    expect(formatProbability(1)).toBe('100 %');
  });
});
