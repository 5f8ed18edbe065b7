import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseNdjson, ParseFailure } from '../../server/src/ingest/enqueue-touchpoints';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseNdjson', () => {
  it('refuses more than 5,000 lines with 413 before it parses any of them', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const body = '{"a":1}\n'.repeat(5_001);
    expect(() => parseNdjson(body)).toThrow(
      expect.objectContaining({ status: 413, code: 'payload_too_large' }),
    );
    expect(parse).not.toHaveBeenCalled();
  });

  it('counts only lines with content, so blank lines and a final newline do not count', () => {
    const items = parseNdjson(`${'\n \r\n'.repeat(6_000)}${'{"a":1}\r\n'.repeat(5_000)}`);
    expect(items).toHaveLength(5_000);
  });

  it('keeps a line that is not JSON as a failure at its index', () => {
    const items = parseNdjson('{"a":1}\n{nope\n{"b":2}');
    expect(items[0]).toEqual({ a: 1 });
    expect(items[1]).toBeInstanceOf(ParseFailure);
    expect(items[2]).toEqual({ b: 2 });
  });
});
