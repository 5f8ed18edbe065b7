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

const noteAt = (
  source: string,
  id: string,
  occurredAt: string,
  customer: Record<string, unknown>,
) => ({ ...note(source, id, customer), occurredAt });

// One customer written messily by two sources: the CRM in capitals with a prefixed postal code, the shop
// with an email it later replaced (former) — joined by the customer number.
const messy = {
  crm: noteAt('crm', 'E-1', '2026-10-08T10:00:00Z', {
    customerNumber: 'K-88004',
    firstName: 'anna',
    lastName: 'VOGEL',
    address: {
      street: 'LINDENSTR. 4',
      postalCode: 'D-80331',
      city: 'MÜNCHEN',
      country: 'Deutschland',
    },
  }),
  shopOld: noteAt('shop', 'E-2', '2026-10-01T10:00:00Z', {
    customerNumber: 'K-88004',
    externalId: 'u-88004',
    email: 'Anna.Vogel@Example.org',
    phone: '0170 / 123 45-67',
  }),
  shopOldAgain: noteAt('shop', 'E-3', '2026-10-03T10:00:00Z', {
    externalId: 'u-88004',
    email: 'ANNA.VOGEL@example.org',
  }),
  shopNew: noteAt('shop', 'E-4', '2026-10-05T10:00:00Z', {
    externalId: 'u-88004',
    email: 'anna.neu@example.org',
  }),
};

const records = {
  mergeA: note('crm', 'M-1', {
    customerNumber: 'K-88001',
    email: 'greta.holm@example.org',
    firstName: 'Greta',
    lastName: 'Holm',
    birthDate: '1971-07-07',
  }),
  mergeB: note('shop', 'M-2', {
    externalId: 'u-88001',
    email: 'g.holm@example.net',
    firstName: 'Greta',
    lastName: 'Holm',
    birthDate: '1971-07-07',
  }),
  twinA: note('crm', 'N-1', {
    customerNumber: 'K-88002',
    firstName: 'Lukas',
    lastName: 'Stein',
    birthDate: '1988-08-08',
    address: { street: 'Am Markt 1', postalCode: '20095', city: 'Hamburg', country: 'DE' },
  }),
  twinB: note('shop', 'N-2', {
    externalId: 'u-88002',
    firstName: 'Lukas',
    lastName: 'Stein',
    birthDate: '1988-08-08',
    address: { street: 'Seeweg 9', postalCode: '78462', city: 'Konstanz', country: 'DE' },
  }),
  right: note('crm', 'S-1', {
    customerNumber: 'K-88003',
    email: 'familie.brandt@example.org',
    firstName: 'Ole',
    lastName: 'Brandt',
  }),
  wrong: note('shop', 'S-2', {
    externalId: 'u-88003',
    email: 'familie.brandt@example.org',
    firstName: 'Ida',
    lastName: 'Brandt',
  }),
};

async function customerOf(tp: { source: string; id: string }): Promise<string> {
  const res = await p.request('GET', `/api/v1/touchpoints/${tp.source}/${tp.id}`, {
    role: 'agent',
  });
  return res.body.customerId as string;
}

async function logIn(page: Page, role: 'admin' | 'manager') {
  await logInAs(page, p.url, role, p.passwords[role]);
}

beforeAll(async () => {
  // Nothing merges by score here (no probability reaches 1.01): the matcher proposes both pairs
  // for the admin to decide, as it does below its automatic threshold (tests/e2e/matching.test.ts).
  p = await startPanorama({ webDist, matching: { thresholds: { review: 0.5, autoMerge: 1.01 } } });
  browser = await launchBrowser();
  const res = await p.request('POST', '/api/v1/touchpoints', {
    role: 'ingest',
    body: [...Object.values(records), ...Object.values(messy)],
  });
  expect(res.status).toBe(202);
  await p.waitUntilIndexed();
  // Profiles are rebuilt asynchronously: wait until both pairs are listed.
  const deadline = Date.now() + 15_000;
  while (
    ((await p.request('GET', '/api/v1/identity/duplicates')).body.items as unknown[]).length < 2 &&
    Date.now() < deadline
  ) {
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

    await page
      .getByRole('listitem', { name: 'Lukas Stein and Lukas Stein' })
      .getByRole('button', { name: 'Not the same' })
      .click();
    await expect.poll(() => pairs.count(), { timeout: 10_000 }).toBe(1);
    expect(await customerOf(records.twinA)).not.toBe(await customerOf(records.twinB));

    await page
      .getByRole('listitem', { name: 'Greta Holm and Greta Holm' })
      .getByRole('button', { name: 'Merge' })
      .click();
    await expect
      .poll(() => page.getByTestId('no-duplicates').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await customerOf(records.mergeA)).toBe(await customerOf(records.mergeB));
    await expect
      .poll(() => page.getByTestId('identity-action').count(), { timeout: 10_000 })
      .toBe(2);
    await page.close();
  });

  it('an admin sees why records are one profile, splits a wrongly merged record out, and undoes the split', async () => {
    const id = await customerOf(records.right);
    expect(await customerOf(records.wrong)).toBe(id);
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.goto(`${p.url}/identity/customers/${id}`);
    const link = page.getByTestId('identity-link').first();
    await expect
      .poll(() => link.textContent(), { timeout: 15_000 })
      .toContain('familie.brandt@example.org seen in crm:S-1 and shop:S-2');
    await expect
      .poll(() => page.getByTestId('field-source').first().textContent())
      .toContain('from');

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

  it('the 360 profile explains why its records are one customer and where every value came from, showing how sources wrote them', async () => {
    const id = await customerOf(messy.crm);
    expect(await customerOf(messy.shopNew)).toBe(id);
    const page = await browser.newPage();
    await logIn(page, 'admin');
    await page.goto(`${p.url}/customers/${id}`);
    const why = page.getByRole('region', { name: 'Why these records are one customer' });
    const links = why.getByTestId('profile-identity-link');
    await expect
      .poll(() => links.allTextContents(), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('customer number K88004 seen in crm:E-1 and shop:E-2'),
          expect.stringContaining(
            'external id shop:u-88004 seen in shop:E-2, shop:E-3 and shop:E-4',
          ),
        ]),
      );
    // The email the shop replaced still joins its records, marked as former.
    const former = links.filter({ hasText: 'anna.vogel@example.org' });
    expect(await former.textContent()).toContain('former');
    expect(await former.textContent()).toContain('seen in shop:E-2 and shop:E-3');
    expect(await links.filter({ hasText: 'customer number' }).textContent()).not.toContain(
      'former',
    );

    // Standardized values, each saying where it came from and how the source wrote it.
    const name = page.getByTestId('sourced-name');
    expect(await name.getAttribute('title')).toContain('from crm · record crm:E-1');
    expect(await name.textContent()).toContain('Anna Vogel');
    expect(await page.getByTestId('written-name').textContent()).toBe('as written: “anna VOGEL”');
    const address = page.getByTestId('sourced-address');
    expect(await address.textContent()).toContain('Lindenstr. 4, 80331 München, DE');
    expect(await address.getAttribute('title')).toContain('record crm:E-1');
    expect(await page.getByTestId('written-address').textContent()).toBe(
      'as written: “LINDENSTR. 4, D-80331 MÜNCHEN, Deutschland”',
    );
    const identities = page.getByTestId('identities');
    const phone = identities.getByTestId('sourced-phone');
    expect(await phone.textContent()).toContain('+491701234567');
    expect(await phone.getAttribute('title')).toContain('seen in shop:E-2');
    expect(await identities.getByTestId('written-phone').textContent()).toBe(
      'as written: “0170 / 123 45-67”',
    );
    const email = identities
      .getByTestId('sourced-email')
      .filter({ hasText: 'anna.vogel@example.org' });
    expect(await email.getByTestId('written-email').textContent()).toBe(
      'as written: “ANNA.VOGEL@example.org”',
    );
    expect(await identities.getByTestId('sourced-customerNumber').getAttribute('title')).toContain(
      'record crm:E-1',
    );
    expect(await identities.getByTestId('sourced-externalId').getAttribute('title')).toContain(
      'from shop',
    );

    // Admins go on to the repair page from here.
    await why.getByRole('link', { name: 'Review records and repair' }).click();
    await page.waitForURL(new RegExp(`/identity/customers/${id}`), { timeout: 10_000 });
    // The repair page marks the replaced email as former too, and the customer number not.
    const repairLinks = page.getByTestId('identity-link');
    await expect
      .poll(() => repairLinks.filter({ hasText: 'anna.vogel@example.org' }).textContent(), {
        timeout: 10_000,
      })
      .toContain('former');
    expect(await repairLinks.filter({ hasText: 'customer number' }).textContent()).not.toContain(
      'former',
    );
    await page.close();
  });

  it('a manager watches the data-quality page refresh by itself when a source sends invalid values', async () => {
    const page = await browser.newPage();
    await logIn(page, 'manager');
    await page.getByRole('link', { name: 'Data quality' }).click();
    await expect
      .poll(() => page.getByTestId('dq-valid-email').textContent(), { timeout: 15_000 })
      .toContain('%');
    const worst = page.getByRole('table', { name: 'Worst sources' });
    expect(await worst.textContent()).not.toContain('legacy');
    const res = await p.request('POST', '/api/v1/touchpoints', {
      role: 'ingest',
      body: [
        note('legacy', 'L-1', {
          externalId: 'L-1',
          email: 'kaputt@',
          phone: '12',
          lastName: 'Alt',
        }),
      ],
    });
    expect(res.status).toBe(202);
    await expect.poll(() => worst.textContent(), { timeout: 20_000 }).toContain('legacy');
    await page.close();
  });
});
