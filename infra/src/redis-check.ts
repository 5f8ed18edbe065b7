/**
 * The start-up check of the Redis connection: that it comes up (else a
 * sentence naming REDIS_URL, REDIS_PASSWORD or REDIS_CA_FILE), and BullMQ needs Redis to keep
 * every key (`maxmemory-policy noeviction`); under any other policy a full
 * Redis silently drops queued jobs and their locks. Managed Redis often
 * disables or renames CONFIG: then the policy cannot be read and the check
 * says so instead of failing.
 */
import type { Redis } from 'ioredis';

/** What {@link checkRedis} found. */
export interface RedisCheck {
  /** The policy Redis reports; null when it could not be read. */
  maxmemoryPolicy: string | null;
  /** A sentence for the log when the policy is not `noeviction` or could not be read; null when all is well. */
  warning: string | null;
}

function policyOf(answer: unknown): string | null {
  // RESP2 answers [name, value]; RESP3 a map.
  if (Array.isArray(answer)) return typeof answer[1] === 'string' ? answer[1] : null;
  if (answer instanceof Map) return (answer.get('maxmemory-policy') as string | undefined) ?? null;
  if (answer && typeof answer === 'object') {
    const value = (answer as Record<string, unknown>)['maxmemory-policy'];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** Redis answered, but refuses or does not know CONFIG (disabled, renamed, or denied by an ACL). */
function isConfigUnavailable(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    (error as { name?: string } | null)?.name === 'ReplyError' &&
    /unknown command|unknown subcommand|NOPERM|command (is )?not allowed|command is disabled/i.test(
      message,
    )
  );
}

/** The connection as {@link checkRedis} needs it; an ioredis `Redis` is one. */
export type CheckedRedis = Pick<Redis, 'config' | 'status' | 'once' | 'removeListener'>;

const authenticationFailure = /NOAUTH|WRONGPASS|invalid password|invalid username-password/i;

function isAuthenticationFailure(error: unknown): boolean {
  return authenticationFailure.test(error instanceof Error ? error.message : String(error));
}

/** A sentence that says what to check when the Redis connection fails. */
export function describeRedisError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (authenticationFailure.test(message)) {
    return `Redis refused the credentials (${message}): check REDIS_PASSWORD or the user and password in REDIS_URL.`;
  }
  if (
    /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/i.test(
      message,
    )
  ) {
    return `The certificate of Redis is not trusted (${message}): set REDIS_CA_FILE to the CA that signed it (PEM).`;
  }
  if (/altnames|does not match certificate/i.test(message)) {
    return `The certificate of Redis is not for the host in REDIS_URL (${message}): use a host name the certificate names.`;
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return 'Redis answers without TLS: REDIS_URL should start with redis://, not rediss://.';
  }
  if (/before secure TLS connection|ECONNRESET|socket hang up/i.test(message)) {
    return (
      `Redis closed the connection (${message}): if it uses TLS, REDIS_URL must start with rediss://; ` +
      'else check that it runs and that REDIS_URL points to it.'
    );
  }
  return `Redis cannot be reached (${message}): check that it runs and that REDIS_URL points to it.`;
}

/** Resolves once the connection is ready; rejects with its first error, or after `timeoutMs`. */
async function whenReady(redis: CheckedRedis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: unknown): void => {
      clearTimeout(timer);
      redis.removeListener('ready', onReady);
      redis.removeListener('error', onError);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onReady = (): void => done();
    const onError = (error: unknown): void => done(error ?? new Error('connection error'));
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

/**
 * Waits for the connection (up to `timeoutMs`, default 5 s), then reads
 * `maxmemory-policy` and returns a warning unless it is `noeviction`. Throws
 * one sentence ({@link describeRedisError}) when Redis cannot be reached,
 * refuses the credentials or its certificate is not trusted.
 *
 * @example
 * const { warning } = await checkRedis(redis);
 * if (warning) log.warn(warning);
 */
export async function checkRedis(
  redis: CheckedRedis,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<RedisCheck> {
  let answer: unknown;
  try {
    await whenReady(redis, timeoutMs);
    answer = await redis.config('GET', 'maxmemory-policy');
  } catch (error) {
    // A wrong password leaves ioredis "ready" and fails each command: tell it before CONFIG's own refusals.
    if (isAuthenticationFailure(error) || !isConfigUnavailable(error)) {
      throw new Error(describeRedisError(error), { cause: error });
    }
    return {
      maxmemoryPolicy: null,
      warning:
        'The maxmemory-policy of Redis could not be checked (CONFIG is disabled or renamed, as on many managed ' +
        "Redis): make sure it is 'noeviction', which BullMQ needs to keep queued touchpoints.",
    };
  }
  const policy = policyOf(answer);
  if (policy === null) {
    return {
      maxmemoryPolicy: null,
      warning:
        "Redis did not report its maxmemory-policy: make sure it is 'noeviction', which BullMQ needs to keep queued touchpoints.",
    };
  }
  if (policy !== 'noeviction') {
    return {
      maxmemoryPolicy: policy,
      warning:
        `Redis evicts keys when full (maxmemory-policy ${policy}): BullMQ needs 'noeviction', or queued ` +
        "touchpoints can be lost. Set 'maxmemory-policy noeviction' in the Redis configuration.",
    };
  }
  return { maxmemoryPolicy: policy, warning: null };
}
