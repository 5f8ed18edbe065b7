import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import {
  checkConnectionEnv,
  elasticsearchEnv,
  elasticsearchSettingsOf,
  redisEnv,
  redisSettingsOf,
} from '../../infra/src/connection-env';
import {
  createElasticsearch,
  describeElasticsearchError,
  elasticsearchClientOptions,
  elasticsearchSettingsProblems,
} from '../../infra/src/elasticsearch';
import { redisConnectionOptions, redisSettingsProblems } from '../../infra/src/redis';
import { checkRedis, type CheckedRedis } from '../../infra/src/redis-check';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const fingerprint = 'AB:'.repeat(31) + 'AB';
const readPem = (): string => pem;

function responseError(statusCode: number, reason: string): errors.ResponseError {
  return new errors.ResponseError({
    body: { error: { type: 'security_exception', reason }, status: statusCode },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

describe('Elasticsearch connection settings', () => {
  it('a comma-separated URL becomes the node list the client balances over', () => {
    const options = elasticsearchClientOptions(
      {
        url: 'https://es1:9200, https://es2:9200,,https://es3:9200',
        apiKey: 'a2V5',
        caFile: '/ca.pem',
      },
      readPem,
    );
    expect(options.nodes).toEqual(['https://es1:9200', 'https://es2:9200', 'https://es3:9200']);
    expect(options.auth).toEqual({ apiKey: 'a2V5' });
    expect(options.tls).toEqual({ ca: pem });
    expect(options).toMatchObject({ requestTimeout: 30_000, maxRetries: 3 });
  });

  it('a user and password become basic auth; a fingerprint pins the CA instead of the trust store', () => {
    const options = elasticsearchClientOptions({
      url: 'https://es1:9200',
      username: 'panorama',
      password: 'secret',
      caFingerprint: fingerprint,
    });
    expect(options.auth).toEqual({ username: 'panorama', password: 'secret' });
    expect(options.caFingerprint).toBe(fingerprint);
    expect(options.tls).toEqual({ rejectUnauthorized: false });
  });

  it('a cloud id names the cluster without a URL', () => {
    const options = elasticsearchClientOptions({
      cloudId: 'prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmMkZGVm',
      apiKey: 'a2V5',
    });
    expect(options.cloud).toEqual({ id: 'prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmMkZGVm' });
    expect(options.nodes).toBeUndefined();
  });

  it('an API key together with a user is refused, naming both variables', () => {
    expect(() =>
      elasticsearchClientOptions({
        url: 'https://es:9200',
        apiKey: 'a2V5',
        username: 'u',
        password: 'p',
      }),
    ).toThrow(/ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME are both set/);
  });

  it('lists every problem of a combination at once', () => {
    const problems = elasticsearchSettingsProblems({
      url: 'http://es:9200,ftp://x',
      cloudId: 'prod:abc',
      username: 'u',
      caFile: '/ca.pem',
      caFingerprint: 'nope',
    });
    expect(problems.join('\n')).toMatchInlineSnapshot(`
      "ELASTICSEARCH_URL and ELASTICSEARCH_CLOUD_ID are both set: set one, the cloud id names the nodes itself.
      ELASTICSEARCH_URL holds "ftp://x", which is not an http:// or https:// URL (list nodes separated by commas).
      ELASTICSEARCH_USERNAME is set without ELASTICSEARCH_PASSWORD: set both.
      ELASTICSEARCH_CA_FILE and ELASTICSEARCH_CA_FINGERPRINT are both set: set one (the CA file is the stricter check).
      ELASTICSEARCH_CA_FINGERPRINT is not a SHA-256 fingerprint (64 hex digits, colons allowed).
      ELASTICSEARCH_CA_FILE is set but ELASTICSEARCH_URL names http://es:9200 without TLS: use https://."
    `);
  });

  it('refuses credentials in the URL together with a user, and http mixed with https', () => {
    expect(
      elasticsearchSettingsProblems({ url: 'https://u:p@es:9200', username: 'v', password: 'q' }),
    ).toEqual([expect.stringMatching(/ELASTICSEARCH_URL holds credentials/)]);
    expect(elasticsearchSettingsProblems({ url: 'http://es1:9200,https://es2:9200' })).toEqual([
      expect.stringMatching(/mixes http:\/\/ and https:\/\//),
    ]);
    expect(elasticsearchSettingsProblems({})).toEqual([
      expect.stringMatching(/ELASTICSEARCH_URL is not set/),
    ]);
  });

  it('a CA file that cannot be read, or holds no PEM certificate, is named', () => {
    const missing = (): string => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };
    expect(() =>
      elasticsearchClientOptions({ url: 'https://es:9200', caFile: '/nope.pem' }, missing),
    ).toThrow('ELASTICSEARCH_CA_FILE=/nope.pem cannot be read (ENOENT).');
    expect(() =>
      elasticsearchClientOptions({ url: 'https://es:9200', caFile: '/ca.p12' }, () => 'binary'),
    ).toThrow(/ELASTICSEARCH_CA_FILE=\/ca.p12 holds no PEM certificate/);
  });

  it('createElasticsearch still takes a bare URL, and a list in it', async () => {
    const one = createElasticsearch('http://127.0.0.1:9200');
    const three = createElasticsearch(
      'http://127.0.0.1:9200,http://127.0.0.1:9201,http://127.0.0.1:9202',
    );
    expect(one.connectionPool.connections).toHaveLength(1);
    expect(three.connectionPool.connections).toHaveLength(3);
    await Promise.all([one.close(), three.close()]);
  });
});

describe('what an Elasticsearch failure says', () => {
  it('an untrusted certificate names the CA variables', () => {
    const error = new errors.ConnectionError(
      'self-signed certificate in certificate chain - Local: 127.0.0.1:1, Remote: 127.0.0.1:2',
    );
    expect(describeElasticsearchError(error)).toBe(
      'The certificate of Elasticsearch is not trusted (self-signed certificate in certificate chain): ' +
        'set ELASTICSEARCH_CA_FILE to the CA that signed it (PEM) or ELASTICSEARCH_CA_FINGERPRINT to its SHA-256 fingerprint.',
    );
  });

  it('a host that does not resolve is named, with the variables that name hosts', () => {
    const error = new errors.ConnectionError('getaddrinfo ENOTFOUND es.example.invalid');
    expect(describeElasticsearchError(error)).toBe(
      'Elasticsearch cannot be reached: the host es.example.invalid is not known; ' +
        'check ELASTICSEARCH_URL, or ELASTICSEARCH_CLOUD_ID for an Elastic Cloud deployment.',
    );
  });

  it('a refused connection still points to ELASTICSEARCH_URL', () => {
    expect(describeElasticsearchError(new errors.ConnectionError('connect ECONNREFUSED'))).toBe(
      'Elasticsearch cannot be reached: check that it runs and that ELASTICSEARCH_URL points to it.',
    );
  });

  it('a 401 for a user names the user variables, missing credentials say to set them', () => {
    expect(
      describeElasticsearchError(
        responseError(401, 'unable to authenticate user [panorama] for REST request [/_search]'),
      ),
    ).toMatch(
      /rejected the credentials \(401: .*\): check ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD\.$/,
    );
    expect(
      describeElasticsearchError(
        responseError(401, 'missing authentication credentials for REST request [/]'),
      ),
    ).toBe(
      'Elasticsearch requires credentials: set ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, or ELASTICSEARCH_API_KEY.',
    );
  });

  it('a 403 keeps the privileges Elasticsearch names and says whose role to change', () => {
    const reason =
      'action [indices:admin/create] is unauthorized for API key id [k1] of user [panorama] on indices [p-x], ' +
      'this action is granted by the index privileges [create_index,manage,all]';
    expect(describeElasticsearchError(responseError(403, reason))).toBe(
      `Elasticsearch refused the request for lack of a privilege (403: ${reason}): grant it to the role of the API key of ELASTICSEARCH_API_KEY.`,
    );
  });
});

describe('Redis connection settings', () => {
  it('a password apart from the URL and a CA file for rediss://', () => {
    expect(
      redisConnectionOptions(
        { url: 'rediss://default@redis:6380/2', password: 's3cret', caFile: '/ca.pem' },
        readPem,
      ),
    ).toEqual({ password: 's3cret', tls: { ca: pem } });
    expect(redisConnectionOptions({ url: 'redis://127.0.0.1:6380' })).toEqual({});
  });

  it('refuses two passwords and a CA file without TLS, naming the variables', () => {
    expect(
      redisSettingsProblems({ url: 'redis://:a@redis:6380', password: 'b', caFile: '/ca.pem' }),
    ).toEqual([
      'REDIS_URL holds a password and REDIS_PASSWORD is set too: keep only one of them.',
      'REDIS_CA_FILE is set but REDIS_URL starts with redis://: use rediss:// to connect with TLS.',
    ]);
  });
});

describe('the connection variables', () => {
  const schema = elasticsearchEnv.extend(redisEnv.shape).superRefine(checkConnectionEnv);

  it('empty variables count as unset, and the settings follow the variables', () => {
    const env = schema.parse({
      ELASTICSEARCH_URL: 'https://es1:9200,https://es2:9200',
      ELASTICSEARCH_API_KEY: 'a2V5',
      ELASTICSEARCH_USERNAME: '',
      ELASTICSEARCH_CA_FINGERPRINT: fingerprint,
      REDIS_URL: 'rediss://redis:6380',
      REDIS_PASSWORD: 'pw',
      REDIS_CA_FILE: '',
    });
    expect(elasticsearchSettingsOf(env)).toEqual({
      url: 'https://es1:9200,https://es2:9200',
      apiKey: 'a2V5',
      username: undefined,
      password: undefined,
      caFile: undefined,
      caFingerprint: fingerprint,
      cloudId: undefined,
    });
    expect(redisSettingsOf(env)).toEqual({
      url: 'rediss://redis:6380',
      password: 'pw',
      caFile: undefined,
    });
  });

  it('reports field and combination problems together, each on its variable', () => {
    const result = schema.safeParse({
      ELASTICSEARCH_URL: 'https://es1:9200,not a url',
      ELASTICSEARCH_API_KEY: 'a2V5',
      ELASTICSEARCH_USERNAME: 'panorama',
      ELASTICSEARCH_PASSWORD: 'pw',
      REDIS_URL: 'redis://redis:6380',
      REDIS_CA_FILE: '/ca.pem',
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'ELASTICSEARCH_URL: must be a URL like https://127.0.0.1:9200, or several separated by commas',
      'ELASTICSEARCH_API_KEY: ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME are both set: authenticate with the API key or with a user, not both.',
      'REDIS_CA_FILE: REDIS_CA_FILE is set but REDIS_URL starts with redis://: use rediss:// to connect with TLS.',
    ]);
  });
});

describe('checkRedis', () => {
  function fakeRedis(config: () => Promise<unknown>, status = 'ready'): CheckedRedis {
    return {
      status,
      config,
      once: () => undefined,
      removeListener: () => undefined,
    } as unknown as CheckedRedis;
  }
  const replyError = (message: string): Error =>
    Object.assign(new Error(message), { name: 'ReplyError' });

  it('is quiet when Redis never evicts', async () => {
    const check = await checkRedis(fakeRedis(async () => ['maxmemory-policy', 'noeviction']));
    expect(check).toEqual({ maxmemoryPolicy: 'noeviction', warning: null });
  });

  it('warns when Redis may evict the queues', async () => {
    const check = await checkRedis(fakeRedis(async () => ['maxmemory-policy', 'volatile-lru']));
    expect(check.warning).toMatch(/maxmemory-policy volatile-lru\): BullMQ needs 'noeviction'/);
  });

  it('says the policy could not be checked when CONFIG is disabled', async () => {
    const check = await checkRedis(
      fakeRedis(async () => {
        throw replyError("ERR unknown command 'CONFIG', with args beginning with: 'GET'");
      }),
    );
    expect(check.maxmemoryPolicy).toBeNull();
    expect(check.warning).toMatch(/could not be checked/);
  });

  it('names REDIS_PASSWORD when Redis refuses the credentials', async () => {
    const redis = fakeRedis(async () => {
      throw replyError('NOAUTH Authentication required.');
    });
    await expect(checkRedis(redis)).rejects.toThrow(/check REDIS_PASSWORD/);
  });

  it('names REDIS_URL when the connection never comes up', async () => {
    const redis = fakeRedis(async () => [], 'connecting');
    await expect(checkRedis(redis, { timeoutMs: 10 })).rejects.toThrow(
      /Redis cannot be reached \(no answer within 10 ms\): check that it runs and that REDIS_URL points to it/,
    );
  });
});
