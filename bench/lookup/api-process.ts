/**
 * The API alone in its own process for bench:lookup, so the load generator
 * does not share its event loop. Reads PREFIX and BENCH_KEY from the
 * environment, prints `{"url": …}` on stdout once it listens.
 */
import { startServer, type ServerOptions } from '../../server/src/server';
import { benchServiceUrls } from '../support/bench-panorama';

const { elasticsearchUrl, redisUrl } = benchServiceUrls();
const prefix = process.env.PREFIX;
const key = process.env.BENCH_KEY;
if (!prefix || !key) throw new Error('PREFIX and BENCH_KEY must be set');
const options = {
  elasticsearchUrl,
  redisUrl,
  indexPrefix: prefix,
  queuePrefix: prefix,
  port: 0,
  webDist: null,
  auth: {
    secret: 'bench-only-secret-not-for-production-0123456789',
    users: [],
    apiKeys: [{ role: 'admin' as const, key }],
    tokenTtlMs: 3_600_000,
  },
  log: () => {},
  hardening: { apiPerMinute: 0 },
};
const server = await startServer(options as ServerOptions);
console.log(JSON.stringify({ url: server.url }));
process.on('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
