// SPDX-License-Identifier: AGPL-3.0-or-later
// A report returned again and again, in real Chromium: its page shows the
// latest steps and links to the whole history, which is paged; at 1280 and
// 390 px. Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser, report;

before(async () => {
  srv = await startServer();
  browser = await launch();
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  const coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  assert.equal((await admin.post('/api/v1/reports', { json: { year: 2026, deadline: '2027-06-30', cities: ['cork'] } })).status, 201);
  report = (await (await coord.get('/api/v1/reports')).json()).items[0].id;
  const put = await coord.req('PUT', `/api/v1/reports/${report}`, { json: { answers: {
    contact_name: 'Jane Murphy', plan_adopted: true, progress_planning: 'Renewed.', progress_involvement: 'Quarterly.',
  } } });
  assert.equal(put.status, 200);
  for (let i = 1; i <= 12; i++) {
    assert.equal((await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'submitted' } })).status, 200);
    assert.equal((await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: `Round ${i}: please add the budget.` } })).status, 200);
  }
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

for (const [width, suffix] of [[1280, ''], [390, '-mobile']]) {
  test(`the whole history of a report, page by page, at ${width} px`, async () => {
    const page = await loggedIn(browser, srv.base, DEMO.coordinator, { viewport: { width, height: 900 } });
    await page.goto(`${srv.base}/reports/${report}`);
    await page.getByRole('link', { name: /The whole history/ }).click();
    await page.waitForURL(new RegExp(`/reports/${report}/history$`));
    assert.equal(await page.locator('tbody tr').count(), 20);
    assert.match(await page.locator('tbody tr').first().textContent(), /Round 12/);
    await shot(page, `report-history${suffix}.png`);
    await page.getByRole('link', { name: /Next/ }).click();
    await page.waitForURL(/page=2/);
    assert.equal(await page.locator('tbody tr').count(), 5);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width} px`);
    await page.context().close();
  });
}
