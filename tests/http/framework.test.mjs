// SPDX-License-Identifier: AGPL-3.0-or-later
// Framework versions over HTTP: public export (JSON, CSV), import as a draft
// (all or nothing, every problem placed), drafts hidden from the public, the
// admin pages (new draft, edit with field errors, CSRF, publish) and the
// frozen rule, and an export -> import round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let coord;
let anon;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  anon = new Client(srv.base);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const versions = async () => (await (await admin.get('/api/v1/framework/versions?per_page=100')).json()).items;

test('the current version exports as JSON and CSV, publicly', async () => {
  const j = await anon.get('/api/v1/framework?format=json');
  assert.equal(j.status, 200);
  const doc = await j.json();
  assert.equal(doc.format, 'learncity-framework/1');
  assert.equal(doc.version.code, 'kflc-2013');
  assert.equal(doc.parts.length, 3);
  const c = await anon.get('/api/v1/framework?format=csv');
  assert.equal(c.status, 200);
  assert.match(c.headers.get('content-type'), /^text\/csv/);
  const text = await c.text();
  assert.match(text, /^part_code,part_title_en,part_title_fr,part_status,area_code,/);
  assert.ok(text.split('\n').length > 40);
  const v = await anon.get('/api/v1/framework?version=kflc-2013');
  assert.equal((await v.json()).version.is_current, true);
  assert.equal((await anon.get('/api/v1/framework?version=nope')).status, 404);
});

test('importing needs the edit_framework permission', async () => {
  const csv = await (await anon.get('/api/v1/framework?format=csv')).text();
  const headers = { 'Content-Type': 'text/csv' };
  const a = await fetch(`${srv.base}/api/v1/framework/versions?code=x1`, { method: 'POST', headers, body: csv });
  assert.equal(a.status, 401);
  const r = await coord.req('POST', '/api/v1/framework/versions?code=x1', { headers, json: undefined });
  assert.equal(r.status, 403);
  assert.equal((await coord.get('/admin/framework')).status, 403);
  assert.equal((await coord.get('/api/v1/framework/versions')).status, 403);
});

test('a bad CSV is refused whole with every problem placed', async () => {
  const before = (await versions()).length;
  const csv = await (await anon.get('/api/v1/framework?format=csv')).text();
  const lines = csv.split('\n');
  lines[1] = lines[1].replace('higher_is_better,percentage,0,100', 'upwards,percentage,zero,100');
  lines[3] = lines[3].replace(/,provisional$/, ',maybe');
  const r = await fetch(`${srv.base}/api/v1/framework/versions?code=bad-csv`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Cookie: admin.cookieHeader(), 'X-CSRF-Token': admin.csrf },
    body: lines.join('\n'),
  });
  assert.equal(r.status, 422);
  const body = await r.json();
  const find = (row, field) => body.problems.find((p) => p.row === row && p.field === field);
  assert.deepEqual(find(2, 'direction'), {
    row: 2, column: 17, field: 'direction', value: 'upwards', reason: find(2, 'direction').reason,
    code: 'err_fw_enum', args: { value: 'upwards', choices: 'higher_is_better, lower_is_better or neutral' },
  });
  assert.match(find(2, 'direction').reason, /^must be higher_is_better/);
  assert.equal(find(2, 'goalpost_low').value, 'zero');
  assert.equal(find(2, 'goalpost_low').column, 19);
  assert.equal(find(4, 'status').value, 'maybe');
  assert.equal(body.problems.length, 3);
  // The same problems in the request's language, from their codes.
  const fr = await fetch(`${srv.base}/api/v1/framework/versions?code=bad-csv&lang=fr`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Cookie: admin.cookieHeader(), 'X-CSRF-Token': admin.csrf },
    body: lines.join('\n'),
  });
  assert.equal(fr.status, 422);
  const frp = (await fr.json()).problems;
  assert.match(frp.find((p) => p.row === 2 && p.field === 'direction').reason, /^doit valoir higher_is_better/);
  assert.match(frp.find((p) => p.row === 2 && p.field === 'goalpost_low').reason, /^n’est pas un nombre/);
  assert.equal((await versions()).length, before);
  const j = await admin.post('/api/v1/framework/versions', { json: { format: 'other' } });
  assert.equal(j.status, 422);
  assert.equal((await j.json()).problems[0].field, 'format');
});

test('export -> import -> export gives the same content (JSON and CSV); drafts stay private', async () => {
  const doc = await (await anon.get('/api/v1/framework?format=json')).json();
  const r = await admin.post('/api/v1/framework/versions?code=http-json', { json: doc });
  assert.equal(r.status, 201);
  assert.equal((await r.json()).status, 'draft');
  const again = await (await admin.get('/api/v1/framework/versions/http-json')).json();
  again.version.code = doc.version.code;
  assert.deepEqual(again, doc);

  const csv = await (await anon.get('/api/v1/framework?format=csv')).text();
  const c2 = await fetch(`${srv.base}/api/v1/framework/versions?code=http-csv2&title=From%20CSV`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Cookie: admin.cookieHeader(), 'X-CSRF-Token': admin.csrf },
    body: csv,
  });
  assert.equal(c2.status, 201);
  const back = await (await admin.get('/api/v1/framework/versions/http-csv2.csv')).text();
  assert.equal(back, csv);

  // A draft is not public.
  assert.equal((await anon.get('/framework?version=http-csv2')).status, 404);
  assert.equal((await anon.get('/api/v1/framework?version=http-csv2&format=csv')).status, 404);
  assert.equal((await admin.get('/framework?version=http-csv2')).status, 200);
  const list = await versions();
  const d = list.find((v) => v.code === 'http-csv2');
  assert.equal(d.status, 'draft');
  assert.equal(d.is_current, false);
  assert.equal(d.title, 'From CSV');
});

test('the admin page imports a pasted file: problems listed in a table, or a new draft', async () => {
  const csv = await (await anon.get('/api/v1/framework?format=csv')).text();
  const bad = csv.replace(',higher_is_better,percentage,0,100,', ',higher_is_better,percentage,0,-100,');
  let r = await admin.post('/admin/framework/import', { form: { version_code: 'pasted', content: bad } });
  assert.equal(r.status, 422);
  const page = await r.text();
  assert.match(page, /The file was refused; nothing was written\./);
  assert.match(page, /<td>2<\/td><td>20<\/td><td>goalpost_high<\/td><td>-100<\/td><td>must be greater than the low goalpost<\/td>/);
  assert.ok(!(await versions()).some((v) => v.code === 'pasted'));
  r = await admin.post('/admin/framework/import', { form: { version_code: 'pasted', version_title_en: 'Pasted', content: csv } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/framework/pasted?done=imported');
  const doc = await (await anon.get('/api/v1/framework?format=json')).json();
  r = await admin.post('/admin/framework/import', { form: { version_code: 'pasted-json', content: JSON.stringify(doc) } });
  assert.equal(r.status, 303);
  const v = (await versions()).find((x) => x.code === 'pasted-json');
  assert.equal(v.status, 'draft');
  assert.equal(v.title, doc.version.title.en);
  r = await coord.post('/admin/framework/import', { form: { version_code: 'nope', content: csv } });
  assert.equal(r.status, 403);
});

test('admin pages: draft, edit with field errors, CSRF, publish, frozen afterwards', async () => {
  const list = await (await admin.get('/admin/framework')).text();
  assert.match(list, /kflc-2013/);
  assert.match(list, /name="csrf"/);
  let r = await admin.post('/admin/framework/drafts', { form: { version_code: 'bad code' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /class="field-error" id="code-error"/);
  r = await admin.post('/admin/framework/drafts', { form: { version_code: 'web-1', version_title_en: 'Web one' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/framework/web-1?done=draft');
  const page = await (await admin.get('/admin/framework/web-1')).text();
  const m = page.match(/href="\/admin\/framework\/web-1\/measurements\/(\d+)"/);
  assert.ok(m, 'an edit link');
  const edit = `/admin/framework/web-1/measurements/${m[1]}`;
  const form = await (await admin.get(edit)).text();
  assert.match(form, /name="label_en" value="Adult literacy rate"/);
  const good = { code: '1.1.1.a', label_en: 'Adult literacy rate (web)', label_fr: 'Alphabétisation', unit: '%',
    direction: 'higher_is_better', type: 'percentage', goalpost_low: '5', goalpost_high: '95', status: 'verified' };
  r = await admin.post(edit, { form: { ...good, goalpost_low: 'low', goalpost_high: '-1' } });
  assert.equal(r.status, 422);
  const bad = await r.text();
  assert.match(bad, /id="goalpost_low-error"/);
  assert.match(bad, /value="low"/);
  r = await admin.post(edit, { form: good, csrf: 'wrong' });
  assert.equal(r.status, 403);
  r = await admin.post(edit, { form: good });
  assert.equal(r.status, 303);
  // Publishing asks first, then makes it current.
  const confirm = await (await admin.get('/admin/framework/web-1/publish')).text();
  assert.match(confirm, /action="\/admin\/framework\/web-1\/publish"/);
  r = await admin.post('/admin/framework/web-1/publish', { form: {} });
  assert.equal(r.status, 303);
  const pub = await (await anon.get('/framework')).text();
  assert.match(pub, /Adult literacy rate \(web\)/);
  assert.match(pub, /href="\/framework\?version=kflc-2013"/);
  const old = await (await anon.get('/framework?version=kflc-2013')).text();
  assert.match(old, /1\.1\.1\.a Adult literacy rate </);
  assert.match(old, /This is not the current version/);
  // Published: frozen.
  r = await admin.post(edit, { form: good });
  assert.equal(r.status, 409);
  assert.equal((await admin.get(edit)).status, 409);
  assert.equal((await admin.get('/admin/framework/web-1/measurements/new?feature=1.1.1')).status, 409);
  assert.equal((await admin.get('/admin/framework/web-1/publish')).status, 409);
  r = await admin.post('/api/v1/framework/versions/web-1/publish', { json: {} });
  assert.equal(r.status, 409);
  assert.match((await r.json()).problems[0].reason, /published/);
});

test('the command line: export, import (bad and good), list, publish', async () => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = (await import('node:path')).default;
  const { BIN } = await import('./server.mjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-fw-cli-'));
  try {
    const db = path.join(dir, 'cli.db');
    execFileSync(BIN, ['init', '--db', db], { stdio: 'pipe' });
    const csv = path.join(dir, 'kflc.csv');
    execFileSync(BIN, ['framework', 'export', '--db', db, '--output', csv]);
    const text = readFileSync(csv, 'utf8');
    assert.match(text, /^part_code,/);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, text.replace(',higher_is_better,percentage,0,100,', ',up,percentage,0,100,'));
    let r = spawnSync(BIN, ['framework', 'import', bad, '--db', db, '--code', 'cli-bad'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /line 2, column 17, direction: "up": must be/);
    assert.match(r.stderr, /nothing written/);
    r = spawnSync(BIN, ['framework', 'import', csv, '--db', db, '--code', 'cli-1', '--title', 'From the CLI'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    r = spawnSync(BIN, ['framework', 'list', '--db', db], { encoding: 'utf8' });
    assert.match(r.stdout, /cli-1\s+draft/);
    assert.doesNotMatch(r.stdout, /cli-bad/);
    r = spawnSync(BIN, ['framework', 'publish', 'cli-1', '--db', db], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    r = spawnSync(BIN, ['framework', 'publish', 'cli-1', '--db', db], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /already published/);
    const again = execFileSync(BIN, ['framework', 'export', '--db', db, '--format', 'csv'], { encoding: 'utf8' });
    assert.equal(again, text);
    r = spawnSync(BIN, ['framework', 'frobnicate', '--db', db], { encoding: 'utf8' });
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the framework speaks French: parts, areas, features and measurements, its translation said to be provisional', async () => {
  const doc = await (await anon.get('/api/v1/framework?format=json')).json();
  const missing = [];
  for (const p of doc.parts) {
    if (!p.title.fr) missing.push(p.code);
    for (const a of p.areas) {
      if (!a.title.fr) missing.push(a.code);
      for (const f of a.features) {
        if (!f.title.fr) missing.push(f.code);
        for (const m of f.measurements) if (!m.label.fr) missing.push(m.code);
      }
    }
  }
  assert.deepEqual(missing, [], 'every item has its French title');
  assert.match(doc.version.note.fr, /provisoire/);
  const html = await (await anon.get('/framework', { headers: { 'Accept-Language': 'fr' } })).text();
  assert.match(html, /Autonomisation des individus et cohésion sociale/);
  assert.match(html, /Alphabétisation et compétences de base/);
});
