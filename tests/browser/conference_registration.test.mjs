// SPDX-License-Identifier: AGPL-3.0-or-later
// Registration for a conference in real Chromium, through the pages only:
// a person registers into the demonstration conference's full expert
// category and is put on its waiting list (a form problem first, named next
// to its field); the secretariat cancels two experts' places through the
// API, which offers them in turn to the two who waited before; those decline,
// and the person, now offered the place, takes it on their registration page.
// At 1280 and 390 px; screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

const SLUG = 'demo-conference';

test('register into a full category, wait, get the freed place and take the offer', async () => {
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  const list = async (q) => (await (await admin.get(`/api/v1/conferences/${SLUG}/registrations?category=expert${q}`)).json()).items;
  const step = async (id, to, reason) => {
    const r = await admin.post(`/api/v1/conferences/${SLUG}/registrations/${id}/transitions`, { json: { to, reason } });
    assert.equal(r.status, 200, await r.text());
  };

  const page = await loggedIn(browser, srv.base, DEMO.participant, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${srv.base}/conferences/${SLUG}`);
  await shot(page, 'conference.png');
  await page.getByRole('link', { name: /Join the waiting list/ }).click();
  assert.match(await page.locator('h1').textContent(), /Expert/);
  await page.getByLabel(/Your name as you write it/).fill('Participant Démo');
  await page.getByLabel(/Organisation/).fill('Cork City Council');
  await page.getByLabel(/Country/).fill('IE');
  // The privacy box unticked: refused, the problem next to its field, what was typed kept.
  await page.getByRole('button', { name: /Join the waiting list/ }).click();
  assert.match(await page.locator('#e_privacy').textContent(), /tick this box/);
  assert.equal(await page.getByLabel(/Organisation/).inputValue(), 'Cork City Council');
  await shot(page, 'conference-register-refused.png');
  await page.getByLabel(/privacy notice/).check();
  await page.getByRole('button', { name: /Join the waiting list/ }).click();
  await page.waitForURL(/\/registrations\/\d+$/);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  assert.match(await page.locator('.facts').textContent(), /On the waiting list/);

  // Two places free one after the other; the two who waited before decline their offers.
  const approved = (await list('&state=approved'));
  await step(approved[0].id, 'cancelled', 'Cannot travel.');
  let offered = await list('&state=offered');
  assert.equal(offered.length, 1);
  assert.notEqual(offered[0].id, id);
  await step(offered[0].id, 'withdrawn');
  offered = await list('&state=offered');
  assert.notEqual(offered[0].id, id);
  await step(offered[0].id, 'withdrawn');
  offered = await list('&state=offered');
  assert.equal(offered[0].id, id);

  for (const [width, suffix] of [[390, '-mobile'], [1280, '']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${srv.base}/conferences/${SLUG}/registrations/${id}`);
    assert.match(await page.locator('.facts').textContent(), /Place offered/);
    assert.match(await page.locator('.facts').textContent(), /held for you until/);
    await shot(page, `conference-offer${suffix}.png`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `the page scrolls sideways at ${width} px (${scroll})`);
  }
  await page.getByLabel('Take the place').check();
  await page.getByLabel(/I confirm this step/).check();
  await page.getByRole('button', { name: /Take this step/ }).click();
  await page.waitForURL(/done=approved/);
  assert.match(await page.locator('.facts').textContent(), /Approved/);
  await shot(page, 'conference-approved.png');
  const v = await (await admin.get(`/api/v1/conferences/${SLUG}`)).json();
  const expert = v.categories.find((c) => c.code === 'expert');
  assert.equal(expert.used, 2);
  assert.equal(expert.waiting, 0);
});
