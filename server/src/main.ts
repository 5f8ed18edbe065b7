/** The API process: `tsx server/src/main.ts`. Stateless: start as many as needed. */
import path from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from '../../infra/src/log';
import { ensureCredentials, parseApiKeysEnv, readCredentials } from './auth/credentials';
import { checkConnections } from '../../infra/src/connection-check';
import { elasticsearchSettingsOf, redisSettingsOf } from '../../infra/src/connection-env';
import { pepperOfProcess } from '../../infra/src/suppression-pepper';
import { loadServerConfig } from './config';
import { matchThresholdsOf } from '../../infra/src/config';
import { startServer } from './server';
import { parseTrustProxy } from './privacy/hardening';
import { apiErrorLog } from './privacy/safe-log';

// Replaced by the configured one once the configuration is read; until then, a problem with it is logged at the defaults.
let logger: Logger = createLogger('api');

async function main(): Promise<void> {
  const config = loadServerConfig();
  // Checked before anything starts: a review threshold above the automatic one is a typo.
  const matchThresholds = matchThresholdsOf(config);
  logger = createLogger('api', {
    format: config.PANORAMA_LOG_FORMAT,
    level: config.PANORAMA_LOG_LEVEL,
  });
  const elasticsearch = elasticsearchSettingsOf(config);
  const redis = redisSettingsOf(config);
  // Refuses to start, with the sentence naming what to fix, before anything is written.
  await checkConnections({
    elasticsearch,
    redis,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    warn: (message) => logger.warn(message),
  });
  await ensureCredentials(config.DATA_DIR);
  const credentials = await readCredentials(config.DATA_DIR);
  if (!credentials) throw new Error(`no credentials in ${config.DATA_DIR}`);
  // Generated on a fresh installation like the credentials; refused when it is missing or not the installation's.
  const suppressionPepper = await pepperOfProcess('api', {
    elasticsearch,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    dataDir: config.DATA_DIR,
    suppressErased: config.PANORAMA_SUPPRESS_ERASED,
    envPepper: config.PANORAMA_SUPPRESSION_PEPPER,
  });
  if (!suppressionPepper)
    logger.warn(
      'suppression of erased identifiers is off (PANORAMA_SUPPRESS_ERASED=0): erasures put nothing on the suppression list',
    );
  const root = path.resolve(import.meta.dirname, '../..');
  const server = await startServer({
    elasticsearch,
    redis,
    indexPrefix: config.PANORAMA_INDEX_PREFIX,
    queuePrefix: config.PANORAMA_QUEUE_PREFIX,
    port: config.PORT,
    host: config.PANORAMA_HOST,
    webDist: path.join(root, 'web/dist'),
    // Users and named keys of the credentials file seed the shared accounts index on the installation's first start (auth/account-store.ts).
    auth: {
      secret: credentials.secret,
      users: credentials.users,
      apiKeys: [...credentials.apiKeys, ...parseApiKeysEnv(config.PANORAMA_API_KEYS)],
      tokenTtlMs: config.PANORAMA_TOKEN_TTL_HOURS * 3_600_000,
    },
    log: apiErrorLog(logger),
    privacy: { suppressErased: suppressionPepper !== null, suppressionPepper },
    hardening: {
      uiOrigin: config.PANORAMA_UI_ORIGIN ?? null,
      apiPerMinute: config.PANORAMA_API_RATE_LIMIT,
      loginPerMinute: config.PANORAMA_LOGIN_RATE_LIMIT,
      trustProxy: parseTrustProxy(config.PANORAMA_TRUST_PROXY),
    },
    matchThresholds,
  });
  logger.info({ url: server.url }, 'api listening');
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
