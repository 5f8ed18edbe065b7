/**
 * The audit trail: an append-only log in `<prefix>-audit` of who viewed,
 * searched, exported, merged or erased which customer, when and from where.
 *
 * Writes never sit on the path of a lookup: `record()` only pushes to an
 * in-memory buffer; a timer (or a full buffer) sends the buffer in one `_bulk`
 * with `create` and auto ids. A failed flush keeps the entries for the next
 * one; past `maxBuffered` the oldest are dropped and counted (`dropped`), so a
 * long Elasticsearch outage cannot exhaust the API's memory.
 *
 * Entries hold customer ids and actor names, never a customer's personal data:
 * no query text, names, emails or phones.
 */
import type { Client } from '@elastic/elasticsearch';

export const auditActions = ['view', 'search', 'timeline', 'touchpoint', 'export', 'erase', 'merge', 'retention', 'user-admin', 'rebuild'] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  at: string;
  action: AuditAction;
  /** Username, `api-key:<role>`, or `system:<process>` for indexers. */
  actor: string;
  /** The principal's stable id (account or key id), null for the system. */
  actorId?: string | null;
  role: string;
  actorKind: 'user' | 'api-key' | 'system';
  customerIds: string[];
  route: string;
  method: string;
  status: number;
  ip: string | null;
  userAgent: string | null;
  /** Hits of a search, touchpoints of an export, … */
  resultCount?: number;
  /** Non-personal facts: facet names filtered on, kind of query, counts. */
  details?: Record<string, unknown>;
}

export interface AuditTrailOptions {
  /** Entries per `_bulk`, and a flush as soon as that many wait. Default 500. */
  batchSize?: number;
  /** How long an entry may wait before it is sent. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Entries kept while Elasticsearch does not answer. Default 50,000. */
  maxBuffered?: number;
  /** false: record() does nothing (benchmark baseline only). Default true. */
  enabled?: boolean;
  onError?: (error: unknown) => void;
}

export class AuditTrail {
  private buffer: AuditEntry[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushSoon = false;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  readonly enabled: boolean;
  /** Entries dropped because the buffer overflowed during an outage. */
  dropped = 0;
  written = 0;

  constructor(
    private readonly es: Client,
    private readonly index: string,
    private readonly options: AuditTrailOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.enabled = options.enabled ?? true;
  }

  /** Written to Elasticsearch before it resolves: for exports and erasures. */
  async recordNow(entry: AuditEntry): Promise<void> {
    this.record(entry);
    await this.flush();
  }

  record(entry: AuditEntry): void {
    if (!this.enabled) return;
    this.buffer.push(entry);
    if (this.buffer.length > this.maxBuffered) {
      // Drop a tenth at once, so an outage costs one splice per many entries, not one per entry.
      const excess = this.buffer.length - Math.floor(this.maxBuffered * 0.9);
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= this.batchSize) {
      // Not in this call: the bulk request is built and serialized on a later turn of the
      // event loop, so the lookup that recorded the entry never pays for it.
      if (!this.flushSoon) {
        this.flushSoon = true;
        setImmediate(() => {
          this.flushSoon = false;
          void this.flush();
        });
      }
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Sends everything buffered; resolves when it is stored (or kept for a retry). */
  async flush(refresh = false): Promise<void> {
    // One send at a time; every waiter re-checks, so none returns while a send is in flight.
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) {
      if (refresh) await this.es.indices.refresh({ index: this.index });
      return;
    }
    const batch = this.buffer.splice(0, this.buffer.length);
    this.flushing = this.send(batch, refresh).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async send(batch: AuditEntry[], refresh: boolean): Promise<void> {
    let i = 0;
    // A backlog (after a burst or an outage) goes out in larger requests, up to 5,000 entries.
    const size = Math.min(5_000, Math.max(this.batchSize, Math.ceil(batch.length / 10)));
    try {
      for (; i < batch.length; i += size) {
        const chunk = batch.slice(i, i + size);
        const answer = await this.es.bulk({
          refresh: refresh ? 'wait_for' : false,
          // Never auto-create a concrete index where mappings/apply.ts expects an alias.
          require_alias: true,
          operations: chunk.flatMap((entry) => [{ create: { _index: this.index } }, entry]),
        });
        const failed = answer.errors ? chunk.filter((_, j) => answer.items[j]?.create?.error) : [];
        this.written += chunk.length - failed.length;
        if (failed.length > 0) throw Object.assign(new Error(`${failed.length} audit entries were refused`), { retry: failed });
      }
    } catch (error) {
      // What was not stored goes back to the front, in order, for the next flush.
      const retry = [...((error as { retry?: AuditEntry[] }).retry ?? batch.slice(i, i + size)), ...batch.slice(i + size)];
      this.buffer.unshift(...retry);
      this.options.onError?.(error);
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = null;
          void this.flush();
        }, this.flushIntervalMs * 5);
        this.timer.unref();
      }
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    while (this.flushing) await this.flushing;
  }
}
