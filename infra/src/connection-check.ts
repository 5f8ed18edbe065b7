/**
 * The start-up check of the API, the indexer and `mappings:apply`: that
 * Elasticsearch accepts the credentials and grants Panorama's privileges on
 * the index prefix, and that Redis answers (and keeps every key). A failure
 * throws the one sentence naming what to fix; what does not stop a start
 * (a red cluster, an evicting Redis) is handed to `warn`.
 */
import { createElasticsearch, type ElasticsearchSettings } from './elasticsearch';
import { checkElasticsearch } from './elasticsearch-check';
import { createRedis, type RedisSettings } from './redis';
import { checkRedis } from './redis-check';

export interface ConnectionCheckOptions {
  elasticsearch: string | ElasticsearchSettings;
  /** Unset: Redis is not checked (`mappings:apply` does not use it). */
  redis?: string | RedisSettings;
  /** PANORAMA_INDEX_PREFIX, whose `<prefix>-*` indices the privileges are checked on. */
  indexPrefix: string;
  warn: (message: string) => void;
}

/**
 * @example
 * await checkConnections({ elasticsearch: elasticsearchSettingsOf(config),
 *   redis: redisSettingsOf(config), indexPrefix: config.PANORAMA_INDEX_PREFIX,
 *   warn: (message) => logger.warn(message) });
 */
export async function checkConnections(options: ConnectionCheckOptions): Promise<void> {
  const es = createElasticsearch(options.elasticsearch);
  try {
    const check = await checkElasticsearch(es, { prefix: options.indexPrefix });
    for (const warning of check.warnings) options.warn(warning);
  } finally {
    await es.close();
  }
  if (options.redis === undefined) return;
  const redis = createRedis(options.redis, 'producer');
  redis.on('error', () => {
    // checkRedis reports the first error as its sentence.
  });
  try {
    const { warning } = await checkRedis(redis);
    if (warning) options.warn(warning);
  } finally {
    redis.disconnect();
  }
}
