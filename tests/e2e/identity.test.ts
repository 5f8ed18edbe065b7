import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { startPanorama, webDist, type TestPanorama } from '../support/panorama';

let p: TestPanorama;
let browser: Browser;

const note = (source: string, id: string, customer: Record<string, unknown>) => ({
  source,
  id,
  type: 'note',
  occurredAt: '2026-10-10T10:00:00Z',
  customer,
  data: { text: `note ${id}` },
});

const records = {
  mergeA: note('crm', 'M-1', { customerNumber: 'K-88001', email: 'greta.holm@example.org', firstName: 'Greta', lastName: 'Holm', birthDate: '1971-07-07' }),
  mergeB: note('shop', 'M-2', { externalId: 'u-88001', email: 'g.holm@example.net', firstName: 'Greta', lastName: 'Holm', birthDate: '1971-07-07' }),
  twinA: note('crm', 'N-1', { customerNumber: 'K-88002', firstName: 'Lukas', lastName: 'Stein', birthDate: '1988-08-08', address: { street: 'Am Markt 1', postalCode: '20095', city: 'Hamburg', country: 'DE' } }),
  twinB: note('shop', 'N-2', { externalId: 'u-88002', firstName: 'Lukas', lastName: 'Stein', birthDate: '1988-08-08', address: { street: 'Seeweg 9', postalCode: '78462', city: 'Konstanz', country: 'DE' } }),
  right: note('crm', 'S-1', { customerNumber: 'K-88003', email: 'familie.brandt@example.org', firstName: 'Ole', lastName: 'Brandt' }),
  wrong: note('shop', 'S-2', { externalId: 'u-88003', email: 'familie.brandt@example.org', firstName: 'Ida', lastName: 'Brandt' }),
};

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, { role: 'agent' });
  return res.body.customerId as string;
}

async function logIn(page: Page, role: 'admin' | 'manager') {
  await page.goto(`${p.url}/login`);
  await page.getByLabel('Username').fill(role);
  await page.getByLabel('Password').fill(p.passwords[role]);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 10_000 });
}

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', { role: 'ingest', body: Object.values(records) });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  // Profiles are rebuilt asynchronously: wait until both pairs are listed.
  const deadline = Date.now() + 15_000;
  while (((await p.request('GET', '/api/v1/identity/duplicates')).body.items as unknown[]).length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('identity review in the browser', () => {
  it('an admin reviews suspected duplicates: marks one pair "not the same" and merges the other', async () => {
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.getByRole('link', { name: 'Identity' }).click();
    const pairs = page.getByTestId('duplicate-pair');
    await expect.poll(() => pairs.count(), { timeout: 15_000 }).toBe(2);

    await page.getByRole('listitem', { name: 'Lukas Stein and Lukas Stein' }).getByRole('button', { name: 'Not the same' }).click();
    await expect.poll(() => pairs.count(), { timeout: 10_000 }).toBe(1);
    expect(await customerOf(records.twinA)).not.toBe(await customerOf(records.twinB));

    await page.getByRole('listitem', { name: 'Greta Holm and Greta Holm' }).getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => page.getByTestId('no-duplicates').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await customerOf(records.mergeA)).toBe(await customerOf(records.mergeB));
    await expect.poll(() => page.getByTestId('identity-action').count(), { timeout: 10_000 }).toBe(2);
    await page.close();
  });

  it('an admin sees why records are one profile, splits a wrongly merged record out, and undoes the split', async () => {
    const id = await customerOf(records.right);
    expect(await customerOf(records.wrong)).toBe(id);
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.goto(`${p.url}/identity/customers/${id}`);
    const link = page.getByTestId('identity-link').first();
    await expect.poll(() => link.textContent(), { timeout: 15_000 }).toContain('familie.brandt@example.org seen in crm:S-1 and shop:S-2');
    await expect.poll(() => page.getByTestId('field-source').first().textContent()).toContain('from');

    await page.getByRole('checkbox', { name: /shop:S-2/ }).check();
    await page.getByRole('button', { name: 'Split selected into a new profile' }).click();
    await page.waitForURL(/split=1/, { timeout: 10_000 });
    const other = await customerOf(records.wrong);
    expect(other).not.toBe(id);
    expect(page.url()).toContain(other);
    expect(await customerOf(records.right)).toBe(id);

    await page.getByRole('link', { name: 'Identity', exact: true }).click();
    const undo = page.getByTestId('identity-action').first().getByRole('button', { name: 'Undo' });
    await undo.click();
    await expect.poll(() => customerOf(records.wrong), { timeout: 10_000 }).toBe(id);
    await page.close();
  });

  it('a manager watches the data-quality page refresh by itself when a source sends invalid values', async () => {
    const page = await browser.newPage();
    await logIn(page, 'manager');
    await page.getByRole('link', { name: 'Data quality' }).click();
    await expect.poll(() => page.getByTestId('dq-valid-email').textContent(), { timeout: 15_000 }).toContain('%');
    const worst = page.getByRole('table', { name: 'Worst sources' });
    expect(await worst.textContent()).not.toContain('legacy');
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [note('legacy', 'L-1', { externalId: 'L-1', email: 'kaputt@', phone: '12', lastName: 'Alt' })],
    });
    expect(res.status).toBe(202);
    await expect.poll(() => worst.textContent(), { timeout: 20_000 }).toContain('legacy');
    await page.close();
  });
});
