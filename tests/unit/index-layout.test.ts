import { describe, expect, it } from 'vitest';
import {
  defaultIndexLayout,
  indexLayoutOf,
  layoutSettings,
  replicasDiffer,
  type IndexLayout,
} from '../../infra/src/index-layout';
import { readMappingsConfig } from '../../mappings/config';
import { definitions, versionedIndexName } from '../../mappings/definitions';

const es = { ELASTICSEARCH_URL: 'http://127.0.0.1:9200' };
const big: IndexLayout = { replicas: 2, shards: { customers: 3, touchpoints: 6 } };

describe('index layout', () => {
  it('by default every index has one primary shard and auto-expanding replicas', () => {
    const layout = indexLayoutOf(readMappingsConfig(es));
    expect(layout).toEqual(defaultIndexLayout);
    for (const { name } of definitions)
      expect(layoutSettings(layout, name)).toEqual({
        number_of_shards: 1,
        auto_expand_replicas: '0-1',
      });
  });

  it('customers and touchpoints take their shard counts; the small indices stay at one', () => {
    const layout = indexLayoutOf(
      readMappingsConfig({
        ...es,
        PANORAMA_ES_REPLICAS: '2',
        PANORAMA_ES_SHARDS_CUSTOMERS: '3',
        PANORAMA_ES_SHARDS_TOUCHPOINTS: '6',
      }),
    );
    expect(layout).toEqual(big);
    expect(layoutSettings(layout, 'customers')).toEqual({
      number_of_shards: 3,
      number_of_replicas: 2,
      auto_expand_replicas: null,
    });
    expect(layoutSettings(layout, 'touchpoints').number_of_shards).toBe(6);
    expect(layoutSettings(layout, 'identities').number_of_shards).toBe(1);
    expect(layoutSettings(layout, 'touchpointRollups').number_of_shards).toBe(1);
  });

  it('a replica count that is neither a number nor auto is refused', () => {
    for (const value of ['two', '-1', '1.5'])
      expect(() => readMappingsConfig({ ...es, PANORAMA_ES_REPLICAS: value })).toThrow(
        /PANORAMA_ES_REPLICAS/,
      );
    expect(() => readMappingsConfig({ ...es, PANORAMA_ES_SHARDS_CUSTOMERS: '0' })).toThrow(
      /PANORAMA_ES_SHARDS_CUSTOMERS/,
    );
  });

  it('stored replica settings differ from the layout only when they would change', () => {
    // As indices.getSettings answers: strings, auto_expand_replicas absent when off.
    expect(replicasDiffer({ number_of_replicas: '0', auto_expand_replicas: '0-1' }, 'auto')).toBe(
      false,
    );
    expect(replicasDiffer({ number_of_replicas: '1', auto_expand_replicas: '0-1' }, 'auto')).toBe(
      false,
    );
    expect(replicasDiffer({ number_of_replicas: '0' }, 'auto')).toBe(true);
    expect(replicasDiffer({ number_of_replicas: '0', auto_expand_replicas: '0-1' }, 0)).toBe(true);
    expect(replicasDiffer({ number_of_replicas: '0', auto_expand_replicas: 'false' }, 0)).toBe(
      false,
    );
    expect(replicasDiffer({ number_of_replicas: '1' }, 1)).toBe(false);
    expect(replicasDiffer({ number_of_replicas: '1' }, 2)).toBe(true);
  });

  it('an index of another shard count has another name, and one shard keeps the name of before', () => {
    expect(versionedIndexName('p-customers', 4)).toBe('p-customers-v4');
    expect(versionedIndexName('p-customers', 4, 1)).toBe('p-customers-v4');
    expect(versionedIndexName('p-customers', 4, 3)).toBe('p-customers-v4-s3');
    expect(new Set([1, 2, 3].map((k) => versionedIndexName('p-customers', 4, k))).size).toBe(3);
  });

  it('no mapping file sets shards or replicas: the layout does', () => {
    for (const { name, definition } of definitions) {
      expect(definition.settings, name).not.toHaveProperty('number_of_shards');
      expect(definition.settings, name).not.toHaveProperty('number_of_replicas');
    }
  });
});
