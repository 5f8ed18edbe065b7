/**
 * Messier variants of the demo stream for the identity benchmark: the
 * difficulties real source systems have, each person tagged with the kinds
 * it carries so precision and recall can be reported per kind.
 *
 * Works on the generator's stream (person by person) without changing it:
 *
 * - `household`: shares the landline of the person before (same last name,
 *   own first name, own email) — a shared phone must not merge them;
 * - `switchboard`: colleagues at one company all give its switchboard number;
 * - `namesake`: the same first and last name as an earlier person, elsewhere;
 * - `typo`: some records misspell the last name (two letters swapped);
 * - `married-name`: records after a date carry a new last name;
 * - `placeholder`: some records give `test@test.de`, `noreply@…` or
 *   `0000000` instead of a real value (only where another identifier
 *   remains, so the truth stays reachable);
 * - `plain`: none of these (email case, phone writings, moves and email
 *   changes come from the generator itself for everyone).
 */
import type { Touchpoint } from '../../domain/src/contract';
import type { DemoTouchpoint } from './generate';
import { SeededRandom, mixSeed } from './seeded-random';

export const difficultyKinds = [
  'plain',
  'household',
  'switchboard',
  'namesake',
  'typo',
  'married-name',
  'placeholder',
] as const;
export type DifficultyKind = (typeof difficultyKinds)[number];

export interface MessyTouchpoint extends DemoTouchpoint {
  /** The difficulty kinds of the person this touchpoint belongs to. */
  difficulties: DifficultyKind[];
}

export interface MessyOptions {
  seed?: number;
  /** Share of persons getting each difficulty (default: a few percent each). */
  rates?: Partial<Record<Exclude<DifficultyKind, 'plain'>, number>>;
}

const defaultRates: Record<Exclude<DifficultyKind, 'plain'>, number> = {
  household: 0.05,
  switchboard: 0.03,
  namesake: 0.03,
  typo: 0.08,
  'married-name': 0.03,
  placeholder: 0.04,
};

type Customer = Touchpoint['customer'];

const masterDataSources = new Set(['crm', 'billing']);

interface PersonSeen {
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
}

/** Applies the difficulties person by person; same seed, same output. */
export function* messify(
  stream: Iterable<DemoTouchpoint>,
  options: MessyOptions = {},
): Generator<MessyTouchpoint> {
  const seed = options.seed ?? 42;
  const rates = { ...defaultRates, ...options.rates };
  let batch: DemoTouchpoint[] = [];
  let personIndex = 0;
  let previous: PersonSeen | null = null;
  const earlierNames: { firstName: string; lastName: string }[] = [];
  let switchboard: { phone: string; company: string; left: number } | null = null;

  const flush = function* (): Generator<MessyTouchpoint> {
    if (batch.length === 0) return;
    const rng = new SeededRandom(mixSeed(seed, 7_919, personIndex++));
    const kinds: DifficultyKind[] = [];
    const seen = personSeen(batch);
    const customers = batch.map((d) => ({
      ...d.touchpoint.customer,
      address: d.touchpoint.customer.address
        ? { ...d.touchpoint.customer.address }
        : d.touchpoint.customer.address,
    }));
    const named = (c: Customer) => Boolean(c.firstName || c.lastName);

    if (previous?.phone && previous.lastName && seen.phone && rng.chance(rates.household)) {
      kinds.push('household');
      const shared = previous.phone;
      const lastName = previous.lastName;
      customers.forEach((c, i) => {
        // The landline is master data (CRM, billing); the own mobile stays in shop and service records.
        if (c.phone && masterDataSources.has(batch[i].touchpoint.source)) c.phone = shared;
        if (named(c) && c.lastName) c.lastName = lastName;
      });
    } else if (seen.phone && rng.chance(rates.switchboard)) {
      kinds.push('switchboard');
      if (!switchboard || switchboard.left <= 0) {
        switchboard = {
          phone: `+49 40 ${rng.int(3_000_000, 3_999_999)} 0`,
          company: `${rng.pick(['Hanse', 'Alster', 'Elbe', 'Nord'])} ${rng.pick(['Logistik', 'Consulting', 'Versand', 'Technik'])} GmbH`,
          left: rng.int(4, 9),
        };
      }
      switchboard.left -= 1;
      const board = switchboard;
      customers.forEach((c, i) => {
        // The company's master data gives the switchboard; shop and service records the own line.
        if (c.phone && masterDataSources.has(batch[i].touchpoint.source)) {
          c.phone = board.phone;
          c.company = board.company;
        }
      });
    }
    if (earlierNames.length > 20 && seen.firstName && seen.lastName && rng.chance(rates.namesake)) {
      kinds.push('namesake');
      const twin = rng.pick(earlierNames);
      for (const c of customers) {
        if (c.firstName) c.firstName = twin.firstName;
        if (c.lastName) c.lastName = twin.lastName;
      }
    }
    if (seen.lastName && seen.lastName.length >= 5 && rng.chance(rates.typo)) {
      kinds.push('typo');
      for (const c of customers)
        if (c.lastName && rng.chance(0.3)) c.lastName = swapTwoLetters(c.lastName, rng);
    }
    if (seen.lastName && rng.chance(rates['married-name'])) {
      kinds.push('married-name');
      const newName = rng.pick([
        'Hoffmann',
        'Krüger',
        'Neumann',
        'Schwarz',
        'Zimmermann',
        'Braun',
        'Hartmann',
        'Lange',
      ]);
      const times = batch.map((d) => Date.parse(d.touchpoint.occurredAt)).sort((a, b) => a - b);
      const cut = times[Math.floor(times.length * 0.6)] ?? Infinity;
      customers.forEach((c, i) => {
        if (c.lastName && Date.parse(batch[i].touchpoint.occurredAt) >= cut) c.lastName = newName;
      });
    }
    if (rng.chance(rates.placeholder)) {
      kinds.push('placeholder');
      for (const c of customers) {
        const others = [c.customerNumber, c.externalId].filter(Boolean).length;
        if (c.email && others > 0 && rng.chance(0.5))
          c.email = rng.pick(['test@test.de', 'noreply@shop.example.de', 'unknown@unknown.de']);
        if (c.phone && (others > 0 || c.email) && rng.chance(0.3))
          c.phone = rng.pick(['0000000', '+49 000 0000000', '01234567']);
      }
    }
    if (kinds.length === 0) kinds.push('plain');

    for (let i = 0; i < batch.length; i++) {
      yield {
        ...batch[i],
        touchpoint: { ...batch[i].touchpoint, customer: customers[i] },
        difficulties: kinds,
      };
    }
    const after = personSeen(
      batch.map((d, i) => ({ ...d, touchpoint: { ...d.touchpoint, customer: customers[i] } })),
    );
    previous = after;
    if (after.firstName && after.lastName && !kinds.includes('namesake'))
      earlierNames.push({ firstName: after.firstName, lastName: after.lastName });
    if (earlierNames.length > 500) earlierNames.shift();
    batch = [];
  };

  let currentPerson: string | null = null;
  for (const item of stream) {
    if (item.personId !== currentPerson) {
      yield* flush();
      currentPerson = item.personId;
    }
    batch.push(item);
  }
  yield* flush();
}

/** The most frequent name and phone writing of a person's records. */
function personSeen(batch: DemoTouchpoint[]): PersonSeen {
  const most = (values: (string | null | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  };
  const customers = batch.map((d) => d.touchpoint.customer);
  return {
    firstName: most(customers.map((c) => c.firstName)),
    lastName: most(customers.map((c) => c.lastName)),
    phone: most(customers.map((c) => c.phone)),
  };
}

function swapTwoLetters(name: string, rng: SeededRandom): string {
  if (name.length < 4) return name;
  const i = rng.int(1, name.length - 3);
  return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
}
