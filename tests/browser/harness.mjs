// SPDX-License-Identifier: AGPL-3.0-or-later
// What every browser test shares: Debian's Chromium through playwright-core
// (headless, no network of its own), screenshots into screenshots/ (looked
// at, not compared), pages that fail on any script error, and logging in
// through the real login form.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const shots = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

// A screenshot of the whole page (or of the viewport only, with full = false).
export const shot = (page, name, full = true) =>
  page.screenshot({ path: path.join(shots, name), fullPage: full });

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A page in a fresh context (its own cookies), 1280 x 900 unless options say otherwise.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(90000); // ASan builds are slow
  page.on('pageerror', (e) => { throw e; });
  return page;
}

// Logs page in as who ({email, password}) through /login; resolves on their home page.
export async function login(page, base, who) {
  await page.goto(base + '/login');
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/home/);
}

// A fresh page logged in as who.
export async function loggedIn(browser, base, who, options = {}) {
  const page = await newPage(browser, options);
  await login(page, base, who);
  return page;
}
