/**
 * The demo data generator: a stream of touchpoints from several source
 * systems for a made-up customer base, with the ground truth of which person
 * each touchpoint belongs to.
 *
 * Run directly:
 *   npx tsx scripts/demo/generate.ts --customers 1000 [--seed 42] [--now 2026-01-01T00:00:00Z]
 *     [--out touchpoints.ndjson] [--truth truth.ndjson]
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Touchpoint } from '../../domain/src/contract';
import { DAY, createPerson } from './demo-person';
import { PersonHistory, createCounters } from './person-history';
import { SeededRandom, mixSeed } from './seeded-random';
import { campaignsBefore } from './service-texts';

export interface GenerateDemoOptions {
  /** How many persons to generate; each yields ~20 touchpoints on average (skewed). */
  customers: number;
  /** Same seed and `now` → the same touchpoints, byte for byte. Default 42. */
  seed?: number;
  /**
   * The moment the history ends; nothing is generated after it. Default: the
   * start of the current UTC day, so runs on the same day are identical.
   */
  now?: Date;
  /**
   * Accepted for callers that only want touchpoints. The ground truth costs
   * nothing to carry, so `personId` is always yielded either way.
   */
  withTruth?: boolean;
}

export interface DemoTouchpoint {
  touchpoint: Touchpoint;
  /** The person this touchpoint really belongs to, e.g. `p123`; never part of the touchpoint. */
  personId: string;
}

/** The default end of the demo history: today 00:00 UTC. */
export function startOfUtcDay(date = new Date()): Date {
  return new Date(Math.floor(date.getTime() / DAY) * DAY);
}

/**
 * Yields the touchpoints person by person, so memory stays flat however many
 * customers are asked for. Within a person they come in delivery order
 * (mostly by time), which is how a backfill from real systems arrives.
 *
 * @example
 * for (const { touchpoint, personId } of generateDemo({ customers: 10, seed: 7 })) console.log(personId, touchpoint.type);
 */
export function* generateDemo(options: {
  customers: number;
  seed?: number;
  now?: Date;
  withTruth?: boolean;
}): Generator<DemoTouchpoint> {
  const seed = options.seed ?? 42;
  const now = (options.now ?? startOfUtcDay()).getTime();
  if (!Number.isInteger(options.customers) || options.customers < 0)
    throw new Error(`customers must be a non-negative integer, got ${options.customers}`);
  if (options.customers > 9_000_000)
    throw new Error(
      'at most 9,000,000 customers: customer and phone numbers are drawn from a space of that size',
    );
  const counters = createCounters();
  const campaigns = campaignsBefore(now);
  for (let index = 0; index < options.customers; index++) {
    const rng = new SeededRandom(mixSeed(seed, index));
    const person = createPerson(index, seed, now, rng);
    const touchpoints = new PersonHistory(person, rng, { now, campaigns, counters }).build();
    for (const touchpoint of touchpoints) yield { touchpoint, personId: person.personId };
  }
}

async function write(stream: WriteStream | NodeJS.WriteStream, chunk: string): Promise<void> {
  // Respect back-pressure so a million customers do not pile up in memory.
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      now: { type: 'string' },
      out: { type: 'string' },
      truth: { type: 'string' },
    },
  });
  const customers = Number(values.customers);
  const seed = Number(values.seed);
  const now = values.now ? new Date(values.now) : undefined;
  if (!Number.isInteger(customers) || customers < 0)
    throw new Error(`--customers must be a non-negative integer, got "${values.customers}"`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  if (now && Number.isNaN(now.getTime()))
    throw new Error(`--now must be an ISO timestamp, got "${values.now}"`);

  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const truth = values.truth ? createWriteStream(values.truth) : null;
  // Truth lines are per record, not per version: keys never span persons, so one person's set suffices.
  let currentPerson = '';
  let seenKeys = new Set<string>();
  let count = 0;
  const started = performance.now();
  let lines = '';
  let truthLines = '';
  for (const { touchpoint, personId } of generateDemo({
    customers,
    seed,
    now,
    withTruth: truth !== null,
  })) {
    lines += `${JSON.stringify(touchpoint)}\n`;
    count++;
    if (truth) {
      if (personId !== currentPerson) {
        currentPerson = personId;
        seenKeys = new Set();
      }
      const key = `${touchpoint.source}:${touchpoint.id}`;
      if (!seenKeys.has(key)) {
        seenKeys.add(key);
        truthLines += `${JSON.stringify({ key, personId })}\n`;
      }
    }
    // Batching writes keeps the CLI close to the generator's own speed.
    if (lines.length > 1 << 20) {
      await write(out, lines);
      lines = '';
      if (truth) {
        await write(truth, truthLines);
        truthLines = '';
      }
    }
  }
  await write(out, lines);
  if (truth) {
    await write(truth, truthLines);
    truth.end();
    await once(truth, 'finish');
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `${count} touchpoints for ${customers} customers (${(count / Math.max(1, customers)).toFixed(1)} per customer) in ${seconds.toFixed(1)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
