import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
import { serviceUrls, startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

const at = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();
const day = (offsetDays: number) => at(offsetDays).slice(0, 10);

async function ingest(items: unknown[]) {
  const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: items });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
}

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  await ingest([
    {
      source: 'crm',
      id: 'P-1',
      type: 'profile',
      occurredAt: at(-60),
      customer: { customerNumber: 'K-1', firstName: 'Greta', lastName: 'Grün' },
      data: { segment: 'Basic' },
    },
    {
      source: 'crm',
      id: 'P-1b',
      type: 'profile',
      occurredAt: at(-2),
      customer: { customerNumber: 'K-1' },
      data: { segment: 'Premium' },
    },
    {
      source: 'consent',
      id: 'C-1',
      type: 'consent',
      occurredAt: at(-10),
      customer: { customerNumber: 'K-1' },
      data: { channel: 'email', granted: true },
    },
    {
      source: 'crm',
      id: 'P-2',
      type: 'profile',
      occurredAt: at(-60),
      customer: { customerNumber: 'K-2', firstName: 'Hans', lastName: 'Huber' },
      data: { segment: 'Basic' },
    },
    {
      source: 'shop',
      id: 'O-2',
      type: 'order',
      occurredAt: at(-1),
      customer: { customerNumber: 'K-2' },
      data: { orderNumber: 'O-2', total: 49, currency: 'EUR', channel: 'web' },
    },
    {
      source: 'crm',
      id: 'P-3',
      type: 'profile',
      occurredAt: at(-60),
      customer: { customerNumber: 'K-3', firstName: 'Ida', lastName: 'Imhof' },
      data: { segment: 'Premium' },
    },
    {
      source: 'consent',
      id: 'C-3',
      type: 'consent',
      occurredAt: at(-10),
      customer: { customerNumber: 'K-3' },
      data: { channel: 'email', granted: true },
    },
  ]);
});

afterAll(async () => {
  await browser?.close();
  if (!p) return;
  const queue = new Queue(`${p.prefix}-snapshots`, { connection: { url: serviceUrls().redisUrl } });
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  await p.close();
});

async function logIn(role: 'manager' | 'analyst'): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logInAs(page, p.url, role, p.passwords[role]);
  return page;
}

async function screenshotOnFailure<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await page
      .screenshot({ path: `/tmp/e2e-analytics-${name}.png`, fullPage: true })
      .catch(() => {});
    throw error;
  }
}

describe('analytics in the browser', () => {
  it('updates the manager dashboard live after a touchpoint is posted, without reloading', async () => {
    const page = await logIn('manager');
    await page.goto(`${p.url}/dashboard`);
    const customers = page.getByTestId('total-customers');
    await screenshotOnFailure(page, 'dashboard', async () => {
      await expect.poll(() => customers.textContent(), { timeout: 15_000 }).toContain('3');
      const pushesBefore = await page.getByTestId('dashboard-pushes').textContent();
      await p.request('POST', '/api/v1/touchpoints', {
        role: 'ingest',
        body: [
          {
            source: 'pbx',
            id: 'CALL-9',
            type: 'call',
            occurredAt: at(0),
            customer: { customerNumber: 'K-9', firstName: 'Jana', lastName: 'Jost' },
            data: { direction: 'inbound' },
          },
        ],
      });
      await expect.poll(() => customers.textContent(), { timeout: 15_000 }).toContain('4');
      expect(await page.getByTestId('dashboard-pushes').textContent()).not.toBe(pushesBefore);
      await expect
        .poll(() => page.getByTestId('chart-calls').locator('.recharts-bar-rectangle').count(), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
    });
    await page.context().close();
  });

  it('builds a NOT filter, saves it as a segment, and a customer enters it after a new touchpoint', async () => {
    const page = await logIn('analyst');
    await page.goto(`${p.url}/explore/builder`);
    await screenshotOnFailure(page, 'segment', async () => {
      const total = page.getByTestId('builder-total');
      // Every customer so far (the dashboard test may have added one): two of them granted email consent.
      await expect
        .poll(async () => Number(await total.textContent()), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(3);
      const everyone = Number(await total.textContent());
      await page.getByRole('button', { name: '+ Condition' }).click();
      const condition = page.getByTestId('filter-condition').first();
      await condition.getByLabel('Field').selectOption('consentGranted');
      await condition.getByLabel('Values').fill('email');
      await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('2');
      await condition.getByLabel('NOT').check();
      await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe(String(everyone - 2));
      await expect
        .poll(async () => (await page.getByTestId('builder-row').allTextContents()).join(' '), {
          timeout: 10_000,
        })
        .toContain('H. H.'); // analysts see initials (privacy masking)
      await page.getByLabel('Segment name').fill('No email consent');
      await page.getByRole('button', { name: 'Save as segment' }).click();
      await expect
        .poll(() => page.getByTestId('segment-saved').textContent(), { timeout: 10_000 })
        .toContain('No email consent');
      await p.waitUntilIndexed();

      await page.goto(`${p.url}/segments`);
      const members = page.getByTestId('segment-members').first();
      await expect
        .poll(() => members.textContent(), { timeout: 10_000 })
        .toBe(String(everyone - 2));
      // A new customer without email consent: the rebuild of its profile puts it in the segment.
      await ingest([
        {
          source: 'shop',
          id: 'O-7',
          type: 'order',
          occurredAt: at(0),
          customer: { customerNumber: 'K-7', firstName: 'Karl', lastName: 'Kurz' },
          data: { orderNumber: 'O-7', total: 5, currency: 'EUR' },
        },
      ]);
      await expect
        .poll(
          async () => {
            await page.reload();
            return page.getByTestId('segment-members').first().textContent();
          },
          { timeout: 15_000 },
        )
        .toBe(String(everyone - 1));
      await page.getByRole('button', { name: 'No email consent' }).click();
      await expect
        .poll(() => page.getByLabel('Entries and exits').textContent(), { timeout: 10_000 })
        .toContain('entered');
    });
    await page.context().close();
  });

  it('saves a marketing segment: the dialog says how many lack consent, the list shows it, and a customer who consents enters', async () => {
    const marketingConsent = (n: number, offsetDays: number) => ({
      source: 'consent',
      id: `MC-${n}`,
      type: 'consent',
      occurredAt: at(offsetDays),
      customer: { customerNumber: `K-${n}` },
      data: { channel: 'email', purpose: 'marketing', granted: true },
    });
    await ingest([marketingConsent(1, -5)]);
    const page = await logIn('analyst');
    await page.goto(`${p.url}/explore/builder`);
    await screenshotOnFailure(page, 'marketing-segment', async () => {
      await page.getByRole('button', { name: '+ Condition' }).click();
      const condition = page.getByTestId('filter-condition').first();
      await condition.getByLabel('Field').selectOption('segment');
      await condition.getByLabel('Values').fill('Premium');
      await expect
        .poll(() => page.getByTestId('builder-total').textContent(), { timeout: 10_000 })
        .toBe('2');
      await page.getByLabel('Segment name').fill('Premium mailing');
      await page.getByLabel('Segment purpose').selectOption('marketing');
      expect(await page.getByLabel('Consent for email').isChecked()).toBe(true);
      // K-1 gave marketing consent for email, K-3 only a consent without purpose: one of two is left out.
      await expect
        .poll(() => page.getByTestId('segment-consent-preview').textContent(), { timeout: 10_000 })
        .toBe('1 of 2 lack consent and will be left out');
      await page.getByRole('button', { name: 'Save as segment' }).click();
      await expect
        .poll(() => page.getByTestId('segment-saved-excluded').textContent(), { timeout: 10_000 })
        .toBe('1');
      await p.waitUntilIndexed();

      await page.goto(`${p.url}/segments`);
      const row = page.getByTestId('segment-row').filter({ hasText: 'Premium mailing' });
      await expect
        .poll(() => row.getByTestId('segment-members').textContent(), { timeout: 10_000 })
        .toBe('1');
      await expect
        .poll(() => row.getByTestId('segment-purpose').textContent(), { timeout: 10_000 })
        .toContain('marketing · email');
      expect(await row.getByTestId('segment-excluded').textContent()).toBe(
        '1 left out without consent',
      );
      // K-3 consents to email marketing: the rebuild puts them in, and nobody is left out any more.
      await ingest([marketingConsent(3, 0)]);
      await expect
        .poll(
          async () => {
            await page.reload();
            return `${await row.getByTestId('segment-members').textContent()} / ${await row.getByTestId('segment-excluded').textContent()}`;
          },
          { timeout: 15_000 },
        )
        .toBe('2 / 0 left out without consent');
    });
    await page.context().close();
  });

  it('counts the open facets with the filter and a closed facet only once it is opened', async () => {
    const page = await logIn('analyst');
    await page.goto(`${p.url}/explore/builder`);
    await screenshotOnFailure(page, 'facets', async () => {
      const segment = page.getByRole('region', { name: 'Segment', exact: true });
      await expect.poll(() => segment.textContent(), { timeout: 15_000 }).toContain('Premium');
      const salesChannel = page.getByRole('region', { name: 'Preferred sales channel' });
      const toggle = salesChannel.getByRole('button', { name: 'Preferred sales channel' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await salesChannel.textContent()).not.toContain('web');
      await toggle.click();
      await expect.poll(() => salesChannel.textContent(), { timeout: 10_000 }).toContain('web');
      // A value of an open facet becomes a condition, and every open facet follows it.
      const everyone = Number(await page.getByTestId('builder-total').textContent());
      await segment.getByRole('button', { name: /^Basic/ }).click();
      await expect
        .poll(async () => Number(await page.getByTestId('builder-total').textContent()), {
          timeout: 10_000,
        })
        .toBeLessThan(everyone);
      await expect.poll(() => segment.textContent(), { timeout: 10_000 }).not.toContain('Premium');
    });
    await page.context().close();
  });

  it('exports all matching customers as CSV with a progress indicator', async () => {
    const page = await logIn('analyst');
    await page.goto(`${p.url}/explore/builder`);
    await screenshotOnFailure(page, 'export', async () => {
      const everyone = (
        await p.request('POST', '/api/v1/analytics/query', { role: 'admin', body: {} })
      ).body.total as number;
      await expect
        .poll(() => page.getByTestId('builder-total').textContent(), { timeout: 15_000 })
        .toBe(String(everyone));
      const download = page.waitForEvent('download', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const file = await download;
      const text = readFileSync((await file.path())!, 'utf8');
      const lines = text.trim().split('\r\n');
      expect(lines).toHaveLength(everyone + 1);
      expect(lines[0]).toContain('id,name');
      expect(text).toContain('G. G.');
      expect(text).not.toContain('Greta');
      await expect
        .poll(() => page.getByTestId('export-done').textContent(), { timeout: 10_000 })
        .toContain(`${everyone} customers exported`);
    });
    await page.context().close();
  });

  it('shows the segment migration between two days and opens the customers who moved', async () => {
    const past = await p.request('POST', '/api/v1/snapshots', {
      role: 'analyst',
      body: { date: day(-30) },
    });
    expect(past.status).toBe(200);
    const page = await logIn('analyst');
    await page.goto(`${p.url}/segments`);
    await screenshotOnFailure(page, 'migration', async () => {
      await page.getByRole('button', { name: 'Snapshot today' }).click();
      await expect
        .poll(
          async () =>
            (await page.getByLabel('To day').locator('option').allTextContents()).join(' '),
          { timeout: 20_000 },
        )
        .toContain(day(0));
      await page.getByLabel('From day').selectOption(day(-30));
      await page.getByLabel('To day').selectOption(day(0));
      const cell = page.locator(
        '[data-testid="migration-cell"][data-from="Basic"][data-to="Premium"]',
      );
      await expect.poll(() => cell.textContent(), { timeout: 15_000 }).toBe('1');
      await expect
        .poll(() => page.getByTestId('migration-sankey').locator('path').count(), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
      await cell.click();
      await expect
        .poll(
          async () => (await page.getByTestId('migrated-customer').allTextContents()).join(' '),
          { timeout: 10_000 },
        )
        .toContain('G. G.');
      // The customer view over time: the profile folded as of either day.
      await page.getByRole('button', { name: `as of ${day(-30)} and ${day(0)}` }).click();
      const table = page.getByTestId('profile-then-and-now');
      await expect
        .poll(() => table.locator('tr', { hasText: 'Segment' }).textContent(), { timeout: 10_000 })
        .toBe('SegmentBasicPremium');
    });
    await page.context().close();
  });
});
