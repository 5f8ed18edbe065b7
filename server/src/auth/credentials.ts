/**
 * Credentials of an installation, kept in `<DATA_DIR>/credentials.json`
 * (mode 0600): the token-signing secret, the first people's accounts (scrypt
 * hashes), and an ingest API key for the demo loader. Generated on first
 * start — there are no fixed default passwords. The generated passwords are
 * kept in the same 0600 file (`initialPassword`) so the operator can read
 * them.
 *
 * The accounts and named keys of this file seed the shared accounts index on
 * the installation's first start (account-store.ts); from then on that index
 * is what every API process reads and what admins change. `initialLogins`
 * tells which generated passwords still work, for the box `npm start` prints.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { roles, type Role } from '../../../domain/src/api';
import {
  createElasticsearch,
  elasticsearchConnectionOf,
  type ElasticsearchConnectionOptions,
} from '../../../infra/src/elasticsearch';
import { indexNames } from '../../../infra/src/names';
import { hashPassword, randomSecret, verifyPassword } from './passwords';

const fileSchema = z.object({
  secret: z.string().min(32),
  users: z.array(
    z.object({
      username: z.string(),
      role: z.enum(roles),
      passwordHash: z.string(),
      initialPassword: z.string().nullable(),
    }),
  ),
  apiKeys: z.array(z.object({ role: z.enum(roles), key: z.string().min(16), name: z.string() })),
});
export type CredentialsFile = z.infer<typeof fileSchema>;

export function credentialsPath(dataDir: string): string {
  return path.join(dataDir, 'credentials.json');
}

export async function readCredentials(dataDir: string): Promise<CredentialsFile | null> {
  try {
    return fileSchema.parse(JSON.parse(await readFile(credentialsPath(dataDir), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(
      `${credentialsPath(dataDir)} is unreadable or invalid: fix or delete it (${(error as Error).message})`,
    );
  }
}

const DEFAULT_USERS: { username: string; role: Role }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'agent', role: 'agent' },
  { username: 'manager', role: 'manager' },
  { username: 'analyst', role: 'analyst' },
];

export interface EnsuredCredentials {
  created: boolean;
  path: string;
  users: { username: string; role: Role; password: string | null }[];
  ingestKey: string;
}

/** Creates the credentials file on first start; afterwards only reads it. */
export async function ensureCredentials(dataDir: string): Promise<EnsuredCredentials> {
  let file = await readCredentials(dataDir);
  const created = file === null;
  if (!file) {
    const users = await Promise.all(
      DEFAULT_USERS.map(async (u) => {
        const password = randomSecret(16);
        return { ...u, passwordHash: await hashPassword(password), initialPassword: password };
      }),
    );
    file = {
      secret: randomSecret(48),
      users,
      apiKeys: [{ role: 'ingest', key: randomSecret(32), name: 'demo loader' }],
    };
    await mkdir(dataDir, { recursive: true });
    const target = credentialsPath(dataDir);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(file, null, 2), { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, target);
  }
  const ingestKey = file.apiKeys.find((k) => k.role === 'ingest' || k.role === 'admin')?.key ?? '';
  return {
    created,
    path: credentialsPath(dataDir),
    users: file.users.map((u) => ({
      username: u.username,
      role: u.role,
      password: u.initialPassword,
    })),
    ingestKey,
  };
}

/**
 * The generated logins of the credentials file as they stand in the shared
 * accounts index: the password while it is still the generated one, null
 * after an admin changed it; users an admin deleted are left out.
 */
export async function initialLogins(
  options: ElasticsearchConnectionOptions & { dataDir: string; indexPrefix: string },
): Promise<EnsuredCredentials['users']> {
  const file = await readCredentials(options.dataDir);
  if (!file || file.users.length === 0) return [];
  const es = createElasticsearch(elasticsearchConnectionOf(options));
  try {
    const stored = await es.mget<{ passwordHash?: string }>({
      index: indexNames(options.indexPrefix).accounts,
      ids: file.users.map((u) => `user:${u.username}`),
    });
    const hashes = new Map(
      stored.docs.flatMap((doc) =>
        'found' in doc && doc.found
          ? [[doc._id.slice('user:'.length), doc._source?.passwordHash]]
          : [],
      ),
    );
    // A stored hash other than the file's may still be of the generated password, made stronger at a login (log-in.ts): then ask scrypt.
    const stillGenerated = async (u: CredentialsFile['users'][number]) => {
      const hash = hashes.get(u.username);
      return (
        hash === u.passwordHash ||
        (u.initialPassword !== null &&
          typeof hash === 'string' &&
          (await verifyPassword(u.initialPassword, hash)))
      );
    };
    const present = file.users.filter((u) => hashes.has(u.username));
    const generated = await Promise.all(present.map(stillGenerated));
    return present.map((u, i) => ({
      username: u.username,
      role: u.role,
      password: generated[i] ? u.initialPassword : null,
    }));
  } finally {
    await es.close();
  }
}

/** `PANORAMA_API_KEYS=admin:s3cret,ingest:abc` → keys with roles (config.ts checks the variable with it at start). */
export function parseApiKeysEnv(value: string | undefined): { role: Role; key: string }[] {
  if (!value) return [];
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      const role = pair.slice(0, at) as Role;
      const key = pair.slice(at + 1);
      if (at < 1 || !roles.includes(role) || key.length === 0) {
        throw new Error(
          `"${pair.slice(0, Math.max(at, 0))}:…" must be role:key with a role among ${roles.join(', ')}`,
        );
      }
      return { role, key };
    });
}
