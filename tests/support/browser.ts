/**
 * Launches Debian's Chromium through playwright-core (Playwright's own browser
 * download does not work here, and CI installs the `chromium` package).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Role } from '../../domain/src/api';

/** Path of the Chromium binary; override with PANORAMA_CHROMIUM. */
export const chromiumPath = process.env.PANORAMA_CHROMIUM || '/usr/bin/chromium';

/** A headless Chromium; close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      // Tests run as root in CI containers, where Chromium's sandbox cannot start.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // No background traffic: the machine may have no internet, and it keeps timings steady.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Logs a test user (username = role) in through the login page and waits until it is left. */
export async function logInAs(
  page: Page,
  url: string,
  role: Role,
  password: string,
): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill(role);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((at) => !at.pathname.startsWith('/login'), { timeout: 10_000 });
}
