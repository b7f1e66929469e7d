// SPDX-License-Identifier: AGPL-3.0-or-later
// A nomination for the Learning City Award in real Chromium, through the
// pages only: the National Commission starts Cork's nomination (refused for
// the 2024 award, then overridden by the secretariat), the coordinator fills
// the dossier, uploads the two signed forms and sends it; the Commission
// nominates it; the secretariat sees it in the round's pipeline. At 1280 and
// 390 px; screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser, pdf;

before(async () => {
  srv = await startServer();
  browser = await launch();
  pdf = path.join(mkdtempSync(path.join(tmpdir(), 'lc-award-')), 'signed.pdf');
  writeFileSync(pdf, '%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('a nomination from the Commission\'s form to the secretariat\'s pipeline', async () => {
  const natcom = await loggedIn(browser, srv.base, DEMO.natcom, { viewport: { width: 1280, height: 900 } });
  await natcom.goto(`${srv.base}/natcom/nominations`);
  await natcom.getByLabel(/City/).fill('cork');
  await natcom.getByRole('button', { name: /Start the nomination/ }).click();
  // Cork won in 2024: the page says why, in words.
  assert.match(await natcom.locator('.notice.error').textContent(), /2024.*2030/);
  await shot(natcom, 'award-natcom-refused.png');
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  const r = await admin.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork', override: 'The 2024 award went to the city region.' } });
  assert.equal(r.status, 201);
  const id = (await r.json()).id;

  for (const [width, suffix] of [[1280, ''], [390, '-mobile']]) {
    const coord = await loggedIn(browser, srv.base, DEMO.coordinator, { viewport: { width, height: 900 } });
    await coord.goto(`${srv.base}/nominations/${id}`);
    assert.match(await coord.locator('h1').textContent(), /Cork/);
    await coord.getByLabel('General information').fill('Cork, 210,000 inhabitants, member since 2015.');
    await coord.getByLabel('Learning-city plan').fill('The Cork Learning City plan 2023–2027.');
    for (const ta of await coord.locator('textarea[name^="a_"]').all()) await ta.fill('Progress since joining, with figures.');
    await coord.getByRole('button', { name: /Save the dossier/ }).click();
    await coord.waitForURL(/done=save/);
    await coord.setInputFiles('#f-mayor', pdf);
    await coord.locator('form[action$="/files/mayor_form"] button').click();
    await coord.waitForURL(/done=file/);
    await coord.setInputFiles('#f-consent', pdf);
    await coord.locator('form[action$="/files/consent"] button').click();
    await coord.waitForURL(/done=file/);
    await shot(coord, `award-dossier${suffix}.png`);
    const scroll = await coord.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width} px`);
    await coord.context().close();
  }

  const coord = await loggedIn(browser, srv.base, DEMO.coordinator, { viewport: { width: 1280, height: 900 } });
  await coord.goto(`${srv.base}/nominations/${id}`);
  const send = coord.locator('form[action$="/transitions"]').filter({ hasText: /send to the National Commission/ });
  await send.getByRole('checkbox').check();
  await send.getByRole('button').click();
  await coord.waitForURL(/done=submitted/);
  assert.match(await coord.locator('.report-status').textContent(), /sent to the National Commission/);

  await natcom.goto(`${srv.base}/nominations/${id}`);
  const nominate = natcom.locator('form[action$="/transitions"]').filter({ hasText: /nominate/ }).first();
  await nominate.getByRole('checkbox').check();
  await nominate.getByRole('button').click();
  await natcom.waitForURL(/done=nominated/);
  await shot(natcom, 'award-nominated.png');

  const sec = await loggedIn(browser, srv.base, DEMO.admin, { viewport: { width: 1280, height: 900 } });
  await sec.goto(`${srv.base}/admin/awards/2027`);
  assert.match(await sec.locator('tbody').first().textContent(), /Cork/);
  await shot(sec, 'award-pipeline.png');
  await sec.goto(`${srv.base}/awards/2027?lang=fr`);
  assert.match(await sec.locator('main, body').first().textContent(), /Plan de ville apprenante/);
  await shot(sec, 'award-round-fr.png');
});
