import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const customer = {
    customerNumber: 'K-555001',
    email: 'jens.jaeger@example.de',
    phone: '+49 151 22334455',
    firstName: 'Jens',
    lastName: 'Jäger',
    address: { city: 'Köln', postalCode: '50667', country: 'DE' },
  };
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'shop',
        id: 'O-1',
        type: 'order',
        occurredAt: '2026-11-01T09:00:00Z',
        customer,
        data: {
          orderNumber: 'O-1',
          total: 89.9,
          currency: 'EUR',
          status: 'shipped',
          shipping: {
            carrier: 'DHL',
            trackingNumber: '00340434161234567890',
            status: 'in transit',
          },
        },
      },
      {
        source: 'helpdesk',
        id: 'T-77',
        type: 'ticket',
        occurredAt: '2026-11-03T10:00:00Z',
        customer: { phone: '0151 2233 4455' },
        data: {
          ticketNumber: 'T-77',
          subject: 'Paket nicht angekommen',
          status: 'open',
          priority: 'high',
          complaint: true,
        },
      },
      // A namesake elsewhere must not get in the way.
      {
        source: 'crm',
        id: 'P-2',
        type: 'profile',
        occurredAt: '2026-10-01T09:00:00Z',
        customer: {
          customerNumber: 'K-555002',
          firstName: 'Jens',
          lastName: 'Jäger',
          address: { city: 'Bonn' },
        },
        data: { segment: 'Basic' },
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

async function logIn(page: Page, role: 'agent' | 'manager' | 'analyst') {
  await logInAs(page, p.url, role, p.passwords[role]);
}

describe('the agent finds the caller', () => {
  it('logs in, types the phone number written differently, opens the profile and sees the open ticket', async () => {
    const page = await browser.newPage();
    await logIn(page, 'agent');
    const box = page.getByLabel('Search customers');
    await expect.poll(() => box.isVisible(), { timeout: 10_000 }).toBe(true);
    await box.fill('0049 (151) 223-344-55');
    const first = page.getByRole('option').first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toContain('Jens Jäger');
    await box.press('Enter');
    await expect
      .poll(() => page.locator('h1').first().textContent(), { timeout: 10_000 })
      .toContain('Jens Jäger');
    const tickets = page.getByTestId('open-tickets');
    await expect
      .poll(() => tickets.textContent(), { timeout: 10_000 })
      .toContain('Paket nicht angekommen');
    await expect
      .poll(() => page.getByTestId('recent-order').first().textContent())
      .toContain('00340434161234567890');
    await page.close();
  });

  it('shows a clear message for a wrong password', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/login`);
    await page.getByLabel('Username').fill('agent');
    await page.getByLabel('Password').fill('nope');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByTestId('login-error').textContent(), { timeout: 10_000 })
      .toContain('Wrong username or password');
    await page.close();
  });

  it('shows the manager dashboard with the segment figures', async () => {
    const page = await browser.newPage();
    await logIn(page, 'manager');
    await page.goto(`${p.url}/dashboard`);
    await expect
      .poll(() => page.locator('body').textContent(), { timeout: 15_000 })
      .toContain('Basic');
    await page.close();
  });

  it('filters the analyst facet page by a clicked facet value', async () => {
    const page = await browser.newPage();
    await logIn(page, 'analyst');
    await page.goto(`${p.url}/explore`);
    await page
      .getByTestId('explore-total')
      .waitFor({ timeout: 15_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: '/tmp/explore-failure.png' });
        throw error;
      });
    await expect
      .poll(() => page.getByTestId('explore-total').textContent(), { timeout: 15_000 })
      .toMatch(/\b2\b/);
    // A controlled checkbox: its state follows the URL after the click, so poll rather than check().
    // (A click that lands while the list re-renders is retried.)
    for (let attempt = 0; attempt < 3 && !page.url().includes('f.city=Bonn'); attempt++) {
      await page.getByRole('checkbox', { name: /Bonn/ }).first().click();
      await page.waitForURL(/f\.city=Bonn/, { timeout: 5_000 }).catch(() => {});
    }
    await expect
      .poll(() => page.getByTestId('explore-total').textContent(), { timeout: 15_000 })
      .toMatch(/\b1\b/);
    expect(page.url()).toContain('f.city=Bonn');
    await page.close();
  });
});
