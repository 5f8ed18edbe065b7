/**
 * Probabilistic matching in the browser, with the real matcher in the
 * indexer: the empty queue says what to do, a full pass shows its progress,
 * the model and thresholds show, and an automatic merge is explained on the
 * repair page and the profile, and undone from there.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInAs } from '../support/browser';
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

// One person twice, sharing no identifier: a typo in the surname and the street, the city spelt otherwise.
const crm = note('crm', 'A-1', {
  customerNumber: 'K-93001',
  email: 'annegret.schmitz@example.org',
  firstName: 'Annegret',
  lastName: 'Schmitz-Kowalski',
  birthDate: '1984-07-23',
  address: { street: 'Lindenallee 17', postalCode: '50968', city: 'Köln', country: 'DE' },
});
const shop = note('shop', 'A-2', {
  externalId: 'u-93001',
  email: 'a.schmitz84@example.net',
  firstName: 'Annegret',
  lastName: 'Schmitz-Kowalsky',
  birthDate: '1984-07-23',
  address: { street: 'Lindenalle 17', postalCode: '50968', city: 'Koeln', country: 'DE' },
});

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  return res.body.customerId as string;
}

async function adminPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  await logInAs(page, p.url, 'admin', p.passwords.admin);
  await page.goto(`${p.url}${path}`);
  return page;
}

beforeAll(async () => {
  p = await startPanorama({ webDist });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('probabilistic matching in the browser', () => {
  it('an empty queue says so and offers a full pass; the pass shows its progress and the model', async () => {
    const page = await adminPage('/identity');
    const empty = page.getByTestId('no-duplicates');
    await expect
      .poll(() => empty.textContent(), { timeout: 15_000 })
      .toContain('No suspected duplicates. Run a full pass');
    const matching = page.getByTestId('matching-status');
    await expect
      .poll(() => matching.getByTestId('matching-thresholds').textContent(), { timeout: 15_000 })
      .toMatch(/Merged automatically from \d.*proposed for review from \d/);

    await empty.getByRole('button', { name: 'Run a full pass' }).click();
    const run = matching.getByTestId('matching-run');
    await expect.poll(() => run.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await run.getByTestId('matching-run-figures').textContent()).toMatch(
      /^[\d,]+ \/ [\d,]+ profiles \(\d+ %\) · [\d,]+ records\/s · [\d,]+ merged · [\d,]+ proposed$/,
    );
    expect(await page.getByRole('progressbar', { name: 'Full pass progress' }).count()).toBe(1);

    await matching.getByTestId('match-model').locator('summary').click();
    const model = page.getByRole('table', { name: 'Match model' });
    await expect.poll(() => model.locator('tbody tr').count()).toBeGreaterThan(9);
    expect(await model.textContent()).toContain('Birth date');
    await page.close();
  });

  it('an automatic merge is explained on the repair page and the profile, and undone from there', async () => {
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [crm, shop],
    });
    expect(res.status).toBe(202);
    await p.waitUntilIndexed(60_000);
    await expect
      .poll(async () => (await customerOf(crm)) === (await customerOf(shop)), {
        timeout: 30_000,
      })
      .toBe(true);
    const id = await customerOf(crm);

    // The 360 profile, for an admin: why, in one line and field by field.
    const profile = await adminPage(`/customers/${id}`);
    const onProfile = profile.getByTestId('merge-explanation');
    await expect
      .poll(() => onProfile.getByTestId('merge-headline').textContent(), { timeout: 15_000 })
      .toMatch(/^Merged automatically, 99\.\d+ %$/);
    await profile.close();

    const page = await adminPage(`/identity/customers/${id}`);
    const explanation = page.getByTestId('merge-explanation');
    await expect
      .poll(() => explanation.getByTestId('merge-headline').textContent(), { timeout: 15_000 })
      .toMatch(/^Merged automatically, 99\.\d+ %$/);
    const birthDate = explanation.locator('[data-testid=field-row][data-field=birthDate]');
    expect(await birthDate.getByTestId('field-level').textContent()).toContain('exact');
    expect(await birthDate.getAttribute('data-agreement')).toBe('agree');
    expect(await birthDate.getByTestId('field-weight').textContent()).toMatch(/^\+\d/);
    const lastName = explanation.locator('[data-testid=field-row][data-field=lastName]');
    // The values as the matcher compared them (folded).
    expect(await lastName.textContent()).toMatch(/schmitz.kowalsky/i);

    await explanation.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(async () => (await customerOf(crm)) !== (await customerOf(shop)), { timeout: 30_000 })
      .toBe(true);
    await page.close();
  });
});
