import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { indexerDefaults, loadIndexerConfig } from '../../indexers/src/config';
import { matchThresholdsOf } from '../../infra/src/config';
import { readMappingsConfig } from '../../mappings/config';
import { processEnvSchemas, readmeConfigTables } from '../../scripts/config-table';
import { readRebuildProfilesConfig } from '../../scripts/rebuild-profiles-config';
import { readStartConfig } from '../../scripts/start-config';
import { defaultRulesPath } from '../../store/src/identity/identity-rules';
import { loadServerConfig } from '../../server/src/config';

const services = {
  ELASTICSEARCH_URL: 'http://127.0.0.1:9200',
  REDIS_URL: 'redis://127.0.0.1:6380',
};

describe('the configuration tables', () => {
  it('the README shows the tables the schemas make', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(readmeConfigTables());
  });

  it("every variable of CONTRACT.md's configuration is read by a process", async () => {
    const contract = await readFile(new URL('../../docs/CONTRACT.md', import.meta.url), 'utf8');
    const section = contract.slice(
      contract.indexOf('## Configuration every process honours'),
      contract.indexOf('## Errors'),
    );
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(5);
    const read = new Set(processEnvSchemas.flatMap((p) => Object.keys(p.schema.shape)));
    expect(documented.filter((name) => !read.has(name))).toEqual([]);
  });
});

describe('a process configuration', () => {
  it('when the indexer tunables are unset, the documented defaults apply', () => {
    const config = loadIndexerConfig(services);
    expect({
      ingestConcurrency: config.PANORAMA_INGEST_CONCURRENCY,
      rebuildConcurrency: config.PANORAMA_REBUILD_CONCURRENCY,
      rebuildBatch: config.PANORAMA_REBUILD_BATCH,
      rebuildMinBatch: config.PANORAMA_REBUILD_MIN_BATCH,
    }).toEqual({
      ingestConcurrency: 4,
      rebuildConcurrency: 4,
      rebuildBatch: 500,
      rebuildMinBatch: 10,
    });
    expect(indexerDefaults).toEqual({
      ingestConcurrency: 4,
      rebuildConcurrency: 4,
      rebuildBatch: 500,
      rebuildMinBatch: 10,
    });
  });

  it('lists every problem at once, retention and cron patterns included', () => {
    expect(() =>
      loadIndexerConfig({
        ...services,
        PANORAMA_REBUILD_BATCH: '0',
        PANORAMA_RETENTION: 'sessions=10d',
        PANORAMA_SNAPSHOT_CRON: 'daily',
      }),
    ).toThrow(
      /PANORAMA_REBUILD_BATCH: .*\n.*PANORAMA_SNAPSHOT_CRON: .*\n.*PANORAMA_RETENTION: "sessions=10d" must be <type>=<days>d/,
    );
  });

  it('takes the matching thresholds, the same for the API and the indexer, and refuses a review threshold above the automatic one', () => {
    const env = {
      ...services,
      PANORAMA_MATCH_REVIEW_THRESHOLD: '0.7',
      PANORAMA_MATCH_AUTO_MERGE_THRESHOLD: '0.999',
    };
    expect(matchThresholdsOf(loadIndexerConfig(env))).toEqual({ review: 0.7, autoMerge: 0.999 });
    expect(matchThresholdsOf(loadServerConfig(env))).toEqual({ review: 0.7, autoMerge: 0.999 });
    expect(matchThresholdsOf(loadIndexerConfig(services))).toEqual({
      review: 0.5,
      autoMerge: 0.995,
    });
    expect(() =>
      matchThresholdsOf(loadIndexerConfig({ ...env, PANORAMA_MATCH_REVIEW_THRESHOLD: '0.9999' })),
    ).toThrow(
      /PANORAMA_MATCH_REVIEW_THRESHOLD .* must not be above PANORAMA_MATCH_AUTO_MERGE_THRESHOLD/,
    );
    expect(() =>
      loadIndexerConfig({ ...services, PANORAMA_MATCH_AUTO_MERGE_THRESHOLD: '1.5' }),
    ).toThrow(/PANORAMA_MATCH_AUTO_MERGE_THRESHOLD/);
  });

  it('reads retention periods and turns schedules off', () => {
    const config = loadIndexerConfig({
      ...services,
      PANORAMA_RETENTION: 'web_session=395d',
      PANORAMA_SNAPSHOT_CRON: 'off',
    });
    expect(config.PANORAMA_RETENTION).toEqual({ web_session: 395 });
    expect(config.PANORAMA_RETENTION_CRON).toBe('0 15 3 * * *');
    expect(config.PANORAMA_SNAPSHOT_CRON).toBe('off');
  });

  it('refuses API keys that name no role at start', () => {
    expect(() => loadServerConfig({ ...services, PANORAMA_API_KEYS: 'boss:s3cret' })).toThrow(
      /PANORAMA_API_KEYS: "boss:…" must be role:key/,
    );
    expect(loadServerConfig({ ...services, PANORAMA_API_KEYS: 'admin:s3cret' }).PORT).toBe(8080);
  });

  it('npm start lists the problems of the indexer and the API it would start before anything starts', () => {
    const read = readStartConfig({
      PANORAMA_ES_HEAP: 'lots',
      PANORAMA_REBUILD_BATCH: '0',
      PANORAMA_API_RATE_LIMIT: '-1',
      PANORAMA_SUPPRESSION_PEPPER: 'short',
    });
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PANORAMA_ES_HEAP',
      'PANORAMA_SUPPRESSION_PEPPER',
      'PANORAMA_API_RATE_LIMIT',
      'PANORAMA_REBUILD_BATCH',
    ]);
  });

  it('npm start takes an empty variable as unset, and so do the children it hands the environment to', () => {
    const read = readStartConfig({
      PANORAMA_SUPPRESSION_PEPPER: '',
      PANORAMA_INDEX_PREFIX: 'acme',
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.config.PANORAMA_SUPPRESSION_PEPPER).toBeUndefined();
    expect(read.config.ELASTICSEARCH_URL).toBeUndefined();
    expect(read.passedOn).not.toHaveProperty('PANORAMA_SUPPRESSION_PEPPER');
    expect(read.passedOn.PANORAMA_INDEX_PREFIX).toBe('acme');
  });

  it("profiles:rebuild talks to npm start's embedded services when no URL is given", () => {
    const config = readRebuildProfilesConfig({ PANORAMA_ES_PORT: '9300', REDIS_URL: '' });
    expect(config.ELASTICSEARCH_URL).toBe('http://127.0.0.1:9300');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6380');
  });

  it('mappings:apply needs the cluster and takes the index prefix and the identity rules', () => {
    expect(() => readMappingsConfig({})).toThrow(/ELASTICSEARCH_URL: ELASTICSEARCH_URL is not set/);
    expect(
      readMappingsConfig({ ELASTICSEARCH_URL: 'http://es:9200', PANORAMA_INDEX_PREFIX: 'acme' }),
    ).toEqual({
      ELASTICSEARCH_URL: 'http://es:9200',
      PANORAMA_INDEX_PREFIX: 'acme',
      PANORAMA_ES_REPLICAS: 'auto',
      PANORAMA_ES_SHARDS_CUSTOMERS: 1,
      PANORAMA_ES_SHARDS_TOUCHPOINTS: 1,
      // The indexers' file: a migrated profile is folded as they fold it.
      PANORAMA_IDENTITY_RULES: defaultRulesPath,
    });
  });
});
