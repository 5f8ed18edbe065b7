/**
 * In the browser: who looked at a customer, the admin's audit log,
 * user management, the rebuild of every profile, and erasure from the profile.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;
let customerId: string;

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'shop',
        id: 'P-1',
        type: 'order',
        occurredAt: '2026-11-01T09:00:00Z',
        customer: { email: 'paula.privat@example.de', firstName: 'Paula', lastName: 'Privat' },
        data: { orderNumber: 'P-1', total: 10, currency: 'EUR' },
      },
    ],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  customerId = (await p.request('GET', '/api/v1/customers/search?q=paula.privat@example.de')).body
    .items[0].id;
  // An agent looked at her.
  await p.request('GET', `/api/v1/customers/${customerId}`, { role: 'agent' });
  await p.server.ctx.audit.flush(true);
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

async function logIn(page: Page, role: 'admin' | 'agent') {
  await logInAs(page, p.url, role, p.passwords[role]);
}

describe('personal data in the UI', () => {
  it('shows on the profile who looked at the customer recently', async () => {
    const page = await browser.newPage();
    await logIn(page, 'agent');
    await page.goto(`${p.url}/customers/${customerId}`);
    const viewers = page.getByTestId('recent-viewers');
    await expect.poll(() => viewers.textContent(), { timeout: 10_000 }).toContain(p.actors.agent);
    // Agents do not get the admin's export and erase actions.
    expect(await page.getByTestId('customer-rights').count()).toBe(0);
    await page.close();
  });

  it('lets the admin search the audit log by customer', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Customer id').fill(customerId);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('audit-row');
    await expect
      .poll(async () => (await rows.allTextContents()).join(' '), { timeout: 10_000 })
      .toContain(p.actors.agent);
    expect((await rows.allTextContents()).join(' ')).not.toContain('paula');
    await page.close();
  });

  it('lets the admin add a user who then logs in', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('New username').fill('ui.manager');
    await page.getByLabel("New user's role").selectOption('manager');
    await page.getByRole('button', { name: 'Add user' }).click();
    const secret = page.getByTestId('secret-once');
    await expect
      .poll(() => secret.textContent(), { timeout: 10_000 })
      .toContain('Password of ui.manager');
    const password =
      ((await secret.textContent()) ?? '').split(': ')[1]?.split(' ')[0]?.trim() ?? '';
    await expect
      .poll(async () => (await page.getByTestId('user-row').allTextContents()).join(' '))
      .toContain('ui.manager');
    const login = await p.request('POST', '/api/v1/auth/login', {
      role: null,
      body: { username: 'ui.manager', password },
    });
    expect(login.status).toBe(200);
    expect(login.body.role).toBe('manager');
    await page.close();
  });

  it('lets the admin rebuild every profile after confirming, and shows the progress until it is done', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.getByRole('link', { name: 'Users' }).click();
    const panel = page.getByTestId('profile-rebuild');
    await panel.getByRole('button', { name: 'Rebuild every profile…' }).click();
    // Nothing happens before the confirmation; cancelling leaves everything as it was.
    await panel.getByRole('button', { name: 'Cancel' }).click();
    expect(await panel.getByTestId('profile-rebuild-progress').count()).toBe(0);
    await panel.getByRole('button', { name: 'Rebuild every profile…' }).click();
    await panel.getByRole('button', { name: 'Yes, rebuild' }).click();
    await expect
      .poll(() => panel.getByTestId('profile-rebuild-progress').textContent(), { timeout: 20_000 })
      .toBe('Done: 1 profile rebuilt.');
    await p.server.ctx.audit.flush(true);
    const audit = await p.request('GET', '/api/v1/audit?action=rebuild');
    expect(audit.body.items[0]).toMatchObject({
      action: 'rebuild',
      actor: 'admin',
      resultCount: 1,
    });
    await page.close();
  });

  it('shows the admin the touchpoints Elasticsearch could not store, by record and reason, without their content', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.goto(`${p.url}/admin`);
    const panel = page.getByTestId('dead-letters');
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('None');
    // A deleted record needs no valid data, but a keyword term over 32,766 bytes breaks the mapping.
    const poison = 'x'.repeat(40_000);
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        {
          source: 'shop',
          id: 'UI-OK',
          type: 'order',
          occurredAt: '2026-11-02T09:00:00Z',
          customer: { email: 'someone.else@example.de' },
          data: { orderNumber: 'UI-OK', total: 5, currency: 'EUR' },
        },
        {
          source: 'shop',
          id: 'UI-POISON',
          type: 'order',
          occurredAt: '2026-11-02T09:00:00Z',
          deleted: true,
          customer: { customerNumber: 'K-poison-ui' },
          data: { channel: poison },
        },
      ],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed(60_000);
    await page.reload();
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('shop:UI-POISON');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Rejected by elasticsearch');
    expect(text).not.toContain('xxxxxxxx');
    expect(text).not.toContain('UI-OK');
    await page.close();
  });

  it('lets the admin erase the customer from the profile; the profile is gone afterwards', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.goto(`${p.url}/customers/${customerId}`);
    await page.getByRole('button', { name: 'Erase this customer…' }).click();
    await page.getByRole('button', { name: 'Yes, erase' }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 });
    expect((await p.request('GET', `/api/v1/customers/${customerId}`)).status).toBe(404);
    await page.close();
  });
});
