// SPDX-License-Identifier: AGPL-3.0-or-later
// Data entry in real Chromium: the Cork coordinator logs in, opens the form
// of area 1.1 for a year, types an out-of-range value and sees the error next
// to the field with nothing saved, corrects it, saves, corrects again and
// opens "All versions", then the year's overview, and submits the year.
// Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { launch, shot, login, newPage } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('a coordinator enters an area by form, sees errors next to fields, then the versions', async () => {
  const page = await newPage(browser);
  const context = page.context();
  await login(page, srv.base, DEMO.coordinator);

  const url = srv.base + '/cities/cork/data/2025/1.1';
  await page.goto(url);
  await expectHeading(page);
  const value = page.locator('#v_1\\.1\\.1\\.a');
  await value.fill('120');
  await page.locator('#s_1\\.1\\.1\\.a').fill('National census 2022');
  await page.locator('#v_1\\.1\\.1\\.b').fill('12');
  await page.getByRole('button', { name: 'Save the values' }).click();
  await page.locator('#e_v_1\\.1\\.1\\.a').waitFor();
  assert.match(await page.locator('#e_v_1\\.1\\.1\\.a').textContent(), /0 to 100/);
  assert.equal(await value.getAttribute('aria-invalid'), 'true');
  assert.equal(await value.inputValue(), '120');
  await shot(page, 'data-area-errors.png');

  await value.fill('92.5');
  await page.getByRole('button', { name: 'Save the values' }).click();
  await page.waitForURL(/saved=1/);
  await value.fill('93');
  await page.getByRole('button', { name: 'Save the values' }).click();
  await page.waitForURL(/saved=1/);
  await page.getByText('The values were saved.').waitFor();
  await page.locator('details.versions summary').first().click();
  const rows = page.locator('details.versions').first().locator('tbody tr');
  assert.equal(await rows.count(), 2);
  await shot(page, 'data-area-versions.png');

  // The year's overview: completeness per area and the submit button.
  await page.getByRole('link', { name: /Cork 2025/ }).click();
  await page.waitForURL(/\/data\/2025$/);
  assert.equal(await page.locator('table.data-areas meter').count(), 12);
  await shot(page, 'data-year.png');
  await page.getByRole('button', { name: 'Submit the year for review' }).click();
  await page.waitForURL(/\/data\/2025\/submit/);
  await page.getByRole('button', { name: 'Yes, submit the year' }).click();
  await page.waitForURL(/submitted=1/);
  await page.getByText('The year was submitted for review.').waitFor();
  await shot(page, 'data-year-submitted.png');
  await context.close();
});

async function expectHeading(page) {
  const h = await page.locator('h1').textContent();
  // The area's title and the city's name, not codes and slugs.
  assert.match(h, /1\.1 Individual empowerment and social cohesion – Cork 2025/);
}
