/**
 * Loads the demo data set into a running Panorama through the public ingest
 * API, exactly like a source system would, then waits until it is searchable.
 *
 * Run directly:
 *   npx tsx scripts/demo/load.ts --url http://127.0.0.1:8080 --key <apiKey> --customers 10000
 *     [--seed 42] [--batch-size 2000] [--concurrency 2] [--no-progress]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { IngestAnswer, IngestStatus } from '../../domain/src/api';
import type { Touchpoint } from '../../domain/src/contract';
import { generateDemo } from './generate';
import { createProgress, type Progress } from './progress';

export interface LoadDemoOptions {
  /** Where the API runs, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An API key with the `ingest` (or `admin`) role. */
  apiKey: string;
  customers: number;
  /** Default 42, as in `generateDemo`. */
  seed?: number;
  /** Touchpoints per request. Default 2000 (~1.5 MB); the API takes at most 5000 and 10 MB. */
  batchSize?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Show progress on stderr: bars on a terminal, a line per 10 % otherwise (progress.ts). Default true. */
  progress?: boolean;
}

export interface LoadDemoResult {
  /** Touchpoints the API accepted. */
  touchpoints: number;
  /** Touchpoints the API rejected as invalid (should be 0: the generator only writes valid ones). */
  rejected: number;
  /** Wall time of loading and indexing. */
  seconds: number;
}

/** Retries of one request on 503, 502, 504, 429 or network errors before giving up (~2.5 minutes in total). */
const MAX_ATTEMPTS = 10;
const POLL_MS = 1000;
/** If nothing is indexed for this long, the indexer is most likely not running. */
const STALL_MS = 5 * 60_000;

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

function backoffMs(attempt: number, salt: number): number {
  // Spread retries of parallel requests apart without Math.random, so runs stay reproducible.
  const jitter = ((salt * 7919 + attempt * 104_729) % 1000) / 1000;
  return Math.min(30_000, 500 * 2 ** attempt) * (0.75 + 0.5 * jitter);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get('retry-after');
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not the contract's error body (a proxy page, say): show the raw start.
  }
  return text.slice(0, 200);
}

/** Runs `attempt` until it succeeds, retrying only what a retry can fix. */
async function withRetries<T>(what: string, salt: number, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable =
        error instanceof RetryableError ||
        (error instanceof TypeError && /fetch failed/i.test(error.message));
      if (!retryable || n + 1 >= MAX_ATTEMPTS) {
        throw new Error(
          `${what} failed${retryable ? ` after ${MAX_ATTEMPTS} attempts` : ''}: ${describe(error)}`,
          { cause: error },
        );
      }
      const wait =
        error instanceof RetryableError && error.retryAfterMs !== null
          ? error.retryAfterMs
          : backoffMs(n, salt);
      await sleep(wait);
    }
  }
}

function fatalStatus(response: Response, message: string, baseUrl: string): Error {
  if (response.status === 401)
    return new Error(`the API key was refused (401 ${message}); check --key / PANORAMA_API_KEYS`);
  if (response.status === 403)
    return new Error(
      `the API key may not ingest (403 ${message}); use a key with the ingest or admin role`,
    );
  if (response.status === 404)
    return new Error(`${baseUrl} has no /api/v1/touchpoints (404); is this a Panorama server?`);
  return new Error(`unexpected answer ${response.status}: ${message}`);
}

/**
 * Posts one batch. A 413 splits it in halves (and the rejected indexes are
 * mapped back), so a batch size that is too big for the server still loads.
 */
async function postBatch(
  baseUrl: string,
  apiKey: string,
  batch: readonly Touchpoint[],
  salt: number,
): Promise<IngestAnswer> {
  const answer = await withRetries(
    `POST /api/v1/touchpoints (${batch.length} touchpoints)`,
    salt,
    async (): Promise<IngestAnswer | 'too-large'> => {
      const response = await fetch(`${baseUrl}/api/v1/touchpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      if (response.status === 202 || response.status === 400) {
        const body = (await response.json()) as Partial<IngestAnswer> & {
          error?: { message?: string };
        };
        if (typeof body.accepted === 'number' && Array.isArray(body.rejected))
          return { accepted: body.accepted, rejected: body.rejected };
        throw new Error(
          `the API refused the whole request (${response.status}): ${body.error?.message ?? JSON.stringify(body).slice(0, 200)}`,
        );
      }
      if (response.status === 413) {
        await response.body?.cancel();
        return 'too-large';
      }
      const message = await errorText(response);
      if ([429, 502, 503, 504].includes(response.status))
        throw new RetryableError(`${response.status} ${message}`, retryAfter(response));
      throw fatalStatus(response, message, baseUrl);
    },
  );
  if (answer !== 'too-large') return answer;
  if (batch.length <= 1)
    throw new Error(
      `the API answered 413 for a single touchpoint (${batch[0]?.source}:${batch[0]?.id}); it cannot be loaded`,
    );
  const half = Math.ceil(batch.length / 2);
  const first = await postBatch(baseUrl, apiKey, batch.slice(0, half), salt);
  const second = await postBatch(baseUrl, apiKey, batch.slice(half), salt + 1);
  return {
    accepted: first.accepted + second.accepted,
    rejected: [...first.rejected, ...second.rejected.map((r) => ({ ...r, index: r.index + half }))],
  };
}

async function fetchStatus(baseUrl: string, apiKey: string): Promise<IngestStatus> {
  return withRetries('GET /api/v1/ingest/status', 0, async () => {
    const response = await fetch(`${baseUrl}/api/v1/ingest/status`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (response.ok) return (await response.json()) as IngestStatus;
    const message = await errorText(response);
    if ([429, 502, 503, 504].includes(response.status))
      throw new RetryableError(`${response.status} ${message}`, retryAfter(response));
    throw fatalStatus(response, message, baseUrl);
  });
}

function newBar(barFormat: string, counted: string, enabled: boolean): Progress | null {
  return enabled ? createProgress({ barFormat, counted }) : null;
}

/**
 * Generates `customers` demo persons and posts their touchpoints, then polls
 * the ingest status until everything accepted is searchable.
 *
 * The first bar counts customers, not touchpoints: how many touchpoints the
 * remaining customers will produce is not known in advance (the spread is
 * wide), while the customer count is exact, so percentage and ETA stay honest.
 * The touchpoints sent so far are shown next to it.
 *
 * @example
 * const { touchpoints, seconds } = await loadDemo({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'abc', customers: 10_000 });
 */
export async function loadDemo(options: LoadDemoOptions): Promise<LoadDemoResult> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const batchSize = options.batchSize ?? 2000;
  const concurrency = options.concurrency ?? 2;
  const showProgress = options.progress ?? true;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  const started = performance.now();

  const loadBar = newBar(
    'Loading demo data |{bar}| {percentage}% | {value}/{total} customers | {touchpoints} touchpoints | ETA: {eta_formatted}',
    'customers sent',
    showProgress,
  );
  loadBar?.start(options.customers, 0, { touchpoints: 0 });

  let accepted = 0;
  let rejected = 0;
  const rejectionSamples: string[] = [];
  // Customers are counted as loaded only when every batch up to theirs is acknowledged.
  const customersAtCut: number[] = [];
  const done: boolean[] = [];
  let acknowledgedUpTo = 0;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();

  const send = (batch: Touchpoint[], customersDone: number): void => {
    const seq = customersAtCut.length;
    customersAtCut.push(customersDone);
    done.push(false);
    const request = postBatch(baseUrl, options.apiKey, batch, seq)
      .then((answer) => {
        accepted += answer.accepted;
        rejected += answer.rejected.length;
        for (const r of answer.rejected) {
          if (rejectionSamples.length >= 5) break;
          const tp = batch[r.index];
          rejectionSamples.push(
            `${tp?.source}:${tp?.id}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
          );
        }
        done[seq] = true;
        while (acknowledgedUpTo < done.length && done[acknowledgedUpTo]) acknowledgedUpTo++;
        loadBar?.update(acknowledgedUpTo > 0 ? customersAtCut[acknowledgedUpTo - 1] : 0, {
          touchpoints: accepted + rejected,
        });
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  try {
    let batch: Touchpoint[] = [];
    let currentPerson = '';
    let customersDone = 0;
    for (const { touchpoint, personId } of generateDemo({
      customers: options.customers,
      seed: options.seed,
    })) {
      if (personId !== currentPerson) {
        if (currentPerson !== '') customersDone++;
        currentPerson = personId;
      }
      batch.push(touchpoint);
      if (batch.length >= batchSize) {
        send(batch, customersDone);
        batch = [];
        // Back-pressure: generate no further than the requests in flight allow.
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (failure) throw failure;
      }
    }
    if (batch.length > 0) send(batch, options.customers);
    await Promise.all(inFlight);
    if (failure) throw failure;
    loadBar?.update(options.customers, { touchpoints: accepted + rejected });
  } catch (error) {
    await Promise.allSettled(inFlight);
    throw error;
  } finally {
    loadBar?.stop();
  }

  if (rejectionSamples.length > 0 && showProgress) {
    process.stderr.write(
      `${rejected} touchpoints were rejected, e.g.:\n${rejectionSamples.map((s) => `  ${s}`).join('\n')}\n`,
    );
  }

  await waitForIndexing(baseUrl, options.apiKey, showProgress);
  return { touchpoints: accepted, rejected, seconds: (performance.now() - started) / 1000 };
}

/** Polls the ingest status until nothing is waiting or active, i.e. everything accepted is searchable. */
async function waitForIndexing(
  baseUrl: string,
  apiKey: string,
  showProgress: boolean,
): Promise<void> {
  const bar = newBar(
    'Indexing          |{bar}| {percentage}% | {value}/{total} queued items | failed: {failed} | ETA: {eta_formatted}',
    'queued items indexed',
    showProgress,
  );
  let total = 0;
  let lowest = Infinity;
  let lastProgressAt = Date.now();
  try {
    for (;;) {
      const status = await fetchStatus(baseUrl, apiKey);
      const pending = status.waiting + status.active;
      if (bar && total === 0) bar.start(Math.max(1, pending), 0, { failed: status.failed });
      // The backlog can still grow while the queue drains (profile rebuilds are queued by the indexer), so the total follows it.
      if (pending > total) {
        total = pending;
        bar?.setTotal(total);
      }
      bar?.update(total - pending, { failed: status.failed });
      if (pending === 0) return;
      if (pending < lowest) {
        lowest = pending;
        lastProgressAt = Date.now();
      } else if (Date.now() - lastProgressAt > STALL_MS) {
        throw new Error(
          `indexing made no progress for ${STALL_MS / 60_000} minutes (waiting ${status.waiting}, active ${status.active}, failed ${status.failed}); check that the indexer runs and can reach Elasticsearch`,
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    bar?.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      key: { type: 'string', default: process.env.PANORAMA_API_KEY },
      customers: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      'batch-size': { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '2' },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  if (!values.key)
    throw new Error('--key is required (an API key with the ingest role; or set PANORAMA_API_KEY)');
  const numbers = {
    customers: Number(values.customers),
    seed: Number(values.seed),
    batchSize: Number(values['batch-size']),
    concurrency: Number(values.concurrency),
  };
  for (const [name, value] of Object.entries(numbers))
    if (!Number.isInteger(value)) throw new Error(`--${name} must be an integer`);
  const result = await loadDemo({
    baseUrl: values.url,
    apiKey: values.key,
    ...numbers,
    progress: !values['no-progress'],
  });
  process.stderr.write(
    `Loaded ${result.touchpoints} touchpoints for ${numbers.customers} customers (${result.rejected} rejected) in ${result.seconds.toFixed(1)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${describe(error)}\n`);
    process.exit(1);
  });
}
