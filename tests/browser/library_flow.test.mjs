// SPDX-License-Identifier: AGPL-3.0-or-later
// The case-study library in real Chromium, the flow: Cork's
// coordinator writes a case in English and French with an image (the form's
// parts, the live word count, the checks), submits; the secretariat finds it
// first in its queue and requests changes with a comment; the coordinator
// reads the comment, revises and resubmits; the secretariat publishes; a
// visitor finds it by a French word and by facets, and sees the image with
// its alt text. Screenshots of the form and the queue at 1280 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn, newPage } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const ALT = 'A boat moored by the quay, its shelves full of books';

test('write in two languages with an image, submit, changes requested, revise, publish, find', async () => {
  const coord = await loggedIn(browser, srv.base, DEMO.coordinator);
  await coord.goto(srv.base + '/library');
  await coord.getByRole('link', { name: 'Write a case study' }).click();
  await coord.waitForURL(/\/library\/new/);
  await coord.locator('#f-original').selectOption('en');
  await coord.locator('#f-title').fill('Reading boats on the river');
  await coord.getByRole('button', { name: 'Create the draft' }).click();
  await coord.waitForURL(/\/library\/\d+\/edit\?part=text/);
  const id = Number(coord.url().match(/\/library\/(\d+)\//)[1]);
  const edit = `${srv.base}/library/${id}/edit`;

  // The English text: the live word count follows the typing.
  await coord.locator('#f-summary').fill('Boats carry books to the districts along the river every week.');
  assert.equal(await coord.locator('#f-summary-count .words').textContent(), '11');
  await coord.locator('#f-context').fill('A river city whose outer districts have no library.');
  await coord.locator('#f-objectives').fill('Bring books and reading circles to every district.');
  await coord.locator('#f-activities').fill('Two boats with shelves stop at twelve quays each week.');
  await coord.locator('#f-outcomes').fill('Three thousand loans in the first year.');
  await coord.getByRole('button', { name: 'Save as draft' }).click();
  await coord.waitForURL(/done=save/);
  assert.match(await coord.locator('.notice.ok').textContent(), /Draft saved/);
  // The checks still want an area and a goal.
  assert.match(await coord.locator('ul.checks').textContent(), /area/i);

  // Period, areas and goals.
  await coord.getByRole('link', { name: 'Period, areas and goals' }).click();
  await coord.locator('#f-start').fill('2019');
  await coord.locator('input[name=areas][value=community]').check();
  await coord.locator('input[name=primary_area][value=community]').check();
  await coord.locator('input[name=sdgs][value="4"]').check();
  await coord.locator('input[name=primary_sdg][value="4"]').check();
  await coord.getByRole('button', { name: 'Save as draft' }).click();
  await coord.waitForURL(/part=about.*done=save/);

  // The French text in its own tab.
  await coord.getByRole('link', { name: /^Français/ }).click();
  await coord.waitForURL(/tl=fr/);
  assert.equal(await coord.locator('fieldset[lang=fr]').count(), 1);
  await coord.locator('#f-title').fill('Des péniches de lecture sur le fleuve');
  await coord.locator('#f-summary').fill('Des péniches apportent des livres aux quartiers chaque semaine.');
  await coord.getByRole('button', { name: 'Save as draft' }).click();
  await coord.waitForURL(/tl=fr.*done=save/);

  // The image, with its alt text.
  await coord.getByRole('link', { name: 'Images and documents' }).click();
  await coord.locator('#f-file').setInputFiles({ name: 'boat.png', mimeType: 'image/png', buffer: PNG });
  await coord.locator('#f-alt').fill(ALT);
  await coord.locator('#f-credit').fill('Demonstration image');
  await coord.getByRole('button', { name: 'Add the file' }).click();
  await coord.waitForURL(/part=files.*done=file/);
  assert.equal(await coord.locator(`ul.files img[alt="${ALT}"]`).count(), 1);
  assert.match(await coord.locator('#h-checks + p').textContent(), /Every check passes/);

  // The form at both widths.
  await coord.goto(`${edit}?part=about`);
  await shot(coord, 'library-form-1280.png');
  await coord.goto(`${edit}?part=text&tl=fr`);
  await shot(coord, 'library-form-text-1280.png');
  const phone = await loggedIn(browser, srv.base, DEMO.coordinator, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${edit}?part=about`);
  await shot(phone, 'library-form-390.png');
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 391), 'the form does not scroll sideways');

  // Submit.
  await coord.goto(`${edit}?part=text&tl=en`);
  await coord.getByRole('button', { name: 'Save and submit' }).click();
  await coord.waitForURL(new RegExp(`/library/${id}\\?done=submit`));

  // The secretariat: its queue shows the submitted case first.
  const admin = await loggedIn(browser, srv.base, DEMO.admin);
  await admin.goto(srv.base + '/admin/library');
  const first = admin.locator('tbody tr').first();
  assert.match(await first.textContent(), /Reading boats on the river/);
  await shot(admin, 'library-queue-1280.png');
  const adminPhone = await loggedIn(browser, srv.base, DEMO.admin, { viewport: { width: 390, height: 844 } });
  await adminPhone.goto(srv.base + '/admin/library');
  await shot(adminPhone, 'library-queue-390.png');
  await first.getByRole('link', { name: 'Reading boats on the river' }).click();
  await admin.waitForURL(new RegExp(`/library/${id}$`));
  const ask = admin.locator('form:has(input[name=to][value=changes_requested])');
  await ask.locator('textarea').fill('Please say how many volunteers crew the boats.');
  await ask.getByRole('button').click();
  await admin.waitForURL(/done=step/);

  // The coordinator reads the comment on the form, revises and resubmits.
  await coord.goto(`${edit}?part=text&tl=en`);
  assert.match(await coord.locator('#h-thread + blockquote').textContent(), /how many volunteers/);
  await coord.locator('#f-activities').fill('Two boats with shelves and twenty volunteers stop at twelve quays each week.');
  await coord.getByRole('button', { name: 'Save and submit' }).click();
  await coord.waitForURL(new RegExp(`/library/${id}\\?done=submit`));

  // Published by the secretariat.
  await admin.goto(`${srv.base}/library/${id}`);
  await admin.locator('form:has(input[name=to][value=published])').getByRole('button').click();
  await admin.waitForURL(/done=step/);

  // A visitor finds it by a French word, and by facets, and sees the image.
  const visitor = await newPage(browser);
  await visitor.goto(srv.base + '/library');
  await visitor.getByLabel('Search the case studies').fill('peniches');
  await visitor.getByRole('button', { name: 'Search' }).click();
  await visitor.waitForURL(/q=peniches/);
  const card = visitor.locator(`a[href="/library/${id}"]`);
  assert.equal(await card.count(), 1);
  await visitor.goto(srv.base + '/library?sdg=4&language=fr&area=community');
  assert.equal(await visitor.locator(`a[href="/library/${id}"]`).count(), 1);
  await visitor.goto(srv.base + '/library?sdg=4&language=zh');
  assert.equal(await visitor.locator(`a[href="/library/${id}"]`).count(), 0);
  await visitor.goto(`${srv.base}/library/${id}`);
  assert.equal(await visitor.locator(`img[alt="${ALT}"]`).count(), 1);
  assert.match(await visitor.locator('article[lang=fr] h2').textContent(), /péniches/);
});
