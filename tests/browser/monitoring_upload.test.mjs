// SPDX-License-Identifier: AGPL-3.0-or-later
// Offline data entry in real Chromium: the Cork coordinator uploads a CSV on
// the year's page, downloads the XLSX template by its link, uploads it
// untouched (nothing changes: the values through the API are identical,
// versions included), changes one value in the workbook and uploads it
// (one correction, seen in the area's form), then uploads a bad file and
// reads the listed problems. The workbook is edited with the tests' own zip
// helpers (tests/http/xlsx.mjs). Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { unzip, rezip } from '../http/xlsx.mjs';
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

test('download the template, upload it back untouched, then with one value changed', async () => {
  const page = await newPage(browser, { acceptDownloads: true });
  const context = page.context();
  await login(page, srv.base, DEMO.coordinator);
  const values = async () => {
    const r = await page.request.get(srv.base + '/api/v1/cities/cork/observations?year=2025');
    assert.equal(r.status(), 200);
    return (await r.json()).items;
  };

  // A first file: three values from a CSV.
  const year = srv.base + '/cities/cork/data/2025';
  await page.goto(year);
  const file = page.getByLabel('File to upload (.xlsx or .csv)');
  await file.setInputFiles({
    name: 'first.csv', mimeType: 'text/csv',
    buffer: Buffer.from('code,value,source\n1.1.1.a,92.5,Census 2022\n1.1.1.b,8.7,\n1.2.1.a,0.1,\n'),
  });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('#upload-result').waitFor();
  assert.match(await page.locator('#upload-result').textContent(), /3 new values, 0 corrected, 0 unchanged/);
  await shot(page, 'data-upload-csv.png');
  const first = await values();
  assert.equal(first.length, 3);

  // The template, by its link, and back untouched: nothing changes.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Template (Excel, .xlsx)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'cork-2025-template.xlsx');
  const template = readFileSync(await download.path());
  await file.setInputFiles({ name: 'cork-2025-template.xlsx', mimeType: 'application/octet-stream', buffer: template });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('#upload-result').waitFor();
  assert.match(await page.locator('#upload-result').textContent(), /0 new values, 0 corrected, 3 unchanged/);
  assert.deepEqual(await values(), first, 'values identical, no new version');
  await shot(page, 'data-upload-template-unchanged.png');

  // One value changed in the workbook (cell G of 1.1.1.a's row).
  const members = unzip(template);
  const sheet = members.get('xl/worksheets/sheet1.xml').toString('utf8');
  const edited = sheet.replace(/(<c r="G2"[^>]*><v>)92\.5(<\/v>)/, '$193.25$2');
  assert.notEqual(edited, sheet, 'the template holds 92.5 as a number in G2');
  members.set('xl/worksheets/sheet1.xml', Buffer.from(edited));
  await file.setInputFiles({ name: 'edited.xlsx', mimeType: 'application/octet-stream', buffer: rezip(members) });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('#upload-result').waitFor();
  assert.match(await page.locator('#upload-result').textContent(), /0 new values, 1 corrected, 2 unchanged/);
  const after = await values();
  const lit = after.find((i) => i.code === '1.1.1.a');
  assert.equal(lit.value, '93.25');
  assert.equal(lit.versions.length, 2);
  assert.deepEqual(after.filter((i) => i.code !== '1.1.1.a'), first.filter((i) => i.code !== '1.1.1.a'));
  await shot(page, 'data-upload-xlsx-edited.png');

  // Seen in the area's form.
  await page.goto(year + '/1.1');
  assert.equal(await page.locator('#v_1\\.1\\.1\\.a').inputValue(), '93.25');

  // A bad file: every problem listed, nothing written.
  await page.goto(year);
  await file.setInputFiles({
    name: 'bad.csv', mimeType: 'text/csv',
    buffer: Buffer.from('code,unit,value\n1.1.1.a,%,150\n9.9.9.z,,1\n1.1.1.b,per mille,3\n'),
  });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('#upload-result').waitFor();
  assert.match(await page.locator('#upload-result').textContent(), /Nothing was written/);
  assert.equal(await page.locator('table.upload-problems tbody tr').count(), 3);
  assert.deepEqual(await values(), after);
  await shot(page, 'data-upload-problems.png');

  // The same section in French.
  await page.goto(year + '?lang=fr');
  await page.getByRole('heading', { name: 'Travailler hors ligne avec un fichier' }).waitFor();
  await page.getByRole('link', { name: 'Modèle (Excel, .xlsx)' }).waitFor();
  await shot(page, 'data-year-files-fr.png');
  await context.close();
});
