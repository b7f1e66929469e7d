// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring pages in real Chromium: a city's profile and the network
// dashboard, with and without CSS. Screenshots land in
// tests/browser/screenshots/ for a human to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../http/server.mjs';
import { launch, shots } from './harness.mjs';

let srv, browser, page;

before(async () => {
  srv = await startServer();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  page.on('pageerror', (e) => { throw e; });
});
after(async () => {
  await browser?.close();
  assert.equal(await srv.stop(), 0);
});

// Every chart on the page is an accessible image with a title and a text alternative.
async function chartsAccessible() {
  const bad = await page.$$eval('svg.lc-chart', (svgs) => svgs.filter((s) => {
    const t = s.getAttribute('aria-labelledby'), d = s.getAttribute('aria-describedby');
    return s.getAttribute('role') !== 'img' || !t || !d ||
      !document.getElementById(t)?.textContent || !document.getElementById(d)?.textContent;
  }).length);
  assert.equal(bad, 0, 'every chart has role=img, a title and a description');
}

test('a city profile opens from the city page, without JavaScript', async () => {
  await page.goto(srv.base + '/cities/cork');
  await page.getByRole('link', { name: /Monitoring profile/ }).click();
  await page.waitForURL(/\/cities\/cork\/monitoring$/);
  const h1 = await page.getByRole('heading', { level: 1 }).textContent();
  assert.match(h1, /Cork/);
  await chartsAccessible();
  await page.screenshot({ path: path.join(shots, 'monitoring-city.png'), fullPage: true });
});

test('the network dashboard is in the main navigation', async () => {
  await page.goto(srv.base + '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitoring' }).click();
  await page.waitForURL(/\/monitoring$/);
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Monitoring the network/);
  await chartsAccessible();
  await page.screenshot({ path: path.join(shots, 'monitoring-network.png'), fullPage: true });
});

test('the profile reads without CSS', async () => {
  await page.route('**/static/style.css', (r) => r.abort());
  await page.goto(srv.base + '/cities/cork/monitoring');
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Cork/);
  await page.screenshot({ path: path.join(shots, 'monitoring-city-nocss.png'), fullPage: true });
  await page.unroute('**/static/style.css');
});
