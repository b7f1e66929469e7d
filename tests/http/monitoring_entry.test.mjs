// SPDX-License-Identifier: AGPL-3.0-or-later
// Data entry through the API: the Cork coordinator puts values as JSON (with
// the session's CSRF header, and with a Bearer token without one) and as the
// wide CSV template; a correction adds a version that GET lists with who and
// when; a bad batch (out of range, unknown measurement, a formula cell, not a
// CSV) is refused whole with every problem listed and nothing written;
// another city's values, another role, and no login are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let coord;
let admin;
let norole;
const YEAR = 2025;
const URL_CORK = '/api/v1/cities/cork/observations';

before(async () => {
  srv = await startServer();
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  norole = new Client(srv.base);
  await norole.login(DEMO.norole);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

async function list(client, slug = 'cork', year = YEAR) {
  const r = await client.get(`/api/v1/cities/${slug}/observations?year=${year}`);
  assert.equal(r.status, 200);
  return r.json();
}


async function putCsvBody(client, text, year = YEAR, slug = 'cork') {
  const r = await fetch(`${srv.base}/api/v1/cities/${slug}/observations?year=${year}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': client.csrf, Cookie: client.cookieHeader() },
    body: text,
  });
  return r;
}

test('JSON values are written, and a correction adds a version with who and when', async () => {
  let r = await coord.req('PUT', URL_CORK, {
    json: { year: YEAR, values: [
      { code: '1.1.1.a', value: 92.5, source: 'National census 2022' },
      { code: '1.1.1.b', value: '12', note: 'estimate' },
    ] },
  });
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), { city: 'cork', year: YEAR, rows: 2, written: 2, corrected: 0, unchanged: 0 });

  r = await coord.req('PUT', URL_CORK, { json: { year: YEAR, values: [
    { code: '1.1.1.a', value: 93, source: 'National census 2022', note: 'corrected' },
    { code: '1.1.1.b', value: '12', note: 'estimate' },
  ] } });
  assert.equal(r.status, 200);
  const s = await r.json();
  assert.equal(s.written, 1);
  assert.equal(s.corrected, 1);
  assert.equal(s.unchanged, 1);

  const l = await list(coord);
  assert.equal(l.status, 'draft');
  const a = l.items.find((i) => i.code === '1.1.1.a');
  assert.equal(a.value, '93');
  assert.deepEqual(a.versions.map((v) => v.value), ['93', '92.5']);
  assert.equal(a.versions[0].author, 'Demo Coordinator (Cork)', 'a name, never an e-mail address');
  assert.match(a.versions[0].at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(a.versions[1].source, 'National census 2022');
});

test('the wide CSV template layout is accepted with the year in the query', async () => {
  const r = await putCsvBody(coord, 'code,label,unit,last_year,value,source,note\n'
    + '1.1.2.a,Turnout,%,,61.5,Electoral office,\n'
    + '1.1.2.b,x,%,,,,\n');
  assert.equal(r.status, 200, await r.clone().text());
  const s = await r.json();
  assert.equal(s.written, 1);
  const l = await list(coord);
  assert.equal(l.items.find((i) => i.code === '1.1.2.a').value, '61.5');
  assert.equal(l.items.find((i) => i.code === '1.1.2.b'), undefined);
});

test('a bad batch is refused whole with every problem listed, nothing written', async () => {
  const before = JSON.stringify(await list(coord));
  let r = await coord.req('PUT', URL_CORK, { json: { year: YEAR, values: [
    { code: '1.1.3.a', value: 50 },
    { code: '1.1.1.a', value: 192.5 },
    { code: '9.9.9.z', value: 1 },
  ] } });
  assert.equal(r.status, 422);
  let j = await r.json();
  assert.equal(j.problems.length, 2);
  assert.deepEqual(j.problems.map((p) => [p.row, p.field]), [[2, 'value'], [3, 'code']]);
  assert.match(j.problems[0].message, /0 to 100/);

  r = await putCsvBody(coord, 'code,value\n1.1.3.a,40\n1.1.3.b,=1+1\n');
  assert.equal(r.status, 422);
  j = await r.json();
  assert.equal(j.problems.length, 1);
  assert.equal(j.problems[0].row, 3);
  assert.match(j.problems[0].message, /formula/);

  r = await putCsvBody(coord, 'city,code\nthis is not, a template\n');
  assert.equal(r.status, 422);
  assert.ok((await r.json()).problems.length >= 1);

  r = await coord.req('PUT', URL_CORK, { json: { year: 1800, values: [{ code: '1.1.3.a', value: 1 }] } });
  assert.equal(r.status, 422);

  assert.equal(JSON.stringify(await list(coord)), before);
});

test('malformed requests are 400', async () => {
  let r = await coord.req('PUT', URL_CORK, { json: { values: [] } });
  assert.equal(r.status, 400);
  r = await putCsvBody(coord, 'code,value\n1.1.3.a,40\n', '');
  assert.equal(r.status, 400);
  r = await coord.get('/api/v1/cities/cork/observations');
  assert.equal(r.status, 400);
});

test('a Bearer token works without a CSRF header; a session without one is refused', async () => {
  let r = await coord.req('POST', '/api/v1/tokens', { json: { name: 'entry', expires_days: 1 } });
  assert.equal(r.status, 201);
  const { token } = await r.json();
  r = await fetch(srv.base + URL_CORK, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ year: YEAR, values: [{ code: '1.1.4.a', value: '77' }] }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await r.json()).written, 1);

  r = await coord.req('PUT', URL_CORK, { json: { year: YEAR, values: [{ code: '1.1.4.a', value: '78' }] }, csrf: null });
  assert.equal(r.status, 403);
  const l = await list(coord);
  assert.equal(l.items.find((i) => i.code === '1.1.4.a').value, '77');
});

test('permissions: another city, another role, no login', async () => {
  let r = await coord.req('PUT', '/api/v1/cities/amman/observations', { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 50 }] } });
  assert.equal(r.status, 403);
  // Refused on the city before any value is looked at.
  assert.match((await r.json()).error.message, /may not do this/);

  r = await norole.req('PUT', URL_CORK, { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 50 }] } });
  assert.equal(r.status, 403);

  const anon = new Client(srv.base);
  r = await anon.req('PUT', URL_CORK, { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 50 }] } });
  assert.ok(r.status === 401 || r.status === 403, String(r.status));
  r = await anon.get(`${URL_CORK}?year=${YEAR}`);
  assert.equal(r.status, 401);
  r = await norole.get(`${URL_CORK}?year=${YEAR}`);
  assert.equal(r.status, 403);

  // The secretariat may read and enter a city's draft values.
  const l = await list(admin);
  assert.equal(l.items.find((i) => i.code === '1.1.1.a').value, '93');
  const c = await list(coord);
  assert.equal(c.items.find((i) => i.code === '1.1.1.a').value, '93');
});

test('submit, return with a comment, correct, approve; the exports hold the approved values', async () => {
  const step = (client, slug, what, json) => client.req('POST', `/api/v1/cities/${slug}/years/${YEAR}/${what}`, { json: json ?? {} });
  // Nobody but the secretariat reviews; nothing is approved before it is submitted.
  let r = await step(admin, 'cork', 'approve');
  assert.equal(r.status, 409);
  r = await step(coord, 'cork', 'submit');
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await r.json()).status, 'submitted');
  r = await step(coord, 'cork', 'approve');
  assert.equal(r.status, 403);
  r = await step(admin, 'cork', 'return', { comment: '' });
  assert.equal(r.status, 422);
  r = await step(admin, 'cork', 'return', { comment: 'Please check the literacy rate.' });
  assert.equal(r.status, 200);
  const ret = await r.json();
  assert.equal(ret.status, 'returned');
  assert.equal(ret.comment, 'Please check the literacy rate.');
  // The coordinator reads the comment on the year's overview.
  const over = await (await coord.get(`/cities/cork/data/${YEAR}`)).text();
  assert.match(over, /returned<\/span>/);
  assert.match(over, /Please check the literacy rate\./);

  // The coordinator corrects; the versions stay visible.
  r = await coord.req('PUT', URL_CORK, { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 94.25, source: '+HYPERLINK("x")', note: '@note' }] } });
  assert.equal(r.status, 200, await r.clone().text());
  const l = await list(coord);
  assert.deepEqual(l.items.find((i) => i.code === '1.1.1.a').versions.map((v) => v.value), ['94.25', '93', '92.5']);
  r = await step(coord, 'cork', 'submit');
  assert.equal(r.status, 200);

  // Nothing is exported before approval.
  r = await fetch(`${srv.base}/api/v1/observations.json?year=${YEAR}`);
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).observations, []);

  r = await step(admin, 'cork', 'approve');
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'approved');
  // Approved values are frozen until returned.
  r = await coord.req('PUT', URL_CORK, { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 1 }] } });
  assert.ok(r.status === 409 || r.status === 422 || r.status === 403, String(r.status));

  // A second city, entered and approved by the secretariat, so the index has two units.
  r = await admin.req('PUT', '/api/v1/cities/amman/observations', { json: { year: YEAR, values: [
    { code: '1.1.1.a', value: 80 }, { code: '1.1.1.b', value: 20 }, { code: '1.1.2.a', value: 40 }, { code: '1.1.4.a', value: 55 },
  ] } });
  assert.equal(r.status, 200, await r.clone().text());
  r = await step(admin, 'amman', 'submit');
  assert.equal(r.status, 200, await r.clone().text());
  r = await step(admin, 'amman', 'approve');
  assert.equal(r.status, 200);

  r = await fetch(`${srv.base}/api/v1/observations.json?year=${YEAR}&city=cork`);
  const j = await r.json();
  const a = j.observations.find((o) => o.code === '1.1.1.a');
  assert.equal(a.value, '94.25');
  assert.equal(a.city, 'cork');
  assert.ok(j.observations.every((o) => o.city === 'cork'));

  r = await fetch(`${srv.base}/api/v1/observations.csv?year=${YEAR}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const csv = await r.text();
  assert.match(csv, /^city,year,code,value,unit,source,note\r\n/);
  // Text cells that a spreadsheet would run as formulas are neutralised.
  assert.match(csv, /\r\ncork,2025,1\.1\.1\.a,94\.25,%,"'\+HYPERLINK\(""x""\)","'@note"\r\n/);
  assert.match(csv, /\r\namman,2025,1\.1\.1\.a,80,%/);

  r = await fetch(`${srv.base}/api/v1/observations.csv`);
  assert.equal(r.status, 400);
});

test('the COINr export of the approved year runs through `learncity index run`', async () => {
  let r = await fetch(`${srv.base}/exports/coinr/iMeta.csv?year=${YEAR}`);
  assert.equal(r.status, 200);
  const imeta = await r.text();
  assert.match(imeta, /^iCode,iName,Level,Parent,Direction,Weight,Type\r\n/);
  assert.match(imeta, /\r\n1\.1\.1\.a,[^\r]*,1,[^,]+,1,1,Indicator\r\n/);
  r = await fetch(`${srv.base}/exports/coinr/iData.csv?year=${YEAR}`);
  assert.equal(r.status, 200);
  const idata = await r.text();
  const lines = idata.trim().split('\r\n');
  assert.match(lines[0], /^uCode,uName,1\.1\.1\.a,/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['amman', 'cork']);
  const head = lines[0].split(',');
  const cork = lines[2].split(',');
  assert.equal(cork[head.indexOf('1.1.1.a')], '94.25');
  assert.equal(cork[head.indexOf('1.1.3.a')], 'NA');

  const dir = mkdtempSync(path.join(tmpdir(), 'lc-coinr-'));
  try {
    writeFileSync(path.join(dir, 'iData.csv'), idata);
    writeFileSync(path.join(dir, 'iMeta.csv'), imeta);
    writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ steps: [
      { op: 'normalise', method: 'minmax', lo: 0, hi: 100 }, { op: 'aggregate', method: 'arithmetic' }] }));
    const out = path.join(dir, 'out');
    execFileSync(BIN, ['index', 'run', '--idata', path.join(dir, 'iData.csv'), '--imeta', path.join(dir, 'iMeta.csv'),
      '--spec', path.join(dir, 'spec.json'), '--out', out], { stdio: 'pipe' });
    const files = readdirSync(out);
    assert.ok(files.length > 0);
    const all = files.map((f) => readFileSync(path.join(out, f), 'utf8')).join('\n');
    assert.match(all, /cork/);
    assert.match(all, /amman/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  r = await fetch(`${srv.base}/exports/coinr/iData.csv`);
  assert.equal(r.status, 400);
});

test('the entry form of an area: fields with unit, type, range and last year; errors next to fields; versions', async () => {
  // With biennial reporting the latest earlier value is two years back: 2024's, for 2026.
  let b = await coord.get('/cities/cork/data/2026/1.2');
  assert.equal(b.status, 200);
  assert.match(await b.text(), /Latest earlier value<\/dt><dd>[^<—]+ <span class="muted small">\(2024\)<\/span>/);
  // 2022 and 2024 hold the demo's approved synthetic cycle: use years without it.
  const FY = 2021;
  const url = `/cities/cork/data/${FY}/1.2`;
  // Last year's value is shown beside the field.
  let r = await coord.req('PUT', URL_CORK, { json: { year: FY - 1, values: [{ code: '1.2.1.a', value: 41 }] } });
  assert.equal(r.status, 200, await r.clone().text());
  r = await coord.get(url);
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /<legend><code>1\.2\.1\.a<\/code>/);
  assert.match(html, /Latest earlier value<\/dt><dd>41 <span class="muted small">\(2020\)<\/span><\/dd>/);
  assert.match(html, /name="v_1\.2\.1\.a"/);
  await coord.csrfFrom(url);

  // A bad value: the page comes back with the error next to its field and what was typed kept;
  // the bad value is not written, the good one beside it is (one bad field loses nothing else).
  r = await coord.post(url, { form: { 'v_1.2.1.a': '140', 's_1.2.1.a': 'Survey', 'v_1.2.1.b': '5' } });
  assert.equal(r.status, 422);
  html = await r.text();
  assert.match(html, /<p class="field-error" id="e_v_1\.2\.1\.a">[^<]*0 to 100/);
  assert.match(html, /value="140"/);
  assert.match(html, /The values without a problem were saved: 1\./);
  let l = await list(coord, 'cork', FY);
  assert.deepEqual(l.items.map((i) => [i.code, i.value]), [['1.2.1.b', '5']]);

  r = await coord.post(url, { form: { 'v_1.2.1.a': '45', 's_1.2.1.a': 'Survey', 'v_1.2.1.b': '5' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${url}?saved=1`);
  r = await coord.post(url, { form: { 'v_1.2.1.a': '46', 's_1.2.1.a': 'Survey 2', 'v_1.2.1.b': '5' } });
  assert.equal(r.status, 303);
  html = await (await coord.get(`${url}?saved=1`)).text();
  assert.match(html, /The values were saved/);
  assert.match(html, /All versions/);
  assert.match(html, /<tr class="current"><td>2<\/td><td>46<\/td><td>Survey 2<\/td><td>Demo Coordinator \(Cork\)<\/td>/);
  assert.match(html, /<tr><td>1<\/td><td>45<\/td>/);
  l = await list(coord, 'cork', FY);
  assert.equal(l.items.find((i) => i.code === '1.2.1.a').versions.length, 2);

  // Another city's form, an unknown area, no login, a forged form.
  assert.equal((await coord.get(`/cities/amman/data/${FY}/1.2`)).status, 403);
  // Saving nothing for another city is refused too, not answered "saved".
  r = await coord.post(`/cities/amman/data/${FY}/1.2`, { form: {} });
  assert.equal(r.status, 403);
  r = await coord.req('PUT', '/api/v1/cities/amman/observations', { json: { year: FY, values: [] } });
  assert.equal(r.status, 403);
  assert.equal((await coord.get(`/cities/cork/data/${FY}/9.9`)).status, 404);
  r = await new Client(srv.base).get(url);
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login/);
  r = await coord.post(url, { form: { 'v_1.2.1.a': '1' }, csrf: 'x'.repeat(43) });
  assert.equal(r.status, 403);
});

test('the overview of a year: status, the returned comment, the areas with completeness', async () => {
  let r = await coord.get(`/cities/cork/data/${YEAR}`);
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<span class="badge">approved<\/span>/);
  assert.equal((html.match(/<meter /g) || []).length, 12);
  assert.match(html, /<a href="\/cities\/cork\/data\/2025\/1\.1"><code>1\.1<\/code>/);
  assert.match(html, /<meter min="0" max="8" value="4">/);
  assert.equal((await coord.get('/cities/amman/data/2021')).status, 403);
  assert.equal((await coord.get('/cities/cork/data/19')).status, 404);
  r = await new Client(srv.base).get('/cities/cork/data/2021');
  assert.equal(r.status, 303);
});

test('the coordinator submits a year from its overview', async () => {
  const url = '/cities/cork/data/2021';
  let html = await (await coord.get(url)).text();
  assert.match(html, /Submit the year for review/);
  await coord.csrfFrom(url);
  let r = await coord.post(`${url}/submit`, { form: {}, csrf: 'y'.repeat(43) });
  assert.equal(r.status, 403);
  r = await coord.post(`${url}/submit`, { form: {} });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${url}?submitted=1`);
  html = await (await coord.get(`${url}?submitted=1`)).text();
  assert.match(html, /The year was submitted for review\./);
  assert.match(html, /<span class="badge">submitted<\/span>/);
  assert.doesNotMatch(html, /Submit the year for review/);
  r = await coord.post(`${url}/submit`, { form: {} });
  assert.equal(r.status, 409);
  // A year without any value cannot be submitted.
  r = await coord.post('/cities/cork/data/2019/submit', { form: {} });
  assert.ok(r.status === 422 || r.status === 409, String(r.status));
  assert.equal((await coord.post('/cities/amman/data/2021/submit', { form: {} })).status, 403);
});

test('an approved year shows its values without a form that would only refuse; its state by name', async () => {
  let html = await (await coord.get('/cities/cork/data/2024/1.2')).text();
  assert.match(html, /This year is approved/);
  assert.match(html, /<fieldset class="plain" disabled>/);
  assert.doesNotMatch(html, /<button type="submit">Save/);
  assert.match(html, /<span class="badge state-approved">approved<\/span>/);
  html = await (await coord.get('/cities/cork/data/2024/1.2?lang=fr')).text();
  assert.match(html, /<span class="badge state-approved">approuvée<\/span>/);
  assert.match(html, /Cette année est approuvée/);
  // A draft year keeps its form.
  html = await (await coord.get('/cities/cork/data/2023/1.2?lang=en')).text();
  assert.doesNotMatch(html, /disabled/);
  assert.match(html, /<span class="badge state-draft">draft<\/span>/);
});
