import { describe, expect, it } from 'vitest';
import { touchpointSchema, touchpointTypes } from '../../domain/src/contract';
import type { Touchpoint } from '../../domain/src/contract';
import { identityKeys } from '../../domain/src/identity-keys';
import { generateDemo } from '../../scripts/demo/generate';
import type { DemoTouchpoint } from '../../scripts/demo/generate';

const now = new Date('2026-03-01T00:00:00Z');
const sample: DemoTouchpoint[] = [...generateDemo({ customers: 300, seed: 42, now })];

function byPerson(items: readonly DemoTouchpoint[]): Map<string, Touchpoint[]> {
  const persons = new Map<string, Touchpoint[]>();
  for (const { touchpoint, personId } of items) {
    const list = persons.get(personId) ?? [];
    list.push(touchpoint);
    persons.set(personId, list);
  }
  return persons;
}

/** The record as the store keeps it: the highest version wins, deleted ones are gone. */
function latestRecords(touchpoints: readonly Touchpoint[]): Touchpoint[] {
  const latest = new Map<string, Touchpoint>();
  for (const tp of touchpoints) {
    const key = `${tp.source}:${tp.id}`;
    const stored = latest.get(key);
    if (!stored || (tp.version ?? 0) >= (stored.version ?? 0)) latest.set(key, tp);
  }
  return [...latest.values()].filter((tp) => !tp.deleted);
}

describe('demo generator', () => {
  it('yields the same touchpoints for the same seed and now', () => {
    const again = [...generateDemo({ customers: 300, seed: 42, now })];
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
  });

  it('yields different touchpoints for another seed', () => {
    const other = [...generateDemo({ customers: 20, seed: 7, now })];
    expect(JSON.stringify(other.slice(0, 50))).not.toBe(JSON.stringify(sample.slice(0, 50)));
  });

  it('generates person 17 the same whether 20 or 300 persons are asked for', () => {
    const small = [...generateDemo({ customers: 20, seed: 42, now })];
    expect(JSON.stringify(small)).toBe(JSON.stringify(sample.slice(0, small.length)));
  });

  it('writes only touchpoints the contract accepts', () => {
    const failures = sample
      .map(({ touchpoint }) => ({ touchpoint, result: touchpointSchema.safeParse(touchpoint) }))
      .filter(({ result }) => !result.success)
      .slice(0, 3)
      .map(
        ({ touchpoint, result }) =>
          `${touchpoint.source}:${touchpoint.id} ${JSON.stringify(result.error?.issues)}`,
      );
    expect(failures).toEqual([]);
  });

  it('covers every touchpoint type of the contract, a few deletions and versioned updates', () => {
    const types = new Set(sample.map(({ touchpoint }) => touchpoint.type));
    expect([...types].sort()).toEqual([...touchpointTypes].sort());
    expect(sample.some(({ touchpoint }) => touchpoint.deleted === true)).toBe(true);
    expect(
      sample.some(({ touchpoint }) => touchpoint.type === 'order' && (touchpoint.version ?? 0) > 1),
    ).toBe(true);
    const sources = new Set(sample.map(({ touchpoint }) => touchpoint.source));
    expect([...sources].sort()).toEqual([
      'billing',
      'crm',
      'helpdesk',
      'mail',
      'marketing',
      'shop',
      'survey',
      'telephony',
      'web',
    ]);
  });

  it('never dates a touchpoint after now and stays within three years', () => {
    const times = sample.map(({ touchpoint }) => Date.parse(touchpoint.occurredAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 3 * 366 * 86_400_000);
    expect(sample.every(({ touchpoint }) => touchpoint.occurredAt.endsWith('Z'))).toBe(true);
  });

  it('averages around 20 touchpoints per person, skewed towards a few heavy users', () => {
    const counts = [...byPerson(sample).values()].map((list) => list.length).sort((a, b) => a - b);
    expect(counts.length).toBe(300);
    const average = sample.length / 300;
    expect(average).toBeGreaterThan(14);
    expect(average).toBeLessThan(30);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThan(average);
    expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(100);
  });

  it('writes the same phone in several ways and e-mails in several cases for some persons', () => {
    let phoneVariety = 0;
    let emailVariety = 0;
    for (const touchpoints of byPerson(sample).values()) {
      const phones = new Set(
        touchpoints.map((tp) => tp.customer.phone).filter((p): p is string => Boolean(p)),
      );
      const emails = touchpoints
        .map((tp) => tp.customer.email)
        .filter((e): e is string => Boolean(e));
      const mailboxes = new Set(emails.map((e) => e.trim().toLowerCase()));
      if (phones.size >= 3) phoneVariety++;
      if (new Set(emails).size > mailboxes.size) emailVariety++;
    }
    expect(phoneVariety).toBeGreaterThan(10);
    expect(emailVariety).toBeGreaterThan(10);
    expect(
      sample.some(
        ({ touchpoint }) => touchpoint.customer.email !== touchpoint.customer.email?.trim(),
      ),
    ).toBe(true);
  });

  it('writes umlaut names transliterated in the shop for some persons', () => {
    const transliterated = [...byPerson(sample).values()].some((touchpoints) => {
      const crm = touchpoints.find((tp) => tp.type === 'profile')?.customer.lastName;
      const shop = touchpoints.find((tp) => tp.source === 'shop')?.customer.lastName;
      return Boolean(crm && shop && /[äöüß]/i.test(crm) && shop !== crm && !/[äöüß]/i.test(shop));
    });
    expect(transliterated).toBe(true);
  });

  it('has persons known by customer number in the CRM but only by e-mail in the shop, and persons whose e-mail changed', () => {
    const persons = [...byPerson(sample).values()];
    expect(
      persons.some(
        (tps) =>
          tps.some((tp) => tp.type === 'profile') &&
          tps.some((tp) => tp.source === 'shop' && !tp.customer.customerNumber),
      ),
    ).toBe(true);
    const changed = persons.filter(
      (tps) =>
        new Set(tps.map((tp) => tp.customer.email?.trim().toLowerCase()).filter(Boolean)).size > 1,
    );
    expect(changed.length).toBeGreaterThan(0);
  });

  it('puts the ground truth only beside the touchpoint, never into it', () => {
    expect(sample.some(({ touchpoint }) => JSON.stringify(touchpoint).includes('"p1"'))).toBe(
      false,
    );
  });

  it('gives no two persons a shared identity, so the ground truth is unambiguous', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const { touchpoint, personId } of sample) {
      for (const key of identityKeys(touchpoint)) {
        const other = owner.get(key);
        if (other && other !== personId) clashes.push(`${key}: ${other} and ${personId}`);
        owner.set(key, personId);
      }
    }
    expect(clashes.slice(0, 5)).toEqual([]);
  });

  it('links all current records of a person through shared identities, in whatever writing', () => {
    const unlinked: string[] = [];
    for (const [personId, touchpoints] of byPerson(sample)) {
      const records = latestRecords(touchpoints);
      if (records.length === 0) continue;
      // Union-find over records sharing any identity key.
      const parent = records.map((_, i) => i);
      const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
      const firstWithKey = new Map<string, number>();
      records.forEach((tp, i) => {
        for (const key of identityKeys(tp)) {
          const j = firstWithKey.get(key);
          if (j === undefined) firstWithKey.set(key, i);
          else parent[find(i)] = find(j);
        }
      });
      const components = new Set(records.map((_, i) => find(i)));
      if (components.size > 1) unlinked.push(`${personId}: ${components.size} groups`);
    }
    expect(unlinked.slice(0, 5)).toEqual([]);
  });
});
