/**
 * The audit trail: an append-only log in `<prefix>-audit` of who viewed,
 * searched, exported, merged or erased which customer, when and from where.
 *
 * No acknowledged entry is lost. `record()` appends the entry to a Redis
 * stream of the installation (XADD; Redis keeps its AOF with `appendfsync
 * always`, so an appended entry survives a crash of Redis too) and resolves
 * only then; when Redis does not answer it rejects, and the caller must not
 * send the personal data it was about to show (fail closed).
 *
 * A flusher in every API process drains the stream into Elasticsearch through
 * one consumer group: it reads a batch (XREADGROUP), bulk-writes it with the
 * stream id as `_id` and op_type `create` (so writing an entry twice after a
 * crash stores it once: a 409 counts as written), then XACKs and XDELs what
 * was stored. What Elasticsearch refuses stays in the stream and is tried
 * again; entries left pending by a process that died are claimed by another
 * after `claimIdleMs` (XAUTOCLAIM). The stream therefore holds exactly the
 * entries not yet in Elasticsearch, which is what `flush()` waits on.
 *
 * Exports and erasures use `recordNow()`: one synchronous write to
 * Elasticsearch that throws on failure, so the action is not carried out
 * unaudited.
 *
 * Entries hold customer ids and actor names, never a customer's personal data:
 * no query text, names, emails or phones; the User-Agent only as product tokens.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import os from 'node:os';

export const auditActions = [
  'view',
  'search',
  'timeline',
  'touchpoint',
  'export',
  'erase',
  'merge',
  'retention',
  'user-admin',
  'rebuild',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  at: string;
  action: AuditAction;
  /** Username, API key name, `api-key:<role>`, or `system:<process>` for indexers: as shown to people. */
  actor: string;
  /** The principal's immutable id: stays the same when a name is reused by another account. */
  actorId: string;
  role: string;
  actorKind: 'user' | 'api-key' | 'system';
  customerIds: string[];
  route: string;
  method: string;
  status: number;
  ip: string | null;
  /** Product tokens of the User-Agent only (auditUserAgent), at most 64 characters. */
  userAgent: string | null;
  /** Hits of a search, touchpoints of an export, … */
  resultCount?: number;
  /** Non-personal facts: facet names filtered on, kind of query, counts. */
  details?: Record<string, unknown>;
}

export interface AuditTrailOptions {
  /** Entries per read of the stream and per `_bulk`. Default 500. */
  batchSize?: number;
  /** How long the flusher waits between batches that were not full: entries reach Elasticsearch within about this time. Default 1,000 ms. */
  flushIntervalMs?: number;
  /**
   * Entries the stream may hold while Elasticsearch does not take them;
   * beyond that `record()` rejects (the caller answers 503) rather than
   * filling Redis' memory or dropping anything. Default 200,000.
   */
  maxBuffered?: number;
  /** false: record() and recordNow() do nothing (benchmark baseline only). Default true. */
  enabled?: boolean;
  /** false: this trail only appends, another process writes to Elasticsearch. Default true. */
  flusher?: boolean;
  /** Entries read by a consumer that has been silent this long are taken over by another. Default 30,000 ms. */
  claimIdleMs?: number;
  /** How long record() waits for Redis before it rejects. Default 2,000 ms. */
  recordTimeoutMs?: number;
  /** How long flush() waits for the stream to drain before it throws. Default 30,000 ms. */
  flushTimeoutMs?: number;
  /** Failures of the flusher (Redis or Elasticsearch); entries stay in the stream. */
  onError?: (error: unknown) => void;
}

export interface AuditTrailTarget {
  es: Client;
  /** The installation's shared Redis connection (the API's producer). */
  redis: Redis;
  /** The audit index alias, `<prefix>-audit`. */
  index: string;
  /** The installation's audit stream (infra/src/shared-keys.ts auditStreamKey). */
  stream: string;
}

/** Every API process of an installation reads the stream in this one group. */
export const auditConsumerGroup = 'audit-writers';

type StreamItem = [id: string, fields: string[] | null];

export class AuditTrail {
  readonly enabled: boolean;
  /** Entries this process wrote to Elasticsearch (a 409 of a replay counts). */
  written = 0;
  /** record() calls that rejected (Redis down or the backlog full). */
  refused = 0;
  private readonly es: Client;
  private readonly redis: Redis;
  private readonly index: string;
  private readonly stream: string;
  private readonly consumer = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly claimIdleMs: number;
  private readonly recordTimeoutMs: number;
  private readonly flushTimeoutMs: number;
  /** The flusher's own connection: its blocking reads must not hold up the API's commands. */
  private reader: Redis | null = null;
  private loop: Promise<void> | null = null;
  private closing = false;
  private blocking = false;
  private wakeUp: (() => void) | null = null;
  private lastClaimAt = 0;
  /** Stream length at the flusher's last look, plus what this process appended since. */
  private backlog = 0;
  private appended = false;

  constructor(
    target: AuditTrailTarget,
    private readonly options: AuditTrailOptions = {},
  ) {
    this.es = target.es;
    this.redis = target.redis;
    this.index = target.index;
    this.stream = target.stream;
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxBuffered = options.maxBuffered ?? 200_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.recordTimeoutMs = options.recordTimeoutMs ?? 2_000;
    this.flushTimeoutMs = options.flushTimeoutMs ?? 30_000;
    this.enabled = options.enabled ?? true;
    if (this.enabled && (options.flusher ?? true)) {
      this.reader = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.reader.on('error', () => {
        // Reported by the loop through onError; ioredis reconnects by itself.
      });
      this.loop = this.run();
    }
  }

  /** Resolves once the entry is stored in the Redis stream; rejects when it is not. */
  record(entry: AuditEntry): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const appended = this.append(entry);
    // A caller that does not wait must not crash the process with an unhandled rejection;
    // one that waits still sees it.
    appended.catch(() => {});
    return appended;
  }

  private async append(entry: AuditEntry): Promise<void> {
    if (this.backlog >= this.maxBuffered) {
      this.refused++;
      throw new Error(
        `the audit stream holds ${this.backlog} entries Elasticsearch has not taken: refusing more until it catches up`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const id = await Promise.race([
        this.redis.xadd(this.stream, '*', 'e', JSON.stringify(entry)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`Redis did not store the audit entry within ${this.recordTimeoutMs} ms`),
              ),
            this.recordTimeoutMs,
          );
        }),
      ]);
      if (!id) throw new Error('Redis did not return an id for the audit entry');
      this.backlog++;
      this.appended = true;
    } catch (error) {
      this.refused++;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes the entry to Elasticsearch at once (exports, erasures); throws when it is not stored. */
  async recordNow(entry: AuditEntry): Promise<void> {
    if (!this.enabled) return;
    await this.es.index({
      index: this.index,
      op_type: 'create',
      // Never auto-create a concrete index where mappings/apply.ts expects an alias.
      require_alias: true,
      document: entry,
    });
    this.written++;
  }

  /**
   * Waits until every entry appended so far (by any process) is in
   * Elasticsearch, then refreshes the index so they are searchable. Throws
   * after `flushTimeoutMs` when the stream does not drain.
   */
  async flush(refresh = true): Promise<void> {
    if (!this.enabled) return;
    // The newest entry of the stream now: everything up to it was appended before this call.
    const newest = (await this.redis.xrevrange(this.stream, '+', '-', 'COUNT', 1)) as StreamItem[];
    const upTo = newest[0]?.[0];
    if (upTo) {
      const deadline = Date.now() + this.flushTimeoutMs;
      for (;;) {
        const left = (await this.redis.xrange(this.stream, '-', upTo, 'COUNT', 1)) as StreamItem[];
        if (left.length === 0) break;
        if (Date.now() > deadline)
          throw new Error(
            `audit entries up to ${upTo} are still not in Elasticsearch after ${this.flushTimeoutMs} ms`,
          );
        this.wake();
        await sleep(20);
      }
    }
    if (refresh) await this.es.indices.refresh({ index: this.index });
  }

  /**
   * Stops the flusher. By default it first waits (a few seconds at most) for
   * the stream to drain; `drain: false` stops at once. Nothing is lost either
   * way: what is left in the stream is written by another process or the next
   * start.
   */
  async close(options: { drain?: boolean } = {}): Promise<void> {
    if (this.loop && (options.drain ?? true) && this.appended) {
      await Promise.race([this.flush(false).catch(() => {}), sleep(5_000)]);
    }
    this.closing = true;
    this.wake();
    // A blocking read would hold the close for up to a flush interval: cut it.
    if (this.blocking) this.reader?.disconnect();
    await this.loop;
    this.reader?.disconnect();
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private pause(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  private async run(): Promise<void> {
    let backoff = 0;
    let groupReady = false;
    while (!this.closing) {
      try {
        if (!groupReady) {
          await this.createGroup();
          groupReady = true;
        }
        await this.claimStale();
        // Own pending entries first (what a failed write left, what was just claimed), then new ones:
        // an entry Elasticsearch keeps refusing is tried again with every batch but holds up none.
        const batch = await this.read('0', false, this.batchSize);
        if (batch.length < this.batchSize && !this.closing)
          batch.push(...(await this.read('>', batch.length === 0, this.batchSize - batch.length)));
        const refused = batch.length > 0 ? await this.write(batch) : null;
        this.backlog = await this.reader!.xlen(this.stream);
        if (refused) {
          // Some entries stored, some refused: report and go on, the refused ones come back with the next batch.
          if (refused.progress) this.options.onError?.(refused.error);
          else throw refused.error;
        }
        backoff = 0;
        if (batch.length < this.batchSize) await this.pause(this.flushIntervalMs);
      } catch (error) {
        if (this.closing) break;
        // The stream (and its group) may have been removed under us: create it again.
        if (String((error as Error)?.message).includes('NOGROUP')) groupReady = false;
        this.options.onError?.(error);
        backoff = Math.min(Math.max(backoff * 2, 200), 5_000);
        await this.pause(backoff);
      }
    }
  }

  private async createGroup(): Promise<void> {
    try {
      // From the start of the stream: entries appended before the first flusher ran are written too.
      await this.reader!.xgroup('CREATE', this.stream, auditConsumerGroup, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error)?.message).includes('BUSYGROUP')) throw error;
    }
  }

  /** Takes over what consumers that died (or hang) read and never acknowledged. */
  private async claimStale(): Promise<void> {
    const now = Date.now();
    if (now - this.lastClaimAt < Math.min(this.claimIdleMs / 2, 10_000)) return;
    this.lastClaimAt = now;
    let cursor = '0-0';
    // Into the own pending list; written by the next reads of '0'. Bounded, so a huge backlog is taken over in steps.
    for (let i = 0; i < 10; i++) {
      const answer = (await this.reader!.xautoclaim(
        this.stream,
        auditConsumerGroup,
        this.consumer,
        this.claimIdleMs,
        cursor,
        'COUNT',
        this.batchSize,
        'JUSTID',
      )) as [string, string[]];
      cursor = answer[0];
      if (cursor === '0-0') break;
    }
    // Every start of an API process adds a consumer: forget those that hold nothing and are long gone.
    const consumers = (await this.reader!.xinfo(
      'CONSUMERS',
      this.stream,
      auditConsumerGroup,
    )) as unknown[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(
        fields.reduce<[unknown, unknown][]>(
          (pairs, v, i) => (i % 2 === 0 ? [...pairs, [v, fields[i + 1]]] : pairs),
          [],
        ),
      );
      if (info.name !== this.consumer && info.pending === 0 && Number(info.idle) > 3_600_000) {
        await this.reader!.xgroup(
          'DELCONSUMER',
          this.stream,
          auditConsumerGroup,
          String(info.name),
        );
      }
    }
  }

  private async read(
    from: '0' | '>',
    block: boolean,
    count: number,
  ): Promise<{ id: string; entry: AuditEntry | null }[]> {
    const args: (string | number)[] = ['GROUP', auditConsumerGroup, this.consumer, 'COUNT', count];
    if (block) args.push('BLOCK', this.flushIntervalMs);
    args.push('STREAMS', this.stream, from);
    this.blocking = block;
    let answer: unknown;
    try {
      answer = await this.reader!.call('XREADGROUP', ...args);
    } finally {
      this.blocking = false;
    }
    // One stream read: ioredis answers `[key, items]`, the bare protocol `[[key, items]]`.
    const one = (Array.isArray(answer) && Array.isArray(answer[0]) ? answer[0] : answer) as
      [string, StreamItem[]] | null;
    const items = one?.[1] ?? [];
    return items.map(([id, fields]) => ({ id, entry: parseEntry(fields) }));
  }

  /** Stores a batch and acknowledges what was stored; returns the failure, if any, and whether anything was stored. */
  private async write(
    batch: { id: string; entry: AuditEntry | null }[],
  ): Promise<{ error: unknown; progress: boolean } | null> {
    // An id without fields was deleted from the stream while pending: nothing to write, only to acknowledge.
    const present = batch.filter((b): b is { id: string; entry: AuditEntry } => b.entry !== null);
    const done = batch.filter((b) => b.entry === null).map((b) => b.id);
    let failure: unknown = null;
    if (present.length > 0) {
      try {
        const answer = await this.es.bulk({
          require_alias: true,
          operations: present.flatMap((b) => [
            { create: { _index: this.index, _id: b.id } },
            b.entry,
          ]),
        });
        present.forEach((b, i) => {
          const item = answer.items[i]?.create;
          // 409: written before, by a process that died before it acknowledged.
          if (item && (!item.error || item.status === 409)) {
            done.push(b.id);
            this.written++;
          } else if (!failure) {
            failure = new Error(
              `Elasticsearch refused audit entries (first: ${item?.error?.type ?? 'no answer'}: ${item?.error?.reason ?? ''}); they stay in the stream`,
            );
          }
        });
      } catch (error) {
        failure = error;
      }
    }
    if (done.length > 0) {
      await this.reader!.xack(this.stream, auditConsumerGroup, ...done);
      await this.reader!.xdel(this.stream, ...done);
    }
    return failure ? { error: failure, progress: done.length > 0 } : null;
  }
}

function parseEntry(fields: string[] | null): AuditEntry | null {
  if (!fields) return null;
  const at = fields.indexOf('e');
  return at >= 0 && at % 2 === 0 ? (JSON.parse(fields[at + 1]) as AuditEntry) : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
