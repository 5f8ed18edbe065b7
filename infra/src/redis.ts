import { Redis } from 'ioredis';

/**
 * Workers wait for Redis forever (`maxRetriesPerRequest: null`, as BullMQ
 * requires); the API's producer fails fast (`enableOfflineQueue: false`) so a
 * request answers 503 instead of hanging while Redis is down.
 */
export function createRedis(url: string, role: 'worker' | 'producer'): Redis {
  return role === 'worker'
    ? new Redis(url, { maxRetriesPerRequest: null })
    : new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
}
