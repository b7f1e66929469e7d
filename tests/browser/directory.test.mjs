// SPDX-License-Identifier: AGPL-3.0-or-later
// A person's path through the public directory in real Chromium: open the
// home page, search the directory, filter, open a city, switch to French.
// Screenshots land in tests/browser/screenshots/ for a human to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../http/server.mjs';
import { launch, shots } from './harness.mjs';

let srv, browser, page;

before(async () => {
  srv = await startServer();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => { throw e; });
});
after(async () => {
  await browser?.close();
  assert.equal(await srv.stop(), 0);
});

test('home page shows the network', async () => {
  await page.goto(srv.base + '/');
  await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
  assert.ok(await page.getByText('Learning City Award').first().isVisible());
  await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });
});

test('search the directory and open a city', async () => {
  await page.goto(srv.base + '/cities');
  await page.getByLabel('Search by name').fill('medellin');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/q=medellin/);
  const link = page.getByRole('link', { name: 'Medellín' });
  assert.equal(await link.count(), 1);
  await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });
  await link.click();
  await page.waitForURL(/\/cities\/medellin$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Medellín');
  assert.ok(await page.getByText('Colombia').first().isVisible());
  assert.ok(await page.getByText('2019').first().isVisible());
  await page.screenshot({ path: path.join(shots, 'city.png'), fullPage: true });
});

test('a filter applies on its button, not at each change (WCAG 3.2.2), and pagination walks the list', async () => {
  await page.goto(srv.base + '/cities');
  await page.getByLabel('Region').focus();
  await page.keyboard.press('ArrowDown');
  await page.getByLabel('Region').selectOption('ARB');
  await page.waitForTimeout(300);
  assert.doesNotMatch(page.url(), /region=/, 'choosing in a select does not reload the page');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'region', 'focus stays on the select');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/region=ARB/);
  const rows = await page.locator('tbody tr').count();
  assert.ok(rows >= 8, `${rows} cities in the Arab States`);
  await page.goto(srv.base + '/cities?per_page=10');
  await page.getByRole('link', { name: /Next/ }).click();
  await page.waitForURL(/page=2/);
  assert.equal(await page.locator('tbody tr').count(), 10);
});

test('the interface switches to French', async () => {
  await page.goto(srv.base + '/cities/cork');
  await page.getByRole('link', { name: 'FR' }).click();
  await page.waitForURL(/lang=fr/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await page.screenshot({ path: path.join(shots, 'city-fr.png'), fullPage: true });
  await page.goto(srv.base + '/framework');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr', 'the cookie keeps French');
  await page.screenshot({ path: path.join(shots, 'framework-fr.png'), fullPage: true });
});
