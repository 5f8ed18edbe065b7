import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { baseEnvSchema } from '../../infra/src/config';
import { createLogger } from '../../infra/src/log';
import { pinoIndexerLog } from '../../indexers/src/indexer';
import { lineProgress } from '../../scripts/demo/progress';
import { childLogFormat, readStartConfig } from '../../scripts/start-config';

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

const required = {
  ELASTICSEARCH_URL: 'http://127.0.0.1:9200',
  REDIS_URL: 'redis://127.0.0.1:6380',
};

describe("the indexer's log", () => {
  it('writes each line at the level it is given, info when none, and leaves debug out at info', () => {
    const out = capture();
    const log = pinoIndexerLog(
      createLogger('indexer', { format: 'json', destination: out.stream }),
    );
    log('customers merged', { winner: 'c1' }, 'debug');
    log('retention enforced', { deleted: 3 });
    log('rebuild failed, will retry', { code: 'es_unavailable' }, 'warn');
    log('ingest job failed', { code: 'store_failed' }, 'error');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; level: number });
    expect(lines.map((line) => [line.msg, line.level])).toEqual([
      ['retention enforced', 30],
      ['rebuild failed, will retry', 40],
      ['ingest job failed', 50],
    ]);
  });

  it('writes the debug lines at PANORAMA_LOG_LEVEL=debug', () => {
    const out = capture();
    const config = baseEnvSchema.parse({ ...required, PANORAMA_LOG_LEVEL: 'debug' });
    const log = pinoIndexerLog(
      createLogger('indexer', {
        format: 'json',
        level: config.PANORAMA_LOG_LEVEL,
        destination: out.stream,
      }),
    );
    log('customers merged', { winner: 'c1' }, 'debug');
    expect(out.text()).toContain('"level":20');
  });
});

describe('the log settings', () => {
  it('default to info and leave the format to the terminal', () => {
    const config = baseEnvSchema.parse(required);
    expect(config.PANORAMA_LOG_LEVEL).toBe('info');
    expect(config.PANORAMA_LOG_FORMAT).toBeUndefined();
  });

  it('refuse a level or a format they do not know', () => {
    const result = baseEnvSchema.safeParse({
      ...required,
      PANORAMA_LOG_LEVEL: 'verbose',
      PANORAMA_LOG_FORMAT: 'xml',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual([
      'PANORAMA_LOG_FORMAT',
      'PANORAMA_LOG_LEVEL',
    ]);
  });

  it('make npm start ask its children for pretty lines on a terminal and JSON otherwise, unless one is set', () => {
    const configOf = (env: NodeJS.ProcessEnv) => {
      const read = readStartConfig(env);
      if (!read.ok) throw new Error(read.problems.join('\n'));
      return read.config;
    };
    expect(childLogFormat(configOf({}), true)).toBe('pretty');
    expect(childLogFormat(configOf({}), false)).toBe('json');
    expect(childLogFormat(configOf({ PANORAMA_LOG_FORMAT: '' }), true)).toBe('pretty');
    expect(childLogFormat(configOf({ PANORAMA_LOG_FORMAT: 'json' }), true)).toBe('json');
    expect(childLogFormat(configOf({ PANORAMA_LOG_FORMAT: 'pretty' }), false)).toBe('pretty');
  });
});

describe("the demo loader's progress without a terminal", () => {
  it('writes one line per tenth of the way, the last one at 100 %', () => {
    const out = capture();
    const progress = lineProgress('customers sent', out.stream);
    progress.start(10_000, 0);
    for (let sent = 250; sent <= 10_000; sent += 250) progress.update(sent);
    progress.stop();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('demo: 1,000 / 10,000 customers sent (10 %)');
    expect(lines[2]).toBe('demo: 3,000 / 10,000 customers sent (30 %)');
    expect(lines[9]).toBe('demo: 10,000 / 10,000 customers sent (100 %)');
  });

  it('writes only the last step when a jump passes several, and nothing while a growing total lowers the share', () => {
    const out = capture();
    const progress = lineProgress('queued items indexed', out.stream);
    progress.start(100, 0);
    progress.update(45);
    progress.setTotal(200);
    progress.update(60);
    progress.update(200);
    expect(out.text().trim().split('\n')).toEqual([
      'demo: 45 / 100 queued items indexed (45 %)',
      'demo: 200 / 200 queued items indexed (100 %)',
    ]);
  });
});
