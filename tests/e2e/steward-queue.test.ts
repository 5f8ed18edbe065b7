/**
 * The steward's queue in the browser: the total, cursor pages, filters kept
 * in the URL, the field-by-field comparison, bulk accept with per-pair
 * results and undo, reject, keys, the data-quality count and the labels.
 *
 * The pairs are real customers (ingested) and real proposals in the pair
 * store (`recordProposals`, what the matching engine writes), so every
 * decision merges or marks real profiles.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProposals, type MatchProposal } from '../../store/src/matching/match-pairs';
import { storeContext } from '../../server/src/context';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

const firstNames = ['Greta', 'Lukas', 'Mila', 'Jonas', 'Frieda', 'Emil', 'Ida', 'Theo', 'Lina'];
const lastNames = ['Holm', 'Stein', 'Brandt', 'Vogel', 'Kranz', 'Wolff', 'Seidel'];
const otherFirstNames = ['Zora', 'Quirin', 'Xenia', 'Ulf', 'Yara', 'Wanda', 'Vito'];
const otherLastNames = ['Quast', 'Yilmaz', 'Ochs', 'Pfau', 'Rieck', 'Xander'];

/** 25 pairs: 10 in Hamburg, 15 in Berlin; the first 12 from crm + shop, the rest crm + billing. */
const pairCount = 25;
const hamburg = 10;
const withShop = 12;

interface Person {
  crm: { source: string; id: string };
  other: { source: string; id: string };
  first: string;
  last: string;
  otherFirst: string;
  otherLast: string;
  city: string;
}

// Every record unlike every other (names, postal codes), so that neither the identity links nor
// the matcher's own proposals touch these pairs: the queue holds exactly the proposals recorded here.
const people: Person[] = Array.from({ length: pairCount }, (_, i) => {
  const suffix = String.fromCharCode(97 + i);
  return {
    crm: { source: 'crm', id: `Q-${i}` },
    other: { source: i < withShop ? 'shop' : 'billing', id: `Q-${i}` },
    first: `${firstNames[i % firstNames.length]}${suffix}`,
    last: `${lastNames[i % lastNames.length]}${suffix}`,
    otherFirst: `${otherFirstNames[i % otherFirstNames.length]}${suffix}`,
    otherLast: `${otherLastNames[i % otherLastNames.length]}${suffix}`,
    city: i < hamburg ? 'Hamburg' : 'Berlin',
  };
});

const note = (
  tp: { source: string; id: string },
  customer: Record<string, unknown>,
): Record<string, unknown> => ({
  ...tp,
  type: 'note',
  occurredAt: '2026-10-10T10:00:00Z',
  customer,
  data: { text: `note ${tp.id}` },
});

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  return res.body.customerId as string;
}

/** Pair i's probability: the higher i, the higher; all distinct, so the order is known. */
const probabilityOf = (i: number) => Math.round((0.5 + i * 0.019) * 1000) / 1000;

function proposalOf(person: Person, crmId: string, otherId: string, i: number): MatchProposal {
  const fields = [
    { field: 'firstName', level: 'exact', weight: 3.4, a: person.first, b: person.otherFirst },
    {
      field: 'lastName',
      level: 'close',
      weight: 2.1,
      a: person.last,
      b: person.otherLast,
      note: 'Jaro-Winkler 0.95',
    },
    { field: 'birthDate', level: 'missing', weight: 0, a: '1980-01-01', b: null },
    { field: 'city', level: 'different', weight: -2.6, a: person.city, b: 'Bremen' },
  ] satisfies MatchProposal['fields'];
  // The pair store names the sides in id order, as the matcher writes them: the values follow.
  const crmFirst = crmId < otherId;
  return {
    a: crmFirst ? crmId : otherId,
    b: crmFirst ? otherId : crmId,
    probability: probabilityOf(i),
    weight: 2 + i * 0.3,
    fields: crmFirst ? fields : fields.map((f) => ({ ...f, a: f.b, b: f.a })),
    modelVersion: 'e2e-model',
    sources: ['crm', person.other.source],
    cities: [person.city, 'Bremen'],
  };
}

let ids: { a: string; b: string }[] = [];

async function logIn(page: Page, role: 'admin' | 'manager') {
  await logInAs(page, p.url, role, p.passwords[role]);
}

async function openQueue(query = ''): Promise<Page> {
  const page = await browser.newPage();
  await logIn(page, 'admin');
  await page.goto(`${p.url}/identity${query}`);
  await page.getByTestId('duplicates-total').filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
  return page;
}

const total = (page: Page) => page.getByTestId('duplicates-total').textContent();
const cards = (page: Page) => page.getByTestId('duplicate-pair');

beforeAll(async () => {
  // The matcher is off: after a merge or an undo it would score these made-up pairs anew (and
  // close them); the queue is tested on exactly the proposals recorded here.
  p = await startPanorama({ webDist, matching: false });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: people.flatMap((person, i) => [
      note(person.crm, {
        customerNumber: `K-77${String(i).padStart(3, '0')}`,
        firstName: person.first,
        lastName: person.last,
        address: {
          street: `Weg ${i + 1}`,
          postalCode: String(20_000 + i * 37),
          city: person.city,
          country: 'DE',
        },
      }),
      note(person.other, {
        externalId: `x-77${i}`,
        firstName: person.otherFirst,
        lastName: person.otherLast,
        address: { city: 'Bremen', country: 'DE' },
      }),
    ]),
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  ids = await Promise.all(
    people.map(async (person) => ({
      a: await customerOf(person.crm),
      b: await customerOf(person.other),
    })),
  );
  for (const { a, b } of ids) expect(a).not.toBe(b);
  await recordProposals(
    storeContext(p.server.ctx),
    people.map((person, i) => proposalOf(person, ids[i].a, ids[i].b, i)),
  );
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe("the steward's queue in the browser", () => {
  it('shows the exact total and pages through it by cursor, highest score first', async () => {
    const page = await openQueue();
    await expect.poll(() => total(page), { timeout: 15_000 }).toBe('25 suspected duplicates');
    await expect.poll(() => cards(page).count()).toBe(20);
    expect(await page.getByTestId('page-range').textContent()).toBe('1–20 of 25 · page 1 of 2');
    // Highest first: pair 24 (95.6 %) leads.
    expect(await page.getByTestId('pair-probability').first().textContent()).toContain('95.6 %');

    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => cards(page).count()).toBe(5);
    expect(await page.getByTestId('page-range').textContent()).toBe('21–25 of 25 · page 2 of 2');
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('pair-probability').last().textContent()).toContain('50.0 %');

    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => cards(page).count()).toBe(20);

    await page.getByLabel('Order').selectOption('-score');
    await expect
      .poll(() => page.getByTestId('pair-probability').first().textContent())
      .toContain('50.0 %');
    expect(page.url()).toContain('sort=-score');
    await page.close();
  });

  it('filters by city, source and score, and keeps the filters in the URL', async () => {
    const page = await openQueue();
    await page.getByLabel('City').fill('hamburg');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => total(page)).toContain(`${hamburg} suspected duplicates`);
    expect(new URL(page.url()).searchParams.get('city')).toBe('hamburg');
    expect(await cards(page).count()).toBe(hamburg);

    // A reload keeps them (shared links too).
    await page.reload();
    await expect.poll(() => total(page), { timeout: 15_000 }).toContain(`${hamburg} suspected`);
    expect(await page.getByLabel('City').inputValue()).toBe('hamburg');

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => total(page)).toBe('25 suspected duplicates');

    await page.getByLabel('Source').fill('shop');
    await page.getByLabel('Minimum score (%)').fill('60');
    await page.getByRole('button', { name: 'Apply' }).click();
    // Shop pairs are 0..11; from 60 % on: i ≥ 6 (0.614).
    await expect.poll(() => total(page)).toContain(`${withShop - 6} suspected duplicates`);
    const url = new URL(page.url());
    expect(url.searchParams.get('source')).toBe('shop');
    expect(url.searchParams.get('minScore')).toBe('0.6');

    await page.getByLabel('Minimum score (%)').fill('99');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('no-duplicates').textContent())
      .toContain('No open pairs match these filters');
    await page.close();
  });

  it('compares each pair field by field: values side by side, level, weight and agreement', async () => {
    const page = await openQueue();
    const first = cards(page).first();
    const rows = first.getByTestId('field-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    const row = (field: string) => first.locator(`[data-testid=field-row][data-field=${field}]`);
    expect(await row('firstName').getAttribute('data-agreement')).toBe('agree');
    expect(await row('firstName').getByTestId('field-level').textContent()).toBe('exact');
    expect(await row('firstName').getByTestId('field-weight').textContent()).toBe('+3.4');
    expect(await row('lastName').getByTestId('field-level').textContent()).toContain(
      'close · Jaro-Winkler 0.95',
    );
    expect(await row('birthDate').getAttribute('data-agreement')).toBe('missing');
    expect(await row('city').getAttribute('data-agreement')).toBe('disagree');
    expect(await row('city').textContent()).toContain('Bremen');
    expect(
      await first.getByRole('meter', { name: 'Match probability' }).getAttribute('aria-valuenow'),
    ).toBe('95.6');
    await page.close();
  });

  it('accepts several pairs at once, explains the merges on the repair page, and undoes them', async () => {
    const page = await openQueue('?source=billing&maxScore=0.76');
    // billing pairs 12..24 up to 76 %: 12 (0.728) and 13 (0.747).
    await expect.poll(() => total(page), { timeout: 15_000 }).toContain('2 suspected duplicates');
    await page.getByLabel('Select all on this page').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('2 selected');
    await page.getByRole('button', { name: 'Accept selected' }).click();
    await expect
      .poll(() => page.getByTestId('decision-summary').textContent(), { timeout: 15_000 })
      .toBe('2 pairs merged.');
    const survivor = await customerOf(people[12].crm);
    expect(await customerOf(people[12].other)).toBe(survivor);
    expect(await customerOf(people[13].crm)).toBe(await customerOf(people[13].other));
    await expect.poll(() => page.getByTestId('no-duplicates').isVisible()).toBe(true);

    // The repair page says why, field by field.
    const repair = await browser.newPage();
    await logIn(repair, 'admin');
    await repair.goto(`${p.url}/identity/customers/${survivor}`);
    const explanation = repair.getByTestId('merge-explanation');
    await expect
      .poll(() => explanation.getByTestId('merge-headline').textContent(), { timeout: 15_000 })
      .toMatch(/^Merged by .+ after review, 72\.8 %$/);
    expect(
      await explanation.locator('[data-testid=field-row][data-field=lastName]').textContent(),
    ).toContain('Jaro-Winkler 0.95');
    await repair.close();

    await page.getByRole('button', { name: 'Undo all 2' }).click();
    await expect
      .poll(() => page.getByTestId('undo-summary').textContent(), { timeout: 15_000 })
      .toBe('2 undone.');
    await expect
      .poll(async () => (await customerOf(people[12].crm)) !== (await customerOf(people[12].other)))
      .toBe(true);
    // Undone merges put the pairs back in the queue.
    await expect.poll(() => total(page), { timeout: 15_000 }).toContain('2 suspected duplicates');
    await page.close();
  });

  it('a bulk decision reports the pair that failed and why, and decides the others', async () => {
    // A proposal whose other side is no customer (gone since): it must fail alone.
    await recordProposals(storeContext(p.server.ctx), [
      { ...proposalOf(people[5], ids[5].b, 'cgone000000', 0), probability: 0.4 },
    ]);
    // Up to 50.5 %: pair 0 (50 %) and the broken one (40 %).
    const page = await openQueue('?maxScore=0.505');
    await expect.poll(() => cards(page).count(), { timeout: 15_000 }).toBe(2);
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Accept selected' }).click();
    await expect
      .poll(() => page.getByTestId('decision-summary').textContent(), { timeout: 15_000 })
      .toBe('1 pair merged, 1 failed.');
    expect(await page.getByTestId('decision-failure').count()).toBe(1);
    expect(await cards(page).count()).toBe(1);
    expect(await cards(page).getByTestId('pair-error').textContent()).toContain('Not decided');
    expect(await customerOf(people[0].crm)).toBe(await customerOf(people[0].other));
    await page.close();
  });

  it('rejects a pair as not the same person', async () => {
    const page = await openQueue('?city=Hamburg&minScore=0.51&maxScore=0.54');
    // Hamburg pairs 0..9 from 51 to 54 %: pair 1 (0.519) and 2 (0.538).
    await expect.poll(() => cards(page).count(), { timeout: 15_000 }).toBe(2);
    await cards(page)
      .filter({ hasText: '51.9 %' })
      .getByRole('button', { name: 'Reject (not the same)' })
      .click();
    await expect
      .poll(() => page.getByTestId('decision-summary').textContent())
      .toBe('1 pair marked not the same.');
    await expect.poll(() => cards(page).count()).toBe(1);
    expect(await customerOf(people[1].crm)).not.toBe(await customerOf(people[1].other));
    await page.getByLabel('Status').selectOption('rejected');
    await expect.poll(() => total(page)).toContain('1 rejected pair');
    await page.close();
  });

  it('works from the keyboard: j/k move, x selects, a accepts, r rejects', async () => {
    const page = await openQueue('?city=Berlin&source=billing&minScore=0.8');
    // Berlin billing pairs from 80 %: 16..24 (9 pairs), highest first.
    await expect.poll(() => cards(page).count(), { timeout: 15_000 }).toBe(9);
    expect(await page.getByTestId('keyboard-hint').textContent()).toContain('j / k');
    const current = () => page.locator('[data-testid=duplicate-pair][aria-current=true]');
    expect(await current().getByTestId('pair-probability').textContent()).toContain('95.6 %');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await current().getByTestId('pair-probability').textContent()).toContain('91.8 %');
    await page.keyboard.press('k');
    expect(await current().getByTestId('pair-probability').textContent()).toContain('93.7 %');
    await page.keyboard.press('x');
    expect(await page.getByTestId('selected-count').textContent()).toBe('1 selected');
    await page.keyboard.press('x');
    expect(await page.getByTestId('selected-count').textContent()).toBe('0 selected');
    // Keys still work with the focus left on a checkbox just clicked.
    await page.getByLabel('Select all on this page').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('9 selected');
    await page.keyboard.press('k');
    expect(await current().getByTestId('pair-probability').textContent()).toContain('95.6 %');
    await page.keyboard.press('j');
    expect(await current().getByTestId('pair-probability').textContent()).toContain('93.7 %');
    await page.getByLabel('Select all on this page').uncheck();
    expect(await page.getByTestId('selected-count').textContent()).toBe('0 selected');

    await page.keyboard.press('a');
    await expect
      .poll(() => page.getByTestId('decision-summary').textContent(), { timeout: 15_000 })
      .toBe('1 pair merged.');
    expect(await customerOf(people[23].crm)).toBe(await customerOf(people[23].other));
    await expect.poll(() => cards(page).count()).toBe(8);

    await page.keyboard.press('r');
    await expect
      .poll(() => page.getByTestId('decision-summary').textContent(), { timeout: 15_000 })
      .toBe('1 pair marked not the same.');
    await expect.poll(() => cards(page).count()).toBe(7);
    await page.close();
  });

  it('exports the decisions as labels', async () => {
    const page = await openQueue();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    expect(csv.split('\n')[0]).toContain('label');
    expect(csv).toContain('non-match');
    await page.close();
  });

  it('the data-quality page shows the real open count', async () => {
    const open = (await p.request('GET', '/api/v1/identity/duplicates?size=1')).body
      .total as number;
    const page = await browser.newPage();
    await logIn(page, 'manager');
    await page.getByRole('link', { name: 'Data quality' }).click();
    await expect
      .poll(() => page.getByTestId('dq-open-suspected-duplicates').textContent(), {
        timeout: 15_000,
      })
      .toContain(String(open));
    await expect
      .poll(() => page.getByTestId('duplicates-trend-totals').textContent())
      .toContain('merged');
    await page.close();
  });

  it('a manager who opens the queue is told that the role may not use it', async () => {
    const page = await browser.newPage();
    await logIn(page, 'manager');
    await page.goto(`${p.url}/identity`);
    const forbidden = page.getByTestId('suspected-duplicates').getByTestId('forbidden');
    await expect
      .poll(() => forbidden.textContent(), { timeout: 15_000 })
      .toBe('Your role (manager) may not use this page.');
    await page.close();
  });
});
