import { Queue } from 'bullmq';
import { createElasticsearch, type ElasticsearchSettings } from './elasticsearch';
import { createRedis, type RedisSettings } from './redis';

/**
 * Removes everything one index/queue prefix holds: its indices and every Redis
 * key of the prefix (queues, dirty set, markers). For test and benchmark runs,
 * whose prefix is their own.
 */
export async function removePrefixData(
  elasticsearch: string | ElasticsearchSettings,
  redisConnection: string | RedisSettings,
  prefix: string,
): Promise<void> {
  const es = createElasticsearch(elasticsearch);
  // Wildcard deletes are refused by default (action.destructive_requires_name): name each index.
  const indices = Object.keys(
    await es.indices.get({ index: `${prefix}-*`, allow_no_indices: true }),
  );
  if (indices.length > 0) await es.indices.delete({ index: indices });
  await es.close();
  const redis = createRedis(redisConnection, 'worker');
  // A connection given to BullMQ is shared, not closed by it: disconnected below.
  const queue = new Queue(`${prefix}-ingest`, { connection: redis });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  for (const pattern of [`bull:${prefix}-*`, `${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
}
