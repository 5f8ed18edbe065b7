import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/src/log';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object per line when asked for json', () => {
    const out = capture();
    const log = createLogger('indexer', { format: 'json', destination: out.stream });
    log.info({ batch: 3 }, 'profiles rebuilt');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'indexer', msg: 'profiles rebuilt', batch: 3, level: 30 });
  });

  it('writes a readable line with the fields when asked for pretty, and no JSON', () => {
    const out = capture();
    const log = createLogger('api', { format: 'pretty', destination: out.stream });
    log.warn({ url: 'http://127.0.0.1:8080' }, 'api listening');
    const text = out.text();
    expect(text).toMatch(/WARN.*\(api\).*api listening/);
    expect(text).toContain('http://127.0.0.1:8080');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('leaves debug lines out at the default level and writes them at debug', () => {
    const quiet = capture();
    createLogger('indexer', { format: 'json', destination: quiet.stream }).debug('merged');
    expect(quiet.text()).toBe('');
    const verbose = capture();
    createLogger('indexer', { format: 'json', level: 'debug', destination: verbose.stream }).debug(
      'merged',
    );
    expect(verbose.text()).toContain('"msg":"merged"');
  });
});
