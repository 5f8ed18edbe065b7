import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

const day = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();

// Ulrike Brandt: complaint open and an unhappy NPS answer. Two namesakes "Mara Vogt" in different cities;
// the one in Jena is VIP, has a mobile contract ending in 30 days and no home internet.
const ulrike = {
  customerNumber: 'K-710001',
  email: 'ulrike.brandt@example.de',
  phone: '+49 160 7700111',
  firstName: 'Ulrike',
  lastName: 'Brandt',
  address: { city: 'Kassel', postalCode: '34117', country: 'DE' },
};
const maraJena = {
  customerNumber: 'K-710002',
  email: 'mara.vogt@example.de',
  firstName: 'Mara',
  lastName: 'Vogt',
  address: { city: 'Jena', country: 'DE' },
};
const maraGera = {
  customerNumber: 'K-710003',
  firstName: 'Mara',
  lastName: 'Vogt',
  address: { city: 'Gera', country: 'DE' },
};

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [
      {
        source: 'crm',
        id: 'K-710001',
        type: 'profile',
        occurredAt: recent(300),
        customer: ulrike,
        data: { segment: 'Standard' },
      },
      {
        source: 'helpdesk',
        id: 'T-9001',
        type: 'ticket',
        occurredAt: recent(2),
        customer: { email: ulrike.email },
        data: {
          ticketNumber: 'T-9001',
          subject: 'Rechnung doppelt abgebucht',
          status: 'open',
          priority: 'high',
          complaint: true,
        },
      },
      {
        source: 'survey',
        id: 'S-1',
        type: 'survey',
        occurredAt: recent(5),
        customer: { email: ulrike.email },
        data: { kind: 'nps', score: 3, comment: 'Hotline nie erreichbar' },
      },
      {
        source: 'shop',
        id: 'O-4711',
        type: 'order',
        occurredAt: recent(20),
        customer: ulrike,
        data: {
          orderNumber: 'O-4711',
          total: 59.9,
          currency: 'EUR',
          status: 'delivered',
          items: [{ name: 'Wasserkocher', quantity: 1 }],
        },
      },
      {
        source: 'crm',
        id: 'K-710002',
        type: 'profile',
        occurredAt: recent(400),
        customer: maraJena,
        data: { segment: 'VIP' },
      },
      {
        source: 'billing',
        id: 'V-1',
        type: 'contract',
        occurredAt: recent(700),
        customer: { customerNumber: 'K-710002' },
        data: {
          contractNumber: 'V-1',
          product: 'Mobil M',
          status: 'active',
          startDate: isoDate(Date.now() - 700 * day),
          endDate: isoDate(Date.now() + 30 * day),
          monthlyFee: 29.99,
          currency: 'EUR',
        },
      },
      {
        source: 'crm',
        id: 'K-710003',
        type: 'profile',
        occurredAt: recent(100),
        customer: maraGera,
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

/** A new browser profile (own localStorage), logged in as the agent. */
async function agentPage(): Promise<Page> {
  const context: BrowserContext = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: p.url });
  const page = await context.newPage();
  page.on('close', () => {
    // The browser may already be closing at the end of the file.
    context.close().catch(() => {});
  });
  await logIn(page);
  return page;
}

async function logIn(page: Page) {
  await logInAs(page, p.url, 'agent', p.passwords.agent);
  await page.getByLabel('Search customers').waitFor({ timeout: 10_000 });
}

async function openCustomer(page: Page, query: string, name: string) {
  await page.goto(`${p.url}/`);
  const box = page.getByLabel('Search customers');
  await box.fill(query);
  await expect
    .poll(() => page.getByRole('option').first().textContent(), { timeout: 10_000 })
    .toContain(name);
  await box.press('Enter');
  await page.getByTestId('profile').waitFor({ timeout: 10_000 });
}

const focusedLabel = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('the agent screen', () => {
  it('is keyboard first: the box has focus on load, arrows and Enter open a result, Esc goes back, / focuses the box', async () => {
    const page = await agentPage();
    await page.goto(`${p.url}/`);
    await expect.poll(() => focusedLabel(page)).toBe('Search customers');
    await page.keyboard.type('Mara Vogt');
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBe(2);
    const second = (await page.getByRole('option').nth(1).textContent()) ?? '';
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('profile').waitFor({ timeout: 10_000 });
    const city = second.includes('Jena') ? 'Jena' : 'Gera';
    await expect.poll(() => page.getByTestId('profile-header').textContent()).toContain(city);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBe(2);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Mara Vogt');
    await page.locator('body').click();
    await page.keyboard.press('/');
    await expect.poll(() => focusedLabel(page)).toBe('Search customers');
    await page.close();
  });

  it('shows the flags and the next best action with the reason each rule fires', async () => {
    const page = await agentPage();
    await openCustomer(page, 'Mara Vogt Jena', 'Mara Vogt');
    await expect.poll(() => page.getByTestId('flag-vip').count()).toBe(1);
    expect(await page.getByTestId('flag-contract-ending').textContent()).toMatch(
      /Contract ends in 3\d days/,
    );
    const renewal = page.getByTestId('nba-renewal-offer');
    expect(await renewal.textContent()).toContain('Mobil M');
    expect(await renewal.textContent()).toMatch(
      /Why: Contract V-1 \(Mobil M\) ends on \d{4}-\d\d-\d\d — in 3\d days/,
    );
    expect(await page.getByTestId('nba-cross-sell').textContent()).toContain(
      'Holds Mobil M but no DSL or Glasfaser product.',
    );

    await openCustomer(page, 'ulrike.brandt@example.de', 'Ulrike Brandt');
    await expect.poll(() => page.getByTestId('flag-open-complaint').count()).toBe(1);
    expect(await page.getByTestId('nba-apologize-and-escalate').textContent()).toContain('T-9001');
    expect(await page.getByTestId('nba-care-call').textContent()).toContain('3 of 10');
    expect(await page.getByTestId('nba-renewal-offer').count()).toBe(0);
    await page.close();
  });

  it('shows the email newsletter consent as withdrawn after an unsubscribe from a campaign email; sms stays granted', async () => {
    const nora = {
      customerNumber: 'K-710009',
      email: 'nora.abmeldung@example.de',
      firstName: 'Nora',
      lastName: 'Abmeldung',
    };
    const newsletter = (channel: string) => ({
      source: 'crm',
      id: `NC-${channel}`,
      type: 'consent',
      occurredAt: recent(60),
      customer: nora,
      data: { channel, purpose: 'newsletter', granted: true },
    });
    expect(
      (
        await p.request('POST', '/api/v1/touchpoints', {
          role: 'ingest',
          body: [newsletter('email'), newsletter('sms')],
        })
      ).status,
    ).toBe(202);
    await p.waitUntilIndexed();
    const page = await agentPage();
    const consents = async () =>
      (await page.getByTestId('consent').allTextContents())
        .map((text) =>
          text
            .replace(/since.*$/, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .sort();
    await openCustomer(page, 'K-710009', 'Nora Abmeldung');
    await expect
      .poll(consents, { timeout: 10_000 })
      .toEqual(['✓Emailnewsletter', '✓SMSnewsletter']);
    expect(await page.getByTestId('flag-no-email-consent').count()).toBe(0);

    const unsubscribe = {
      source: 'mailer',
      id: 'NU-1',
      type: 'campaign_response',
      occurredAt: recent(1),
      customer: { email: nora.email },
      data: { campaignId: 'NL-7', channel: 'email', action: 'unsubscribed' },
    };
    expect(
      (await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: [unsubscribe] }))
        .status,
    ).toBe(202);
    await p.waitUntilIndexed();
    await page.reload();
    await page.getByTestId('profile').waitFor({ timeout: 10_000 });
    await expect
      .poll(consents, { timeout: 10_000 })
      .toEqual(['✓SMSnewsletter', '✕Emailmarketing', '✕Emailnewsletter']);
    const emailNewsletter = page
      .getByTestId('consent')
      .filter({ hasText: 'newsletter' })
      .filter({ hasText: 'Email' });
    expect(await emailNewsletter.getByLabel('not granted').count()).toBe(1);
    expect(await emailNewsletter.textContent()).toContain('mailer');
    await expect.poll(() => page.getByTestId('flag-no-email-consent').count()).toBe(1);
    await page.close();
  });

  it('copies an identity with one click', async () => {
    const page = await agentPage();
    await openCustomer(page, 'K-710001', 'Ulrike Brandt');
    await page.getByRole('button', { name: 'Copy ulrike.brandt@example.de' }).first().click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('ulrike.brandt@example.de');
    await page.close();
  });

  it('the agent adds a pinned note and sees it in the timeline and pinned on top within 2 s', async () => {
    const page = await agentPage();
    await openCustomer(page, '0160 7700111', 'Ulrike Brandt');
    await page.getByLabel('Note', { exact: true }).fill('Rückruf zugesagt, Gutschrift veranlasst');
    await page.getByLabel('Pin for every colleague').check();
    const started = Date.now();
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.getByTestId('timeline-item').filter({ hasText: 'Rückruf zugesagt' });
    await note.first().waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - started;
    await expect
      .poll(() => page.getByTestId('pinned-notes').textContent(), { timeout: 5_000 })
      .toContain('Rückruf zugesagt');
    expect(elapsed).toBeLessThan(2_000);
    await page.close();
  });

  it('searches inside the timeline', async () => {
    const page = await agentPage();
    await openCustomer(page, 'Ulrike Brandt', 'Ulrike Brandt');
    await expect
      .poll(() => page.getByTestId('timeline-item').count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    // The types of the touchpoints shown, e.g. "ticket" (the previous answer stays until the next one arrives).
    const shown = async () =>
      (
        await page
          .getByTestId('timeline-item')
          .evaluateAll((items) => items.map((i) => i.getAttribute('data-type')))
      ).join(',');
    await page.getByTestId('timeline-search').fill('rechnung doppelt');
    await expect.poll(shown, { timeout: 10_000 }).toBe('ticket');
    await page.getByTestId('timeline-search').fill('wasserkocher');
    await expect.poll(shown, { timeout: 10_000 }).toBe('order');
    await page.getByTestId('timeline-search').fill('nichts dergleichen');
    await expect
      .poll(() => page.getByTestId('timeline').textContent(), { timeout: 10_000 })
      .toContain('matching “nichts dergleichen”');
    await page.close();
  });

  it('lists the recent lookups on the empty search page, newest first, and opens one', async () => {
    const page = await agentPage();
    await openCustomer(page, 'K-710003', 'Mara Vogt');
    await openCustomer(page, 'K-710001', 'Ulrike Brandt');
    await page.goto(`${p.url}/`);
    const lookups = page.getByTestId('recent-lookup');
    await expect
      .poll(() => lookups.first().textContent(), { timeout: 10_000 })
      .toContain('Ulrike Brandt');
    expect(await lookups.nth(1).textContent()).toContain('K-710003');
    await lookups.nth(1).click();
    await expect
      .poll(() => page.getByTestId('profile-header').textContent(), { timeout: 10_000 })
      .toContain('Gera');
    await page.close();
  });
});
