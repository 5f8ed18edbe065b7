/**
 * What the UI leaves in the browser: no customer's name in localStorage
 * after a lookup unless the agent chose to keep recent lookups on this
 * device, no login token there at all, and nothing of either after logout.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

const customer = {
  customerNumber: 'K-880001',
  email: 'henrike.speicher@example.de',
  firstName: 'Henrike',
  lastName: 'Speicherlos',
  address: { city: 'Minden', country: 'DE' },
};

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'crm',
        id: 'K-880001',
        type: 'profile',
        occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
        customer,
        data: { segment: 'Standard' },
      },
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** Everything a storage holds, keys and values, as one text. */
const storageText = (page: Page, which: 'localStorage' | 'sessionStorage') =>
  page.evaluate((name) => {
    const storage = name === 'localStorage' ? window.localStorage : window.sessionStorage;
    return Array.from(
      { length: storage.length },
      (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i) ?? '')}`,
    ).join('\n');
  }, which);

async function logInAndOpenTheCustomer(page: Page): Promise<void> {
  await logInAs(page, p.url, 'agent', p.passwords.agent);
  await page.getByLabel('Search customers').waitFor({ timeout: 10_000 });
  const box = page.getByLabel('Search customers');
  await box.fill('K-880001');
  await expect
    .poll(() => page.getByRole('option').first().textContent(), { timeout: 10_000 })
    .toContain('Henrike Speicherlos');
  await box.press('Enter');
  await page.getByTestId('profile').waitFor({ timeout: 10_000 });
}

describe('what the UI keeps in the browser', () => {
  it('keeps a looked-up customer in sessionStorage only, and no login token in localStorage', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInAndOpenTheCustomer(page);
    await page.goto(`${p.url}/`);
    await expect
      .poll(() => page.getByTestId('recent-lookup').first().textContent(), { timeout: 10_000 })
      .toContain('Henrike Speicherlos');
    // The recent lookup is there, for this tab.
    expect(await storageText(page, 'sessionStorage')).toContain('Speicherlos');
    const local = await storageText(page, 'localStorage');
    for (const trace of ['Henrike', 'Speicherlos', 'K-880001', 'Minden', 'henrike.speicher'])
      expect(local, `localStorage holds ${trace}`).not.toContain(trace);
    expect(local).not.toContain('token');
    await context.close();
  });

  it('keeps them on the device only when the agent opts in, and logging out clears both storages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInAndOpenTheCustomer(page);
    await page.goto(`${p.url}/`);
    const remember = page.getByLabel('Remember recent lookups on this device');
    await remember.waitFor({ timeout: 10_000 });
    expect(await remember.isChecked()).toBe(false);
    await remember.check();
    await expect.poll(() => storageText(page, 'localStorage')).toContain('Speicherlos');
    expect(await storageText(page, 'sessionStorage')).not.toContain('Speicherlos');
    // Still listed after a reload (now read from the device).
    await page.reload();
    await expect
      .poll(() => page.getByTestId('recent-lookup').first().textContent(), { timeout: 10_000 })
      .toContain('Henrike Speicherlos');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/login'), { timeout: 10_000 });
    for (const which of ['localStorage', 'sessionStorage'] as const) {
      const text = await storageText(page, which);
      expect(text, which).not.toContain('Speicherlos');
      expect(text, which).not.toContain('token');
    }
    await context.close();
  });
});
