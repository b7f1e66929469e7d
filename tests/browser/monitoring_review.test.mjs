// SPDX-License-Identifier: AGPL-3.0-or-later
// The whole monitoring path in real Chromium, two people in two browsers:
// the Cork coordinator enters area 1.1 of 2025 by its form and submits the
// year (after a confirmation); the secretariat finds it in /admin/review and
// returns it with a comment; the coordinator reads the comment on the year's
// page, corrects a value (a new version) and submits again; the secretariat
// approves it, starts an index run for 2025 from /admin/index-runs and
// watches the progress bar to the end; Cork's profile then shows 2025.
// A last test follows a long run with JavaScript off (the page refreshes
// itself) and cancels nothing. Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

const YEAR = 2025;
let srv, browser;

// Copies a city's approved 2024 values to another city's YEAR through the API.
async function copyValues(client, from, to, skipArea = null) {
  const got = await (await client.get(`/api/v1/cities/${from}/observations?year=2024`)).json();
  const values = got.items
    .filter((i) => i.value !== null && i.value !== undefined && !(skipArea && i.code.startsWith(skipArea + '.')))
    .map((i) => ({ code: i.code, value: i.value }));
  const r = await client.req('PUT', `/api/v1/cities/${to}/observations`, { json: { year: YEAR, values } });
  assert.equal(r.status, 200, await r.text());
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  // Other cities' 2025, approved through the API, so that an index run of 2025
  // has peers; and Cork's other areas, entered by its coordinator as drafts.
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  for (const city of ['melton', 'sorocaba']) {
    await copyValues(admin, city, city);
    for (const step of ['submit', 'approve']) {
      const r = await admin.post(`/api/v1/cities/${city}/years/${YEAR}/${step}`, { json: {} });
      assert.equal(r.status, 200, await r.text());
    }
  }
  const coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  const cork = await (await admin.get('/api/v1/cities/cork/observations?year=2024')).json();
  const values = cork.items.filter((i) => i.value != null && !i.code.startsWith('1.1.'))
    .map((i) => ({ code: i.code, value: i.value }));
  const r = await coord.req('PUT', '/api/v1/cities/cork/observations', { json: { year: YEAR, values } });
  assert.equal(r.status, 200, await r.text());
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function loginPage(who, options = {}) {
  const page = await loggedIn(browser, srv.base, who, options);
  return { context: page.context(), page };
}

async function submitYear(page) {
  await page.goto(`${srv.base}/cities/cork/data/${YEAR}`);
  await page.getByRole('button', { name: 'Submit the year for review' }).click();
  await page.waitForURL(/\/submit/);
  await page.getByRole('heading', { name: 'Submit this year for review?' }).waitFor();
  return page;
}

test('enter, submit, return with a comment, correct, resubmit, approve, run, see', async () => {
  const c = await loginPage(DEMO.coordinator);
  const a = await loginPage(DEMO.admin);
  const cp = c.page, ap = a.page;

  // 1. The coordinator enters area 1.1 by its form.
  await cp.goto(`${srv.base}/cities/cork/data/${YEAR}/1.1`);
  assert.match(await cp.locator('h1').textContent(), /Individual empowerment and social cohesion – Cork 2025/);
  for (const input of await cp.locator('input[id^="v_1.1."]').all()) await input.fill('3');
  await cp.locator('#v_1\\.1\\.1\\.a').fill('88');
  await cp.locator('#s_1\\.1\\.1\\.a').fill('City survey 2025');
  await cp.getByRole('button', { name: 'Save the values' }).click();
  await cp.waitForURL(/saved=1/);

  // 2. ... and submits the year, after a confirmation.
  await submitYear(cp);
  await shot(cp, 'review-submit-confirm.png');
  await cp.getByRole('button', { name: 'Yes, submit the year' }).click();
  await cp.waitForURL(/submitted=1/);
  await cp.getByText('The year was submitted for review.').waitFor();

  // 3. The secretariat finds it in the queue and returns it with a comment.
  await ap.goto(srv.base + '/admin/review');
  const row = ap.locator('table.review-queue tbody tr', { hasText: 'Cork' });
  await row.waitFor();
  assert.match(await row.textContent(), /2025/);
  assert.match(await row.textContent(), /coordinator\.cork@example\.org/);
  await shot(ap, 'review-queue.png');
  await row.getByRole('link', { name: 'Return with a comment' }).click();
  await ap.getByRole('heading', { name: 'Return this year to the city?' }).waitFor();
  // Without a comment the browser itself refuses (required), and so would the server.
  await ap.getByRole('button', { name: 'Return the year' }).click();
  assert.equal(await ap.locator('#comment').evaluate((el) => el.validity.valueMissing), true);
  const comment = 'Please check 1.1.1.a: 88 % looks high for this indicator.';
  await ap.getByLabel('Your comment to the city').fill(comment);
  await shot(ap, 'review-return-confirm.png');
  await ap.getByRole('button', { name: 'Return the year' }).click();
  await ap.waitForURL(/done=returned/);
  await ap.getByText('The year was returned to the city with your comment.').waitFor();
  await ap.getByText('No year is waiting for review.').waitFor();

  // 4. The coordinator sees the comment first, corrects a value and resubmits.
  await cp.goto(`${srv.base}/cities/cork/data/${YEAR}`);
  const notice = cp.getByRole('alert');
  assert.match(await notice.textContent(), /The secretariat returned this year/);
  assert.match(await notice.textContent(), /88 % looks high/);
  await shot(cp, 'review-returned-overview.png');
  await cp.getByRole('link', { name: /Individual empowerment/ }).click();
  await cp.locator('#v_1\\.1\\.1\\.a').fill('78');
  await cp.getByRole('button', { name: 'Save the values' }).click();
  await cp.waitForURL(/saved=1/);
  await cp.locator('details.versions summary').first().click();
  assert.equal(await cp.locator('details.versions').first().locator('tbody tr').count(), 2);
  await submitYear(cp);
  await cp.getByRole('button', { name: 'Yes, submit the year' }).click();
  await cp.waitForURL(/submitted=1/);

  // 5. The secretariat approves it from the year's page.
  await ap.goto(`${srv.base}/cities/cork/data/${YEAR}`);
  await ap.getByRole('link', { name: 'Approve' }).click();
  await ap.getByRole('heading', { name: 'Approve this year?' }).waitFor();
  assert.match(await ap.locator('ol.history').textContent(), /88 % looks high/);
  await shot(ap, 'review-approve-confirm.png');
  await ap.getByRole('button', { name: 'Yes, approve the year' }).click();
  await ap.waitForURL(/done=approved/);
  await ap.getByText('The year was approved').waitFor();

  // 6. An index run of 2025, followed on its progress page to the end.
  await ap.getByRole('link', { name: 'Index runs' }).click();
  await ap.getByLabel('Year').selectOption(String(YEAR));
  await ap.getByLabel('Uncertainty runs').fill('5000');
  await shot(ap, 'index-runs.png');
  await ap.getByRole('button', { name: 'Start the run' }).click();
  await ap.waitForURL(/\/admin\/jobs\/\d+$/);
  await ap.locator('progress#job-progress').waitFor();
  await shot(ap, 'job-progress.png');
  await ap.getByText('The run is done: its scores are published.').waitFor({ timeout: 60000 });
  const bar = ap.locator('progress#job-progress');
  assert.equal(await bar.evaluate((el) => el.value === el.max), true);
  await shot(ap, 'job-done.png');

  // 7. Cork's profile shows 2025.
  await ap.getByRole('link', { name: 'Network dashboard 2025' }).waitFor();
  await cp.goto(srv.base + '/cities/cork/monitoring');
  assert.match(await cp.locator('#h-progress').textContent(), /2025/);
  await shot(cp, 'review-profile-2025.png');
  await c.context.close();
  await a.context.close();
});

test('without JavaScript the job page refreshes itself until the run ends', async () => {
  const a = await loginPage(DEMO.admin, { javaScriptEnabled: false });
  const ap = a.page;
  await ap.goto(srv.base + '/admin/index-runs');
  await ap.getByLabel('Year').selectOption('2024');
  await ap.getByLabel('Uncertainty runs').fill('20000');
  await ap.getByRole('button', { name: 'Start the run' }).click();
  await ap.waitForURL(/\/admin\/jobs\/\d+$/);
  const state = await ap.locator('#job').getAttribute('data-state');
  if (state === 'queued' || state === 'running') {
    await ap.getByRole('link', { name: 'Cancel the run' }).waitFor();
    // Catch it running, after a refresh or two, for the screenshot (it may end first).
    try {
      await ap.locator('#job[data-state="running"]').waitFor({ timeout: 8000 });
      await shot(ap, 'job-running-nojs.png');
    } catch { /* the run ended between two refreshes */ }
  }
  // The meta refresh (every 2 s) brings the outcome without any script.
  await ap.getByText('The run is done: its scores are published.').waitFor({ timeout: 90000 });
  assert.equal(await ap.locator('#job').getAttribute('data-state'), 'done');
  await a.context.close();
});

test('with JavaScript the progress bar moves without reloading the page', async () => {
  const a = await loginPage(DEMO.admin);
  const ap = a.page;
  await ap.goto(srv.base + '/admin/index-runs');
  await ap.getByLabel('Year').selectOption('2024');
  await ap.getByLabel('Uncertainty runs').fill('20000');
  await ap.getByRole('button', { name: 'Start the run' }).click();
  await ap.waitForURL(/\/admin\/jobs\/\d+$/);
  // job.js moves the bar in place; catch it half way when the run is slow enough.
  const moved = await ap.waitForFunction(() => {
    const bar = document.getElementById('job-progress');
    return bar && bar.value > 0 && bar.value < bar.max;
  }, null, { timeout: 10000, polling: 50 }).then(() => true, () => false);
  if (moved) await shot(ap, 'job-running.png');
  await ap.getByText('The run is done: its scores are published.').waitFor({ timeout: 90000 });
  await a.context.close();
});
