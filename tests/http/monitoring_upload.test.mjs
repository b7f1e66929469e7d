// SPDX-License-Identifier: AGPL-3.0-or-later
// Offline data entry over HTTP: the Cork coordinator downloads the year's
// template (XLSX and CSV), uploads good files (new, then unchanged), and
// then bad ones -- wrong columns, a wrong unit, out-of-range values, an
// unknown measurement, a template of another city, a formula cell, 10^6
// rows, a zip bomb, a DOCTYPE, a malformed multipart body, a missing CSRF
// token -- each refused with its problems listed on the page and the
// database unchanged, checked through the API. Also the XLSX export of
// approved observations against the JSON export, number for number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';
import { unzip, rezip, workbook, sheetXml, zip } from './xlsx.mjs';

const YEAR = 2025;
const BASE = `/cities/cork/data/${YEAR}`;
let srv, coord, other;

before(async () => {
  srv = await startServer();
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  other = new Client(srv.base);
  await other.login(DEMO.norole);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

// Posts a file as the browser form does (multipart, CSRF token as a field).
async function upload(client, bytes, filename, { csrf = client.csrf, path = BASE } = {}) {
  const form = new FormData();
  if (csrf) form.set('csrf', csrf);
  form.set('file', new Blob([bytes]), filename);
  const t0 = Date.now();
  const r = await fetch(srv.base + path + '/upload', {
    method: 'POST', body: form, headers: { Cookie: client.cookieHeader() }, redirect: 'manual',
  });
  let html = await r.text();
  const location = r.headers.get('location');
  // A successful upload redirects to the year page with its summary.
  if (r.status === 303) html = await (await client.get(location)).text();
  return { status: r.status, location, html, ms: Date.now() - t0 };
}

// The problems table of the page as [{row, column, field, message}].
function problems(html) {
  const table = html.match(/<table class="upload-problems">[\s\S]*?<\/table>/);
  if (!table) return [];
  return [...table[0].matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)]
    .map((m) => ({ row: m[1], column: m[2], field: m[3], message: m[4].replace(/&#39;/g, "'").replace(/&amp;/g, '&') }));
}

// Every value of the city-year with every version, through the API.
async function snapshot() {
  const r = await coord.get(`/api/v1/cities/cork/observations?year=${YEAR}`);
  assert.equal(r.status, 200);
  return JSON.stringify((await r.json()).items);
}

async function refused(bytes, name, expect) {
  const before = await snapshot();
  const r = await upload(coord, bytes, name);
  assert.equal(r.status, 422, r.html.slice(0, 400));
  assert.match(r.html, /Nothing was written/);
  const list = problems(r.html);
  assert.ok(list.length > 0, 'the problems are listed');
  for (const re of expect) assert.ok(list.some((p) => re.test(p.message)), `${re} in ${JSON.stringify(list.slice(0, 5))}`);
  assert.equal(await snapshot(), before, 'nothing written');
  return { list, ms: r.ms };
}

const csv = (rows) => Buffer.from(rows.map((r) => r.join(',')).join('\r\n') + '\r\n');

test('templates: XLSX and CSV, pre-filled, only for those who may enter the city\'s values', async () => {
  let r = await coord.get(BASE + '/template.xlsx');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /cork-2025-template\.xlsx/);
  const members = unzip(Buffer.from(await r.arrayBuffer()));
  assert.ok([...members.keys()].some((k) => /worksheets\/sheet2\.xml/.test(k)), 'a meta sheet');
  r = await coord.get(BASE + '/template.csv');
  assert.equal(r.status, 200);
  const text = await r.text();
  const lines = text.trim().split('\r\n');
  assert.equal(lines[0], 'code,label,unit,type,allowed,last_year,value,source,note');
  // Last year's values: the demo's 2024 cycle.
  assert.match(lines[1], /^1\.1\.1\.a,Adult literacy rate,%,percentage,0 to 100,[\d.]+,,,$/);
  assert.ok(lines.length > 50);
  assert.equal((await other.get(BASE + '/template.xlsx')).status, 403);
  assert.equal((await new Client(srv.base).get(BASE + '/template.csv')).status, 303);
  assert.equal((await coord.get('/cities/no-such-city/data/2025/template.csv')).status, 404);
  // The year page offers the files and the form while the year is open, not once approved.
  const page = await (await coord.get(BASE)).text();
  assert.match(page, /href="\/cities\/cork\/data\/2025\/template\.xlsx"/);
  assert.match(page, /enctype="multipart\/form-data"/);
  const approved = await (await new Client(srv.base).get('/cities/cork/data/2024')).text();
  assert.doesNotMatch(approved, /template\.xlsx|multipart/);
  // The upload's address in a browser's history leads back to the year page.
  const back = await coord.get(BASE + '/upload?lang=fr');
  assert.equal(back.status, 303);
  assert.equal(back.headers.get('location'), BASE + '?lang=fr');
  await coord.get(BASE + '?lang=en'); // the language is a cookie: back to English
});

test('a good CSV writes its values; the same file again changes nothing', async () => {
  const file = csv([['code', 'unit', 'value', 'source'], ['1.1.1.a', '%', '92.5', 'Census'],
    ['1.1.1.b', 'per 1,000', '8.7', ''], ['1.1.2.a', '%', '', '']].map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c))));
  let r = await upload(coord, file, 'good.csv');
  assert.equal(r.status, 303, r.html.slice(0, 300));
  assert.equal(r.location, '/cities/cork/data/2025?uploaded=1&new=2&changed=0&unchanged=0');
  assert.match(r.html, /2 new values, 0 corrected, 0 unchanged/);
  r = await upload(coord, file, 'good.csv');
  assert.match(r.html, /0 new values, 0 corrected, 2 unchanged/);
  // The template now carries the values; uploaded untouched, nothing changes.
  const x = Buffer.from(await (await coord.get(BASE + '/template.xlsx')).arrayBuffer());
  r = await upload(coord, x, 'template.xlsx');
  assert.equal(r.status, 303, r.html.slice(0, 300));
  assert.match(r.html, /0 new values, 0 corrected, 2 unchanged/);
  const items = JSON.parse(await snapshot());
  assert.deepEqual(items.map((i) => [i.code, i.value, i.versions.length]),
    [['1.1.1.a', '92.5', 1], ['1.1.1.b', '8.7', 1]]);
});

test('wrong columns are refused with each problem', async () => {
  const { list } = await refused(csv([['code', 'valeur'], ['1.1.1.a', '50']]), 'cols.csv',
    [/unknown column 'valeur'/, /the column 'value' is missing/]);
  assert.equal(list[0].row, '1');
});

test('a value in the wrong unit is refused, not converted', async () => {
  const { list } = await refused(csv([['code', 'unit', 'value'], ['1.1.1.a', 'per mille', '92.5']]), 'unit.csv',
    [/'per mille' is not the unit of 1\.1\.1\.a/]);
  assert.deepEqual([list[0].row, list[0].column, list[0].field], ['2', '2', 'unit']);
});

test('out-of-range values and unknown measurements: every bad row listed', async () => {
  const { list } = await refused(csv([['code', 'value'], ['1.1.1.a', '150'], ['1.1.2.a', '-3'],
    ['9.9.9.z', '1'], ['1.1.1.b', '4']]), 'range.csv',
  [/from 0 to 100/, /unknown measurement/]);
  assert.deepEqual(list.map((p) => p.row).sort(), ['2', '3', '4']);
});

test('a workbook: a formula cell and a template of another city are refused', async () => {
  const header = ['code', 'label', 'unit', 'type', 'allowed', 'last_year', 'value', 'source', 'note'];
  const formula = workbook([{ name: 'Data', rows: [header,
    ['1.1.1.a', 'Adult literacy rate', '%', 'percentage', '0 to 100', 24, { f: 'F2*2', v: 48 }, '', ''],
    ['1.1.1.b', 'x', 'per 1,000', 'number', '', '', 5, '', '']] }]);
  const { list } = await refused(formula, 'formula.xlsx', [/result of a formula/]);
  assert.deepEqual([list[0].row, list[0].column], ['2', 'G']);
  const atlantis = workbook([{ name: 'Data', rows: [header, ['1.1.1.a', '', '%', '', '', '', 50, '', '']] },
    { name: 'meta', hidden: true, rows: [['key', 'value'], ['city', 'atlantis'], ['year', '2025']] }]);
  await refused(atlantis, 'atlantis.xlsx', [/made for the city 'atlantis', not 'cork'/]);
  const lastYear = workbook([{ name: 'Data', rows: [header, ['1.1.1.a', '', '%', '', '', '', 50, '', '']] },
    { name: 'meta', hidden: true, rows: [['key', 'value'], ['city', 'cork'], ['year', '2024']] }]);
  await refused(lastYear, 'y.xlsx', [/made for the year 2024, not 2025/]);
});

test('10^6 rows are refused by a limit, quickly, with a clear message', async () => {
  const big = Buffer.from('code,value\n' + '1.1.1.a,50\n'.repeat(1_000_000));
  // The CSV reader's own cap (LC_LIMIT_CSV_ROWS) speaks first for 10^6 data rows.
  const { list, ms } = await refused(big, 'million.csv', [/more than 1000000 rows/]);
  assert.equal(list.length, 1);
  // Fewer rows, still far more than a city-year holds: the upload's limit.
  const many = Buffer.from('code,value\n' + '1.1.1.a,50\n'.repeat(20_000));
  await refused(many, 'many.csv', [/20000 rows of data: at most 10000 rows/]);
  assert.ok(ms < 5000, `took ${ms} ms`);
  // As a workbook (200,000 rows, to keep the test light) it stops at the reader's lowered cell cap.
  const rows = [['code', 'value']];
  for (let i = 0; i < 200_000; i++) rows.push(['1.1.1.a', 50]);
  const x = workbook([{ name: 'Data', xml: sheetXml(rows) }]);
  const r = await refused(x, 'million.xlsx', [/more than \d+ cells/]);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a zip bomb and a DOCTYPE are refused by the reader', async () => {
  // 300 MiB of spaces before the root element in ~300 KB: one MiB deflated
  // with a sync flush, repeated (each piece refers only to its own bytes),
  // then an empty final block; the CRC is computed piece by piece.
  const mib = Buffer.alloc(1 << 20, 0x20);
  const piece = zlib.deflateRawSync(mib, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < 300; i++) crc = zlib.crc32(mib, crc);
  const raw = Buffer.concat([...Array(300).fill(piece), Buffer.from([0x03, 0x00])]);
  const bomb = workbook([{ name: 'Data', rows: [['code', 'value']] }]);
  const members = unzip(bomb);
  const entries = [...members].map(([name, data]) => (name === 'xl/worksheets/sheet1.xml'
    ? { name, data: Buffer.alloc(0), raw, size: 300 << 20, crc }
    : { name, data }));
  assert.equal(zlib.inflateRawSync(Buffer.concat([piece, piece, Buffer.from([0x03, 0x00])])).length, 2 << 20);
  const t0 = Date.now();
  await refused(zip(entries), 'bomb.xlsx', [/zip bomb/]);
  assert.ok(Date.now() - t0 < 20000);
  const doctype = workbook([{ name: 'Data', xml: sheetXml([['code', 'value'], ['1.1.1.a', 50]],
    '<!DOCTYPE lol [<!ENTITY lol "lol">]>') }]);
  await refused(doctype, 'doctype.xlsx', [/DOCTYPE declarations are not allowed/]);
  await refused(Buffer.from('PK\x03\x04 not really a zip'), 'fake.xlsx', [/./]);
});

test('an empty form, a malformed body and a missing CSRF token write nothing', async () => {
  const before = await snapshot();
  const form = new FormData();
  form.set('csrf', coord.csrf);
  let r = await fetch(srv.base + BASE + '/upload', { method: 'POST', body: form, headers: { Cookie: coord.cookieHeader() } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /choose a CSV or XLSX file/);
  r = await fetch(srv.base + BASE + '/upload', {
    method: 'POST',
    headers: { Cookie: coord.cookieHeader(), 'Content-Type': 'multipart/form-data; boundary=XyZ' },
    body: '--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + coord.csrf + '\r\n--XyZ\r\nunclosed',
  });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Malformed multipart form/);
  const up = await upload(coord, csv([['code', 'value'], ['1.1.1.a', '1']]), 'x.csv', { csrf: null });
  assert.equal(up.status, 403);
  const up2 = await upload(other, csv([['code', 'value'], ['1.1.1.a', '1']]), 'x.csv');
  assert.equal(up2.status, 403);
  assert.equal(await snapshot(), before);
});

test('the XLSX export holds the JSON export\'s numbers exactly', async () => {
  const anon = new Client(srv.base);
  const json = await (await anon.get('/api/v1/observations.json?year=2024&city=cork')).json();
  const r = await anon.get('/exports/observations.xlsx?year=2024&city=cork');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /observations\.xlsx/);
  const m = unzip(Buffer.from(await r.arrayBuffer()));
  const xml = m.get('xl/worksheets/sheet1.xml').toString('utf8');
  const strings = [...m.get('xl/sharedStrings.xml').toString('utf8').matchAll(/<t[^>]*>(.*?)<\/t>/g)].map((x) => x[1]);
  const rows = [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/g)].slice(1).map((row) => {
    const cells = {};
    for (const c of row[1].matchAll(/<c r="([A-Z]+)\d+"( t="s")?[^>]*><v>(.*?)<\/v><\/c>/g)) cells[c[1]] = c[2] ? strings[Number(c[3])] : Number(c[3]);
    return cells;
  });
  assert.equal(rows.length, json.observations.length);
  assert.ok(rows.length > 50);
  json.observations.forEach((o, i) => {
    assert.equal(rows[i].A, o.city);
    assert.equal(rows[i].C, o.code);
    if (typeof o.number === 'number') assert.equal(rows[i].D, o.number, `${o.code}: same double`);
  });
  assert.equal((await anon.get('/exports/observations.xlsx')).status, 400);
});

test('the scores workbook: the latest run of a year, every city, rank intervals, said synthetic', async () => {
  const anon = new Client(srv.base);
  const r = await anon.get('/exports/scores.xlsx?year=2024&city=cork');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /scores\.xlsx/);
  const m = unzip(Buffer.from(await r.arrayBuffer()));
  const strings = [...m.get('xl/sharedStrings.xml').toString('utf8').matchAll(/<si>(.*?)<\/si>/g)]
    .map((x) => x[1].replace(/<[^>]+>/g, ''));
  const rows = (xml) => [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((row) => [...row[1]
    .matchAll(/<c r="[A-Z]+\d+"([^>]*)><v>(.*?)<\/v><\/c>/g)].map((c) => (/t="s"/.test(c[1]) ? strings[Number(c[2])] : Number(c[2]))));
  const [header, cork, ...rest] = rows(m.get('xl/worksheets/sheet1.xml').toString('utf8'));
  assert.equal(rest.length, 0, 'only the city asked for');
  assert.deepEqual(header.slice(0, 3), ['city', 'name', '1.1']);
  assert.deepEqual(header.slice(-5), ['index', 'rank', 'rank_q5', 'rank_median', 'rank_q95']);
  assert.equal(cork[0], 'cork');
  // The same figures as the city's monitoring page, double for double.
  const view = await (await anon.get('/api/v1/cities/cork/monitoring')).json();
  assert.equal(cork[header.indexOf('index')], view.rank.score);
  assert.deepEqual(cork.slice(-4), [view.rank.rank, view.rank.q5, view.rank.median, view.rank.q95]);
  const about = rows(m.get('xl/worksheets/sheet2.xml').toString('utf8')).flat();
  assert.ok(about.includes('SYNTHETIC DEMONSTRATION DATA, NOT STATISTICS'));
  const all = await anon.get('/exports/scores.xlsx?year=2024');
  assert.equal(all.status, 200);
  assert.equal((await anon.get('/exports/scores.xlsx?year=2023')).status, 404);
});

test('the CLI imports a downloaded workbook (city and year from its meta sheet), by content', async () => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const path = (await import('node:path')).default;
  const { BIN } = await import('./server.mjs');
  const x = Buffer.from(await (await coord.get(BASE + '/template.xlsx')).arrayBuffer());
  const members = unzip(x);
  const sheet = members.get('xl/worksheets/sheet1.xml').toString('utf8');
  const edited = sheet.replace(/(<c r="G2"[^>]*><v>)92\.5(<\/v>)/, '$192.75$2');
  assert.notEqual(edited, sheet);
  members.set('xl/worksheets/sheet1.xml', Buffer.from(edited));
  // Named .csv on purpose: the content decides.
  const file = path.join(srv.dir, 'edited.csv');
  writeFileSync(file, rezip(members));
  const out = execFileSync(BIN, ['import', 'observations', file, '--db', srv.db, '--as', DEMO.coordinator.email],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /2 value\(s\) in 1 city-year\(s\): 1 written \(1 correction\(s\)\), 1 unchanged/);
  const items = JSON.parse(await snapshot());
  assert.equal(items.find((i) => i.code === '1.1.1.a').value, '92.75');
  // Given a contradicting --city: refused, a summary line, exit 2, nothing written.
  const before = await snapshot();
  const r = spawnSync(BIN, ['import', 'observations', file, '--db', srv.db, '--city', 'medellin', '--year', '2025'],
    { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /1 problem\(s\), nothing written/);
  assert.match(r.stderr, /made for the city 'cork', not 'medellin'/);
  assert.doesNotMatch(r.stderr, /\r/, 'no progress bar when stderr is not a terminal');
  assert.equal(await snapshot(), before);
});
