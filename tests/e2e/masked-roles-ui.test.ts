/**
 * The UI offers managers and analysts nothing the server refuses them as an
 * oracle (privacy/oracles.ts): no customer text search, no timeline search,
 * no text in the explorer, no filter or sort on masked fields — and what it
 * shows them of a customer is pseudonymized.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;
let id: string;

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const customer = {
    customerNumber: 'K-ZQ-1',
    email: 'zofia.quendrix@quendrixhaus.example',
    phone: '+49 151 98765432',
    firstName: 'Zofia',
    lastName: 'Quendrix',
    address: { street: 'Xylophonweg 77', postalCode: '97531', city: 'Würzburg', country: 'DE' },
  };
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'crm',
        id: 'P-ZQ',
        type: 'profile',
        occurredAt: '2026-09-01T08:00:00Z',
        customer,
        data: { segment: 'Gold' },
      },
      {
        source: 'crm',
        id: 'N-ZQ',
        type: 'note',
        occurredAt: '2026-09-02T08:00:00Z',
        customer: { email: customer.email },
        data: { text: 'Hund heißt Bellofantino', pinned: true },
      },
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  id = (
    await p.request('GET', `/api/v1/customers/search?q=${encodeURIComponent(customer.email)}`, {
      role: 'admin',
    })
  ).body.items[0].id;
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

async function logIn(role: 'manager' | 'analyst'): Promise<Page> {
  const page = await browser.newPage();
  await logInAs(page, p.url, role, p.passwords[role]);
  return page;
}

const secrets = [
  'Zofia',
  'Quendrix',
  'quendrixhaus',
  '98765432',
  'K-ZQ-1',
  'Xylophonweg',
  '97531',
  'Bellofantino',
];

describe('what the UI offers pseudonymized roles', () => {
  it('a manager lands on the dashboard, has no customer search, and sees a profile without its timeline search or personal values', async () => {
    const page = await logIn('manager');
    await page.waitForURL(/\/dashboard$/, { timeout: 10_000 });
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Search' })
        .count(),
    ).toBe(0);
    await page.goto(`${p.url}/`);
    await page.waitForURL(/\/dashboard$/, { timeout: 10_000 });
    await page.goto(`${p.url}/?q=Quendrix`);
    await page.getByTestId('search-not-offered').waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Search customers').count()).toBe(0);

    await page.goto(`${p.url}/customers/${id}`);
    await page.getByTestId('profile-header').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByRole('list', { name: 'Touchpoints' }).locator('li').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(1);
    expect(await page.getByTestId('timeline-search').count()).toBe(0);
    expect(await page.locator('h1').first().textContent()).toContain('Z. Q.');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    await page.close();
  });

  it('an analyst explores without a text box, filters and facets on masked fields, or sorting by name', async () => {
    const page = await logIn('analyst');
    await page.goto(`${p.url}/explore`);
    await page.getByTestId('explore-total').waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Filter by text').count()).toBe(0);

    await page.goto(`${p.url}/explore/builder`);
    await page.getByTestId('builder-total').waitFor({ timeout: 15_000 });
    const facets = (await page.getByRole('complementary', { name: 'Facets' }).textContent()) ?? '';
    expect(facets).not.toContain('Postal code');
    expect(facets).not.toContain('Company');
    const field = page.getByLabel('Field').first();
    if ((await field.count()) > 0) {
      const options = await field.locator('option').allTextContents();
      expect(options).not.toContain('Postal code');
      expect(options).not.toContain('Birth date');
    }
    const table = page.getByRole('table', { name: 'Matching customers' });
    await table.waitFor({ timeout: 15_000 });
    expect(await table.getByRole('button', { name: /^Name/ }).count()).toBe(0);
    expect(await table.getByRole('button', { name: /Lifetime value/ }).count()).toBeGreaterThan(0);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    await page.close();
  });
});
