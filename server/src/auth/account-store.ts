/**
 * People's accounts and API keys, shared by every API process.
 *
 * Stored in Elasticsearch (`<prefix>-accounts`, mappings/accounts.json), not
 * in Redis: they are lasting records like everything else Panorama keeps, and
 * Redis only holds work in flight (DESIGN, principle 3). Passwords are scrypt
 * hashes; API keys are kept as SHA-256 (a key is 32 random characters, so a
 * fast hash is enough; the key itself is shown once when it is made).
 *
 * Each process reads them through a cache: a counter in Redis
 * (`<prefix>:accounts-version`) is raised after every change, and a process
 * that has not asked for `cacheMs` (default 1 s) reads the counter and reloads
 * the accounts when it moved. So a user created, a role changed or a password
 * changed on one process holds on every other within `cacheMs`; a login and
 * an unknown token always check at once (a user made a moment ago elsewhere
 * can log in and use its token here immediately). A password change raises
 * the user's token generation: tokens carry the generation they were issued
 * under, so older ones are refused by every process, without any clock.
 *
 * When Redis cannot be asked, the cache stays in use and is reloaded from
 * Elasticsearch every `reloadMs` (default 30 s); the same reload catches a
 * change whose counter update failed.
 *
 * Every user has an immutable random `id`, given at creation (a user created
 * again under a deleted user's name gets a new one); login tokens are bound
 * to it. Users stored before ids existed get theirs the first time any
 * process reads them, by a conditional write so all processes keep the same.
 */
import type { Client } from '@elastic/elasticsearch';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ApiKeyView, Role, UserView } from '../../../domain/src/api';
import { isConflict, isNotFound } from '../../../infra/src/elasticsearch';

/** Another process held the admin-count lock for longer than we waited (withAdminLock). */
export class AdminLockBusy extends Error {
  constructor() {
    super('another admin change is in progress');
  }
}

/** A person's account as stored (`user:<username>`). */
export interface UserAccount {
  /**
   * Random, given at creation and never changed: login tokens carry it, so a
   * user deleted and created again under the same name does not inherit the
   * old tokens. Accounts stored before ids existed get one when first read.
   */
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  /** Raised when the password changes; login tokens of an older generation are refused, so a leaked token dies with the old password. */
  tokenGeneration: number;
}

/** An API key as stored (`key:<name>`): its hash, never the key. */
export interface StoredApiKey {
  name: string;
  role: Role;
  keyHash: string;
  /** Last 4 characters, to tell keys apart in the list. */
  hint: string;
}

/** What a bearer token that is an API key resolves to. */
export interface ApiKeyPrincipal {
  role: Role;
  /** Null for a key from the environment (PANORAMA_API_KEYS), which no admin can delete. */
  name: string | null;
  /** The first 12 hex characters of the key's SHA-256: names the key (audit, rate limit) without revealing it. */
  keyId: string;
}

interface Snapshot {
  users: Map<string, UserAccount>;
  keys: Map<string, StoredApiKey>;
  version: string | null;
  /** When the version was last compared (start of that check). */
  checkedAt: number;
  /** When the accounts were last read from Elasticsearch. */
  loadedAt: number;
}

type AccountDoc =
  | ({ kind: 'user'; updatedAt: string } & Omit<UserAccount, 'id'> & { id?: string })
  | ({ kind: 'api-key'; createdAt: string } & StoredApiKey)
  | { kind: 'bootstrap'; createdAt: string };

export interface AccountStoreOptions {
  es: Client;
  redis: Redis;
  /** The accounts index (alias). */
  index: string;
  /** The Redis counter raised after each change. */
  versionKey: string;
  /** How long a process trusts its copy before asking Redis whether anything changed. Default 1,000 ms. */
  cacheMs?: number;
  /** Reload from Elasticsearch at least this often, whatever Redis says (and while it cannot be asked). Default 30,000 ms. */
  reloadMs?: number;
  /** Keys from the environment (PANORAMA_API_KEYS): held in memory, the same in every process, never stored. */
  staticKeys?: { role: Role; key: string }[];
}

export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A key's public id, from its hash: 48 bits tell keys apart and say nothing about the key. */
export function apiKeyId(keyHash: string): string {
  return keyHash.slice(0, 12);
}

function newAccountId(): string {
  return randomUUID();
}

const maxAccounts = 10_000;

function environmentKeyName(hint: string): string {
  return `key …${hint}`;
}

export class AccountStore {
  private snapshot: Snapshot | null = null;
  private refreshing: Promise<Snapshot> | null = null;
  private readonly cacheMs: number;
  private readonly reloadMs: number;
  private readonly staticKeys: { role: Role; hash: Buffer; hint: string }[];

  constructor(private readonly options: AccountStoreOptions) {
    this.cacheMs = options.cacheMs ?? 1_000;
    this.reloadMs = options.reloadMs ?? 30_000;
    this.staticKeys = (options.staticKeys ?? []).map((k) => ({
      role: k.role,
      hash: Buffer.from(apiKeyHash(k.key), 'hex'),
      hint: k.key.slice(-4),
    }));
  }

  /**
   * Copies the accounts of the first start (DATA_DIR/credentials.json, or a
   * test's users) in, once per installation: afterwards the `bootstrap` mark
   * keeps a user an admin deleted from coming back at the next start. Each
   * account is created only when absent, so two processes starting at once
   * agree.
   */
  async seed(
    users: Omit<UserAccount, 'tokenGeneration' | 'id'>[],
    keys: { name: string; role: Role; key: string }[],
  ): Promise<void> {
    const { es, index } = this.options;
    if (users.length === 0 && keys.length === 0) return;
    if (await es.exists({ index, id: 'bootstrap' })) return;
    const now = new Date().toISOString();
    const docs: [string, AccountDoc][] = [
      ...users.map((u): [string, AccountDoc] => [
        `user:${u.username}`,
        {
          kind: 'user',
          id: newAccountId(),
          username: u.username,
          role: u.role,
          passwordHash: u.passwordHash,
          tokenGeneration: 0,
          updatedAt: now,
        },
      ]),
      ...keys.map((k): [string, AccountDoc] => [
        `key:${k.name}`,
        {
          kind: 'api-key',
          name: k.name,
          role: k.role,
          keyHash: apiKeyHash(k.key),
          hint: k.key.slice(-4),
          createdAt: now,
        },
      ]),
      ['bootstrap', { kind: 'bootstrap', createdAt: now }],
    ];
    const result = await es.bulk({
      refresh: 'wait_for',
      operations: docs.flatMap(([id, doc]) => [{ create: { _index: index, _id: id } }, doc]),
    });
    const failed = result.items.find((item) => item.create?.error && item.create.status !== 409);
    if (failed)
      throw new Error(`seeding the accounts failed: ${failed.create?.error?.type ?? 'unknown'}`);
    await this.changed();
  }

  /** The accounts as this process sees them, at most `maxAgeMs` old (0: checked now). */
  private async current(maxAgeMs = this.cacheMs): Promise<Snapshot> {
    const asked = Date.now();
    for (;;) {
      const snapshot = this.snapshot;
      if (snapshot && snapshot.checkedAt >= asked - maxAgeMs) return snapshot;
      if (this.refreshing) {
        await this.refreshing.catch(() => {});
        // A check that began before this call may have missed a change made just before it: go round again.
        continue;
      }
      this.refreshing = this.refresh(snapshot).finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
  }

  private async refresh(previous: Snapshot | null): Promise<Snapshot> {
    const startedAt = Date.now();
    let version: string | null;
    try {
      version = (await this.options.redis.get(this.options.versionKey)) ?? '0';
    } catch {
      version = null; // Redis unreachable: rely on the periodic reload below.
    }
    if (
      previous &&
      startedAt - previous.loadedAt < this.reloadMs &&
      (version === null || version === previous.version)
    ) {
      this.snapshot = { ...previous, checkedAt: startedAt };
      return this.snapshot;
    }
    try {
      this.snapshot = {
        ...(await this.load()),
        version: version ?? previous?.version ?? null,
        checkedAt: startedAt,
        loadedAt: startedAt,
      };
    } catch (error) {
      if (!previous) throw error;
      // Elasticsearch failed: keep what we know, try again after cacheMs.
      this.snapshot = { ...previous, checkedAt: startedAt };
    }
    return this.snapshot;
  }

  private async load(): Promise<Pick<Snapshot, 'users' | 'keys'>> {
    const { es, index } = this.options;
    const answer = await es.search<AccountDoc>({
      index,
      size: maxAccounts,
      seq_no_primary_term: true,
      query: { terms: { kind: ['user', 'api-key'] } },
    });
    const users = new Map<string, UserAccount>();
    const keys = new Map<string, StoredApiKey>();
    for (const hit of answer.hits.hits) {
      const doc = hit._source;
      if (doc?.kind === 'user') {
        const id =
          doc.id ??
          (await this.giveId(hit._id ?? `user:${doc.username}`, hit._seq_no, hit._primary_term));
        if (id)
          users.set(doc.username, {
            id,
            username: doc.username,
            role: doc.role,
            passwordHash: doc.passwordHash,
            tokenGeneration: doc.tokenGeneration ?? 0,
          });
      }
      if (doc?.kind === 'api-key')
        keys.set(doc.keyHash, {
          name: doc.name,
          role: doc.role,
          keyHash: doc.keyHash,
          hint: doc.hint,
        });
    }
    return { users, keys };
  }

  /**
   * Gives a user stored before accounts had ids its id, once: written only if
   * nobody wrote the account since it was read (`if_seq_no`), so two
   * processes doing this at once keep one id — the loser reads the winner's.
   * Undefined when the user was deleted meanwhile.
   */
  private async giveId(
    docId: string,
    seqNo: number | undefined,
    primaryTerm: number | undefined,
  ): Promise<string | undefined> {
    const { es, index } = this.options;
    for (let attempt = 0; ; attempt++) {
      let doc: AccountDoc | undefined;
      if (seqNo === undefined || primaryTerm === undefined) {
        try {
          const stored = await es.get<AccountDoc>({ index, id: docId });
          ({ _seq_no: seqNo, _primary_term: primaryTerm } = stored);
          doc = stored._source;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
        if (doc?.kind !== 'user') return undefined;
        if (doc.id) return doc.id;
      }
      const id = newAccountId();
      try {
        // A partial update: whatever else the document holds stays as it is. No refresh wait (one per old user would
        // make the first load slow): a search that still shows the account without an id leads here again, and the
        // conflict and the real-time get above find the id stored.
        await es.update({
          index,
          id: docId,
          doc: { id },
          if_seq_no: seqNo,
          if_primary_term: primaryTerm,
        });
        return id;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        if (!isConflict(error) || attempt >= 5) throw error;
        seqNo = undefined; // written meanwhile (perhaps its id by another process): read it again
        primaryTerm = undefined;
      }
    }
  }

  /** Tells every process (this one at once) that the accounts changed. */
  private async changed(): Promise<void> {
    try {
      await this.options.redis.incr(this.options.versionKey);
    } catch {
      // The change is stored; other processes see it at their next periodic reload.
    }
    this.snapshot = null;
  }

  /** The user, from the cache (`fresh`: checked now, for logins and tokens of users this process does not know yet). */
  async user(
    username: string,
    options: { fresh?: boolean } = {},
  ): Promise<UserAccount | undefined> {
    return (await this.current(options.fresh ? 0 : this.cacheMs)).users.get(username);
  }

  /** The API key a bearer token is, if any (`fresh`: checked now). */
  async apiKey(
    token: string,
    options: { fresh?: boolean } = {},
  ): Promise<ApiKeyPrincipal | undefined> {
    const hash = apiKeyHash(token);
    const digest = Buffer.from(hash, 'hex');
    const fixed = this.staticKeys.find((k) => timingSafeEqual(k.hash, digest));
    if (fixed) return { role: fixed.role, name: null, keyId: apiKeyId(hash) };
    const stored = (await this.current(options.fresh ? 0 : this.cacheMs)).keys.get(hash);
    return stored ? { role: stored.role, name: stored.name, keyId: apiKeyId(hash) } : undefined;
  }

  async listUsers(): Promise<UserView[]> {
    return [...(await this.current(0)).users.values()]
      .map((u) => ({ username: u.username, role: u.role }))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Stored keys by name, then the environment's as `key …<hint>` (they can only be removed from PANORAMA_API_KEYS). */
  async listApiKeys(): Promise<ApiKeyView[]> {
    const stored = [...(await this.current(0)).keys.values()]
      .map((k) => ({ name: k.name, role: k.role, hint: k.hint }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return [
      ...stored,
      ...this.staticKeys.map((k) => ({
        name: environmentKeyName(k.hint),
        role: k.role,
        hint: k.hint,
      })),
    ];
  }

  /** Whether `name` is how an environment key is listed. */
  isEnvironmentKey(name: string): boolean {
    return this.staticKeys.some((k) => environmentKeyName(k.hint) === name);
  }

  /** False when the username is taken. */
  async createUser(user: { username: string; role: Role; passwordHash: string }): Promise<boolean> {
    // A new id even for a name that was used before: tokens of the deleted namesake do not fit it.
    const doc: AccountDoc = {
      kind: 'user',
      id: newAccountId(),
      ...user,
      tokenGeneration: 0,
      updatedAt: new Date().toISOString(),
    };
    try {
      await this.options.es.create({
        index: this.options.index,
        id: `user:${user.username}`,
        document: doc,
        refresh: 'wait_for',
      });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    await this.changed();
    return true;
  }

  /**
   * Applies `change` to the stored user (read, change, write only if nobody
   * wrote in between; else again). A new password raises the token generation;
   * `samePassword` marks a new hash of the same password (a stronger one after
   * a login), which does not. `change` answering null changes nothing (only a
   * missing id is stored).
   * Undefined when there is no such user.
   */
  async updateUser(
    username: string,
    change: (
      user: UserAccount,
    ) => { role?: Role; passwordHash?: string; samePassword?: boolean } | null,
  ): Promise<UserAccount | undefined> {
    const { es, index } = this.options;
    for (let attempt = 0; ; attempt++) {
      let stored;
      try {
        stored = await es.get<AccountDoc>({ index, id: `user:${username}` });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      const doc = stored._source;
      if (doc?.kind !== 'user') return undefined;
      // A user stored before ids existed gets one here, in the same conditional write.
      const current: UserAccount = {
        id: doc.id ?? newAccountId(),
        username: doc.username,
        role: doc.role,
        passwordHash: doc.passwordHash,
        tokenGeneration: doc.tokenGeneration ?? 0,
      };
      const asked = change(current);
      if (asked === null && doc.id) return current;
      const patch = asked ?? {};
      const next: UserAccount = {
        ...current,
        role: patch.role ?? current.role,
        passwordHash: patch.passwordHash ?? current.passwordHash,
        // A stronger hash of the same password (upgrade) keeps the sessions; a new password ends them.
        tokenGeneration:
          patch.passwordHash && !patch.samePassword
            ? current.tokenGeneration + 1
            : current.tokenGeneration,
      };
      try {
        await es.index({
          index,
          id: `user:${username}`,
          document: { kind: 'user', ...next, updatedAt: new Date().toISOString() },
          if_seq_no: stored._seq_no,
          if_primary_term: stored._primary_term,
          refresh: 'wait_for',
        });
      } catch (error) {
        if (isConflict(error) && attempt < 5) continue;
        throw error;
      }
      await this.changed();
      return next;
    }
  }

  /**
   * Runs `fn` while no other API process runs an admin-count check: a lock in
   * Redis (`<versionKey>:admin-lock`, SET NX with a 10 s lease, released only
   * by its holder). Two admins removed at the same moment on two processes
   * would otherwise both see two admins and leave none. Inside, read the
   * accounts fresh (`listUsers` does): the holder before has written and
   * announced its change before letting go.
   */
  async withAdminLock<T>(fn: () => Promise<T>): Promise<T> {
    const { redis, versionKey } = this.options;
    const key = `${versionKey}:admin-lock`;
    const token = randomUUID();
    const deadline = Date.now() + 5_000;
    while ((await redis.set(key, token, 'PX', 10_000, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new AdminLockBusy();
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
    try {
      return await fn();
    } finally {
      await redis
        .eval(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
          1,
          key,
          token,
        )
        .catch(() => {});
    }
  }

  /**
   * Stores a stronger hash of the password that was just verified against
   * `verifiedHash` — only if the stored hash is still that one (a password
   * changed meanwhile wins). Sessions stay valid: the password is the same.
   */
  async upgradePasswordHash(
    username: string,
    verifiedHash: string,
    strongerHash: string,
  ): Promise<void> {
    await this.updateUser(username, (user) =>
      user.passwordHash === verifiedHash
        ? { passwordHash: strongerHash, samePassword: true }
        : null,
    );
  }

  /** False when there is no such user. */
  async deleteUser(username: string): Promise<boolean> {
    return this.remove(`user:${username}`);
  }

  /** False when a key of that name exists. */
  async createApiKey(key: { name: string; role: Role; key: string }): Promise<boolean> {
    const doc: AccountDoc = {
      kind: 'api-key',
      name: key.name,
      role: key.role,
      keyHash: apiKeyHash(key.key),
      hint: key.key.slice(-4),
      createdAt: new Date().toISOString(),
    };
    try {
      await this.options.es.create({
        index: this.options.index,
        id: `key:${key.name}`,
        document: doc,
        refresh: 'wait_for',
      });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    await this.changed();
    return true;
  }

  /** The stored key of that name, to check it is not the one in use before deleting. */
  async findApiKey(name: string): Promise<StoredApiKey | undefined> {
    return [...(await this.current(0)).keys.values()].find((k) => k.name === name);
  }

  /** False when there is no key of that name. */
  async deleteApiKey(name: string): Promise<boolean> {
    return this.remove(`key:${name}`);
  }

  private async remove(id: string): Promise<boolean> {
    try {
      await this.options.es.delete({ index: this.options.index, id, refresh: 'wait_for' });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await this.changed();
    return true;
  }
}
