import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { ServerContext } from '../context';
import { describeElasticsearchError } from '../../../infra/src/elasticsearch';
import { describeRedisError } from '../../../infra/src/redis-check';

/** `/healthz`, `/readyz`, `/metrics`: no token. */
export function opsRoutes(ctx: ServerContext, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const problems: string[] = [];
    await Promise.all([
      ctx.es.cluster
        .health({ timeout: '2s' }, { requestTimeout: 3_000, maxRetries: 0 })
        .then((h) => {
          if (h.status === 'red') problems.push('Elasticsearch cluster is red');
        })
        .catch((error: unknown) => problems.push(describeElasticsearchError(error))),
      ctx.redis
        .ping()
        // Names REDIS_URL, REDIS_PASSWORD or REDIS_CA_FILE, whichever the failure points to.
        .catch((error: unknown) => problems.push(describeRedisError(error))),
    ]);
    if (problems.length > 0) {
      res
        .status(503)
        .json({ error: { code: 'not_ready', message: problems.join(' '), details: [] } });
      return;
    }
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
