import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';

describe('test services', () => {
  it('the embedded Elasticsearch and Redis answer', async () => {
    const elasticsearchUrl = inject('elasticsearchUrl');
    const response = await fetch(
      `${elasticsearchUrl}/_cluster/health?wait_for_status=yellow&timeout=10s`,
    );
    expect(response.status).toBe(200);
    const health = (await response.json()) as { status: string; number_of_nodes: number };
    expect(['green', 'yellow']).toContain(health.status);
    expect(health.number_of_nodes).toBe(1);

    const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it("the services' URLs also reach the test files through process.env", () => {
    expect(process.env.ELASTICSEARCH_URL).toBe(inject('elasticsearchUrl'));
    expect(process.env.REDIS_URL).toBe(inject('redisUrl'));
  });
});
