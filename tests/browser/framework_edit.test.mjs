// SPDX-License-Identifier: AGPL-3.0-or-later
// Editing the framework in real Chromium: the secretariat opens the framework
// administration, creates a draft copy of the current version, edits a
// measurement's label and goalposts (first with a mistake, shown next to its
// field), adds and removes a measurement (with a confirmation), publishes the
// draft (with a confirmation), and the public /framework page shows the change
// while the earlier version stays readable. Screenshots land in
// tests/browser/screenshots/ for a human to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { launch, shot, shots, login, newPage } from './harness.mjs';

const shotTop = (page, name) => page.screenshot({ path: path.join(shots, name) });
let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});


test('admin drafts a version, edits a measurement, publishes; /framework shows it', async () => {
  const page = await newPage(browser);
  await login(page, srv.base, DEMO.admin);

  await page.goto(srv.base + '/admin/users');
  await page.getByRole('link', { name: 'Framework', exact: true }).click();
  await page.waitForURL(/\/admin\/framework$/);
  assert.ok(await page.getByRole('cell', { name: 'kflc-2013' }).isVisible());
  // A pasted file with mistakes is refused with every problem in a table.
  const imp = page.locator('form[action="/admin/framework/import"]');
  await imp.getByLabel('Code').fill('pasted');
  await imp.getByLabel('File content (JSON or CSV)').fill(
    'part_code,part_title_en,area_code,area_title_en,feature_code,feature_title_en,code,label_en,direction,type,goalpost_low,goalpost_high\n' +
    '1,Part,1.1,Area,1.1.1,Feature,m1,One,higher_is_better,percentage,0,100\n' +
    '1,Part,1.1,Area,1.1.1,Feature,m2,,up,number,ten,5\n');
  await page.getByRole('button', { name: 'Import as a draft' }).click();
  await page.getByText('The file was refused; nothing was written.').waitFor();
  assert.equal(await page.locator('#import-h ~ div table tbody tr').count(), 3);
  await shot(page, 'framework-import-problems.png');
  const draft = page.locator('form[action="/admin/framework/drafts"]');
  await draft.getByLabel('Code').fill('kflc-2026');
  await draft.getByLabel('Title in English').fill('Key Features of Learning Cities (2026 revision)');
  await draft.getByLabel('Title in French').fill('Caractéristiques clés des villes apprenantes (révision 2026)');
  await shot(page, 'framework-admin.png');
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await page.waitForURL(/\/admin\/framework\/kflc-2026\?done=draft/);
  assert.ok(await page.getByText('The draft is created.').isVisible());
  await shotTop(page, 'framework-draft.png');

  // Edit 1.1.1.a: a goalpost mistake first, shown next to its field.
  await page.getByRole('link', { name: 'Edit 1.1.1.a' }).click();
  await page.waitForURL(/\/measurements\/\d+$/);
  await page.getByLabel('Label in English').fill('Adult literacy rate (ages 15 and over)');
  await page.getByLabel('Label in French').fill('Taux d’alphabétisation des adultes (15 ans et plus)');
  await page.getByLabel('Low goalpost').fill('ninety');
  await page.getByLabel('High goalpost').fill('99');
  await page.getByRole('button', { name: 'Save' }).click();
  const err = page.locator('#goalpost_low-error');
  await err.waitFor();
  assert.match(await err.innerText(), /number/);
  assert.equal(await page.getByLabel('Low goalpost').getAttribute('aria-invalid'), 'true');
  await shot(page, 'framework-edit-error.png');
  await page.getByLabel('Low goalpost').fill('50');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/done=saved/);
  const row = page.locator('tr', { hasText: '1.1.1.a' });
  assert.match(await row.innerText(), /Adult literacy rate \(ages 15 and over\)/);
  assert.match(await row.innerText(), /50 – 99/);

  // Add a measurement to 1.1.1, then remove it after confirming.
  await page.locator('a[href$="/measurements/new?feature=1.1.1"]').click();
  await page.getByLabel('Code').fill('1.1.1.c');
  await page.getByLabel('Label in English').fill('Adults with digital skills');
  await page.getByLabel('Type').selectOption('percentage');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/done=added/);
  assert.ok(await page.getByRole('cell', { name: 'Adults with digital skills' }).isVisible());
  await page.getByRole('link', { name: 'Remove 1.1.1.c' }).click();
  await page.waitForURL(/\/remove$/);
  assert.ok(await page.getByRole('heading', { name: 'Remove this measurement?' }).isVisible());
  await shot(page, 'framework-remove-confirm.png');
  await page.getByRole('button', { name: 'Remove the measurement' }).click();
  await page.waitForURL(/done=removed/);
  assert.equal(await page.getByRole('cell', { name: 'Adults with digital skills' }).count(), 0);

  // Publish, after a confirmation.
  await page.getByRole('link', { name: 'Publish this version' }).click();
  await page.waitForURL(/\/publish$/);
  await shot(page, 'framework-publish-confirm.png');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForURL(/done=published/);
  assert.ok(await page.getByText('The version is published and is now the current framework.').isVisible());
  assert.equal(await page.getByRole('link', { name: 'Edit 1.1.1.a' }).count(), 0, 'no more editing');

  // In French, the published version says why it no longer changes.
  await page.goto(srv.base + '/admin/framework/kflc-2026?lang=fr');
  assert.ok(await page.getByText('Cette version est publiée, et une version publiée ne change jamais', { exact: false }).isVisible());
  await page.goto(srv.base + '/admin/framework?lang=fr');
  assert.ok(await page.getByRole('heading', { name: 'Référentiel', exact: true }).isVisible());
  await shot(page, 'framework-admin-fr.png');
  await page.goto(srv.base + '/admin/framework?lang=en');

  // The public page shows the new current version; the old one stays readable.
  const pub = await newPage(browser);
  await pub.goto(srv.base + '/framework');
  assert.match(await pub.locator('main').innerText(), /Key Features of Learning Cities \(2026 revision\)/);
  await pub.locator('#area-1\\.1 summary').click();
  assert.ok(await pub.getByText('Adult literacy rate (ages 15 and over)').isVisible());
  await shot(pub, 'framework-public.png');
  await pub.getByRole('link', { name: /kflc-2013/ }).click();
  await pub.waitForURL(/version=kflc-2013/);
  assert.ok(await pub.getByText('This is not the current version of the framework.').isVisible());
  await pub.locator('#area-1\\.1 summary').click();
  assert.ok(await pub.getByText('1.1.1.a Adult literacy rate', { exact: false }).first().isVisible());
  await shotTop(pub, 'framework-public-old.png');
});
