// SPDX-License-Identifier: AGPL-3.0-or-later
// Every person finds their work, in real Chromium: each role logs in through
// the form, lands on its home page and reaches its work in one click; at 1280
// and 390 px, in English and French. Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
  // A year the coordinator began and submitted: it waits on the secretariat.
  const coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  const put = await coord.req('PUT', '/api/v1/cities/cork/observations',
    { json: { year: 2025, values: [{ code: '1.1.1.a', value: 91, source: 'Census' }] } });
  assert.equal(put.status, 200);
  assert.equal((await coord.post('/cities/cork/data/2025/submit', { form: {} })).status, 303);
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

const roles = [
  // who, the link on their home page, where it leads
  ['coordinator', /^2024$/, /\/cities\/cork\/data\/2024$/],
  ['natcom', /Applications from your countries/, /\/natcom\/applications$/],
  ['admin', /^Cork 2025$/, /\/cities\/cork\/data\/2025$/],
];

for (const [width, suffix] of [[1280, ''], [390, '-mobile']]) {
  for (const [who, link, lands] of roles) {
    test(`the ${who} lands on their home page and reaches the work in one click, at ${width} px`, async () => {
      const page = await loggedIn(browser, srv.base, DEMO[who], { viewport: { width, height: 900 } });
      assert.match(page.url(), /\/home$/);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'My work');
      await shot(page, `home-${who}${suffix}.png`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width} px`);
      await page.getByRole('link', { name: link }).first().click();
      await page.waitForURL(lands);
      await page.context().close();
    });
  }
}

test('the home page in French, and a city\'s data years with the year picker', async () => {
  const page = await loggedIn(browser, srv.base, DEMO.coordinator);
  await page.goto(srv.base + '/home?lang=fr');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Mon travail');
  await shot(page, 'home-coordinator-fr.png');
  await page.goto(srv.base + '/cities/cork/data');
  await shot(page, 'data-years.png');
  await page.getByLabel('Année').selectOption('2023');
  await page.getByRole('button', { name: 'Ouvrir l’année' }).click();
  await page.waitForURL(/\/cities\/cork\/data\/2023$/);
  await page.context().close();
});
