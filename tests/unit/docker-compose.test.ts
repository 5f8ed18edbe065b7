/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker
 * engine): this checks what would make them fail or unsafe — restart
 * policies and health checks, the secured three-node cluster, that every
 * variable given to a Panorama process is one it reads, that the commands
 * run what `npm run build:server` makes, and that indexers and APIs scale.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadIndexerConfig } from '../../indexers/src/config';
import { mappingsEnvSchema } from '../../mappings/config';
import { serverBundles } from '../../scripts/build-server';
import { ELASTICSEARCH_VERSION } from '../../scripts/embedded/elasticsearch';
import { loadServerConfig } from '../../server/src/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  ports?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** Every variable a config loader reads: it is handed an environment that records what is asked of it. */
function variablesReadBy(load: (env: NodeJS.ProcessEnv) => unknown): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  try {
    load(env);
  } catch {
    // An empty environment is invalid; what was asked is known by now.
  }
  return read;
}

const bundleOf = new Map<string, (typeof serverBundles)[number]['name']>(
  serverBundles.map((b) => [b.out, b.name]),
);
/** What each process reads from the environment (the migration is mappings/apply.ts). */
const knownTo: Record<string, Set<string>> = {
  api: variablesReadBy(loadServerConfig),
  indexer: variablesReadBy(loadIndexerConfig),
  migrate: new Set(Object.keys(mappingsEnvSchema.shape)),
};
const healthcheckBundle = serverBundles.find((b) => b.name === 'healthcheck')?.out;
const panoramaServices = services.filter(([, s]) => s.command?.[0] === 'node');
const processOf = (s: Service) => bundleOf.get(s.command?.[1] ?? '');
/** Services others wait for to complete: they run once and exit. */
const oneShots = new Set(
  services.flatMap(([, s]) =>
    Object.entries(s.depends_on ?? {})
      .filter(([, d]) => d.condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);
const elasticsearchImage = `docker.elastic.co/elasticsearch/elasticsearch:${ELASTICSEARCH_VERSION}`;
const elasticsearchNodes = services.filter(
  ([, s]) => s.image?.startsWith('docker.elastic.co/') && s.environment?.['node.name'],
);

describe('docker-compose.yml', () => {
  it('restarts every long-running service unless stopped and checks its health; one-shots restart on failure only', () => {
    expect([...oneShots].sort()).toEqual(['migrate', 'setup']);
    for (const [name, s] of services) {
      if (oneShots.has(name)) {
        expect(s.restart, name).toBe('on-failure');
      } else {
        expect(s.restart, name).toBe('unless-stopped');
        expect(s.healthcheck?.disable, name).not.toBe(true);
        expect(s.healthcheck?.test?.length, `${name} has a health check`).toBeGreaterThan(1);
      }
    }
  });

  it('waits only for services it has, for their health or their completion', () => {
    for (const [name, s] of services) {
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        const wanted = oneShots.has(dependency)
          ? ['service_completed_successfully', 'service_healthy']
          : ['service_healthy'];
        expect(wanted, `${name} → ${dependency}`).toContain(condition);
      }
    }
  });

  it('runs three Elasticsearch nodes of the version the tests use, with security and TLS on HTTP and transport, each seeded with the others', () => {
    const names = elasticsearchNodes.map(([name]) => name);
    expect(names).toHaveLength(3);
    for (const [name, s] of services.filter(([, s]) => s.image?.includes('elasticsearch')))
      expect(s.image, name).toBe(elasticsearchImage);
    for (const [name, s] of elasticsearchNodes) {
      const env = s.environment ?? {};
      expect(env['node.name']).toBe(name);
      expect(env['discovery.type']).toBeUndefined();
      expect(env['xpack.security.enabled']).toBe('true');
      expect(env['xpack.security.http.ssl.enabled']).toBe('true');
      expect(env['xpack.security.transport.ssl.enabled']).toBe('true');
      for (const layer of ['http', 'transport']) {
        expect(env[`xpack.security.${layer}.ssl.key`]).toBe(`certs/${name}/${name}.key`);
        expect(env[`xpack.security.${layer}.ssl.certificate`]).toBe(`certs/${name}/${name}.crt`);
        expect(env[`xpack.security.${layer}.ssl.certificate_authorities`]).toBe('certs/ca/ca.crt');
      }
      expect(env['discovery.seed_hosts'].split(',').sort()).toEqual(
        names.filter((n) => n !== name).sort(),
      );
      expect(env['cluster.initial_master_nodes'].split(',').sort()).toEqual([...names].sort());
      expect(s.depends_on?.setup?.condition).toBe('service_healthy');
    }
  });

  it('makes the certificates and the panorama user in a setup service, whose files are in the repository', () => {
    const setup = service('setup');
    expect(setup.command).toEqual(['bash', '/setup/setup.sh']);
    expect(setup.volumes).toContain('./deploy/elasticsearch:/setup:ro');
    const script = read('deploy/elasticsearch/setup.sh');
    expect(script).toContain('elasticsearch-certutil ca');
    expect(script).toContain('elasticsearch-certutil cert');
    for (const [name] of elasticsearchNodes) expect(script).toMatch(new RegExp(`\\b${name}\\b`));
    expect(script).toContain('/_security/role/panorama');
    expect(script).toContain('/_security/user/panorama');
    const role = JSON.parse(read('deploy/elasticsearch/panorama-role.json')) as {
      cluster: string[];
      indices: { names: string[] }[];
    };
    expect(role.cluster).toEqual(['monitor']);
    expect(role.indices.flatMap((i) => i.names)).toEqual(['panorama*']);
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, s] of services) {
      for (const volume of s.volumes ?? []) {
        if (!volume.startsWith('./')) continue;
        expect(existsSync(path.join(root, volume.split(':')[0])), `${name}: ${volume}`).toBe(true);
      }
    }
  });

  it('runs Redis with an append-only file, no eviction and a password', () => {
    const command = service('redis').command?.join(' ') ?? '';
    expect(command).toContain('--appendonly yes');
    expect(command).toMatch(/--appendfsync (always|everysec)/);
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(service('redis').image).toMatch(/^redis:7(\.|$)/);
  });

  it('runs the API, the indexer and the migration from what `npm run build:server` makes', () => {
    expect(panoramaServices.map(([name]) => name).sort()).toEqual([
      'api',
      'api-2',
      'indexer',
      'migrate',
    ]);
    for (const [name, s] of panoramaServices) {
      expect(processOf(s), `${name} runs ${s.command?.join(' ')}`).toBeDefined();
      expect(s.command).toHaveLength(2);
    }
    expect(processOf(service('api'))).toBe('api');
    expect(processOf(service('api-2'))).toBe('api');
    expect(processOf(service('indexer'))).toBe('indexer');
    expect(processOf(service('migrate'))).toBe('migrate');
    // The health checks run the check of the process they watch.
    for (const [name, s] of panoramaServices.filter(([n]) => !oneShots.has(n))) {
      expect(s.healthcheck?.test, name).toEqual(['CMD', 'node', healthcheckBundle, processOf(s)]);
    }
  });

  it('gives each Panorama process only variables it reads', () => {
    for (const [name, s] of panoramaServices) {
      const known = knownTo[processOf(s)!];
      for (const variable of Object.keys(s.environment ?? {}))
        expect(known.has(variable), `${name}: ${variable} is read by its config`).toBe(true);
    }
  });

  it('connects every Panorama process to the three nodes over TLS as the panorama user, and to Redis with its password', () => {
    for (const [name, s] of panoramaServices) {
      const env = s.environment ?? {};
      expect(env.ELASTICSEARCH_URL, name).toBe(
        'https://es01:9200,https://es02:9200,https://es03:9200',
      );
      expect(env.ELASTICSEARCH_USERNAME, name).toBe('panorama');
      expect(env.ELASTICSEARCH_PASSWORD, name).toMatch(/^\$\{PANORAMA_ELASTICSEARCH_PASSWORD:\?/);
      expect(env.ELASTICSEARCH_CA_FILE, name).toBe('/certs/ca.crt');
      expect(s.volumes, name).toContain('es-ca:/certs:ro');
      if (processOf(s) !== 'migrate')
        expect(env.REDIS_URL, name).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
    }
  });

  it('lets indexers and APIs scale: no fixed container names, only the proxy publishes a port', () => {
    for (const [name, s] of services) expect(s.container_name, name).toBeUndefined();
    expect(services.filter(([, s]) => s.ports?.length).map(([name]) => name)).toEqual(['proxy']);
  });

  it('puts every API service behind the proxy', () => {
    const proxy = service('proxy');
    expect(proxy.volumes).toContain(
      './deploy/nginx/panorama.conf:/etc/nginx/conf.d/default.conf:ro',
    );
    const config = read('deploy/nginx/panorama.conf');
    const upstream = [...config.matchAll(/^\s*server ([a-z0-9-]+):8080 resolve;/gm)].map(
      (m) => m[1],
    );
    const apis = panoramaServices.filter(([, s]) => processOf(s) === 'api').map(([name]) => name);
    expect(upstream.sort()).toEqual(apis.sort());
    for (const api of apis) expect(service(api).environment?.PANORAMA_TRUST_PROXY).toBe('1');
  });

  it('takes its secrets from .env, and .env.example names each of them without a value', () => {
    const required = new Set([...composeText.matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]));
    expect([...required].sort()).toEqual([
      'ELASTIC_PASSWORD',
      'PANORAMA_ELASTICSEARCH_PASSWORD',
      'REDIS_PASSWORD',
    ]);
    const example = read('.env.example');
    for (const variable of required) expect(example).toMatch(new RegExp(`^${variable}=$`, 'm'));
    expect(read('.gitignore')).toMatch(/^\.env$/m);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile').replace(/\\\n\s*/g, ' ');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];
  const instruction = (name: string) =>
    runtime
      .split('\n')
      .filter((line) => line.startsWith(`${name} `))
      .map((line) => line.slice(name.length + 1).trim());
  const exec = (text: string) => JSON.parse(text) as string[];

  it('builds the UI and the processes in a build stage', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^RUN npm ci /m);
    expect(stages[0]).toContain('npm run build && npm run build:server');
    expect(JSON.parse(read('package.json')).scripts['build:server']).toBe(
      'tsx scripts/build-server.ts',
    );
  });

  it('runs the API from its bundle as a non-root user with production dependencies only, and checks it with node', () => {
    expect(instruction('RUN').some((r) => r.startsWith('npm ci --omit=dev'))).toBe(true);
    expect(instruction('COPY')).toEqual(
      expect.arrayContaining([
        '--from=build /app/dist ./dist',
        '--from=build /app/web/dist ./web/dist',
      ]),
    );
    expect(instruction('COPY')).toContain('config ./config');
    expect(instruction('USER')).toEqual(['node']);
    const cmd = exec(instruction('CMD')[0]);
    expect(cmd[0]).toBe('node');
    expect(bundleOf.get(cmd[1])).toBe('api');
    const health = instruction('HEALTHCHECK')[0];
    const check = exec(health.slice(health.indexOf('CMD ') + 4));
    expect(check[0]).toBe('node');
    expect(bundleOf.get(check[1])).toBe('healthcheck');
    expect(check[2]).toBe('api');
  });

  it('sets only variables the processes or node read', () => {
    const names = instruction('ENV').flatMap((e) =>
      [...e.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names)
      expect(knownTo.api.has(name) || ['NODE_ENV', 'NODE_OPTIONS'].includes(name), name).toBe(true);
  });
});
