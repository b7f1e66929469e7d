// SPDX-License-Identifier: AGPL-3.0-or-later
// The public directory against a live server: pages, JSON API, filters,
// pagination, languages, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { unzip } from './xlsx.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal(await srv.stop(), 0, 'server exits cleanly on SIGTERM'); });

const get = (p, init) => fetch(srv.base + p, init);
const json = async (p) => { const r = await get(p); assert.equal(r.status, 200, p); return r.json(); };

test('health answers ok with the version', async () => {
  const h = await json('/api/v1/health');
  assert.equal(h.status, 'ok');
  assert.match(h.version, /^\d+\.\d+\.\d+/);
});

test('home page shows the network at a glance', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html; charset=utf-8/);
  const html = await r.text();
  assert.match(html, /<html lang="en" dir="ltr">/);
  for (const s of ['Medellín', 'Jubail Industrial City', 'Learning City Award', '2024'])
    assert.ok(html.includes(s), `home mentions ${s}`);
});

test('the API lists the 57 awardee cities with all 58 awards, paginated', async () => {
  const first = await json('/api/v1/cities?award_year=2015&per_page=100');
  assert.equal(first.total, 12);
  const all = [];
  for (let page = 1; ; page++) {
    const p = await json(`/api/v1/cities?per_page=25&page=${page}`);
    assert.equal(p.per_page, 25);
    all.push(...p.items);
    if (page >= p.pages) break;
  }
  const awardees = all.filter((c) => c.award_years && c.award_years.length);
  assert.equal(awardees.length, 57);
  assert.equal(awardees.reduce((n, c) => n + c.award_years.length, 0), 58);
  const cork = all.find((c) => c.slug === 'cork');
  assert.deepEqual([...cork.award_years].sort(), [2015, 2024]);
});

test('search is accent- and case-insensitive; filters combine', async () => {
  let r = await json('/api/v1/cities?q=MEDELLIN');
  assert.deepEqual(r.items.map((c) => c.slug), ['medellin']);
  r = await json('/api/v1/cities?q=sonder');
  assert.equal(r.items[0].name, 'Sønderborg');
  r = await json('/api/v1/cities?region=ARB&award_year=2021');
  assert.equal(r.total, 3); // Al Wakra, Damietta, Jubail Industrial City
  for (const c of r.items) assert.equal(c.region.code, 'ARB');
  r = await json('/api/v1/cities?country=KR');
  assert.ok(r.items.some((c) => c.slug === 'suwon'));
  for (const c of r.items) assert.equal(c.country.code, 'KR');
});

test('sorting by name descending reverses the order', async () => {
  const a = await json('/api/v1/cities?sort=name&per_page=100');
  const d = await json('/api/v1/cities?sort=-name&per_page=100');
  assert.deepEqual(d.items.map((c) => c.slug), a.items.map((c) => c.slug).reverse());
});

test('bad parameters get 400 naming the parameter', async () => {
  for (const q of ['per_page=0', 'per_page=101', 'page=abc', 'award_year=12x', 'sort=bogus']) {
    const r = await get('/api/v1/cities?' + q);
    assert.equal(r.status, 400, q);
    const body = await r.json();
    assert.match(body.error.message, new RegExp(q.split('=')[0]), q);
  }
});

test('a city profile as page and as JSON come from the same view-model', async () => {
  const j = await json('/api/v1/cities/medellin');
  assert.equal(j.name, 'Medellín');
  assert.equal(j.country.code, 'CO');
  assert.ok(j.awards.some((a) => a.year === 2019));
  assert.ok(j.conferences_hosted.some((c) => c.number === 4));
  const html = await (await get('/cities/medellin')).text();
  assert.ok(html.includes('Medellín'));
  assert.ok(html.includes(j.country.name));
  assert.ok(html.includes(j.region.name));
});

test('unknown city: 404 page and JSON error', async () => {
  const r = await get('/cities/atlantis');
  assert.equal(r.status, 404);
  assert.match(await r.text(), /404/);
  const a = await get('/api/v1/cities/atlantis');
  assert.equal(a.status, 404);
  assert.equal((await a.json()).error.status, 404);
});

test('awards, conferences and framework pages and API', async () => {
  const awards = await json('/api/v1/awards');
  const rounds = awards.rounds;
  assert.deepEqual(rounds.map((r) => r.year).sort(), [2015, 2017, 2019, 2021, 2024]);
  assert.equal(rounds.reduce((n, r) => n + r.awardees.length, 0), 58);
  const conf = await json('/api/v1/conferences');
  assert.equal(conf.conferences.length, 6);
  const fw = await json('/api/v1/framework');
  assert.equal(fw.parts.length, 3);
  assert.equal(fw.parts.reduce((n, p) => n + p.areas.length, 0), 12);
  for (const p of ['/awards', '/conferences', '/framework']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
  }
  const fwHtml = await (await get('/framework')).text();
  assert.match(fwHtml, /provisional/i);
});

test('French interface by query, then cookie, then Accept-Language', async () => {
  let r = await get('/cities?lang=fr');
  let html = await r.text();
  assert.match(html, /<html lang="fr"/);
  assert.match(html, /Villes/);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /lang=fr/);
  r = await get('/awards', { headers: { cookie: 'lang=fr' } });
  assert.match(await r.text(), /<html lang="fr"/);
  r = await get('/awards', { headers: { 'accept-language': 'de-DE,fr;q=0.8,en;q=0.5' } });
  assert.match(await r.text(), /<html lang="fr"/);
  r = await get('/awards', { headers: { 'accept-language': 'de-DE' } });
  assert.match(await r.text(), /<html lang="en"/);
});

test('the status filter lists the statuses and filters by them', async () => {
  const html = await (await get('/cities?status=member')).text();
  assert.match(html, /<option value="member" selected>member<\/option>/);
  const members = await json('/api/v1/cities?status=member&per_page=100');
  assert.equal(members.total, 57, 'every awardee is a member; Yeonsu-gu has no recorded status');
  const lapsed = await json('/api/v1/cities?status=lapsed');
  assert.equal(lapsed.total, 0);
});

test('a bad country filter is refused with its code, in the reader\'s language, page and API alike', async () => {
  let r = await get('/api/v1/cities?country=z1');
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.problems[0].code, 'err_city_filter_country');
  assert.equal(body.problems[0].field, 'country');
  assert.equal(body.problems[0].args.value, 'z1');
  r = await get('/cities?country=z1&lang=fr');
  assert.equal(r.status, 400);
  const html = await r.text();
  assert.ok(html.includes('filtre de pays'), 'the page says it in French');
  assert.ok(html.includes('z1'));
});

test('a view answers 404 alike on its page and its API twin', async () => {
  assert.equal((await get('/cities/no-such-city')).status, 404);
  assert.equal((await get('/api/v1/cities/no-such-city')).status, 404);
  assert.equal((await get('/cities/no-such-city/monitoring')).status, 404);
  assert.equal((await get('/api/v1/cities/no-such-city/monitoring')).status, 404);
});

test('the directory downloads as CSV and XLSX: every row under the filters, not one page', async () => {
  const api = await json('/api/v1/cities?per_page=100&region=LAC');
  const page = await (await get('/cities?region=LAC&page=2&per_page=5')).text();
  assert.match(page, /href="\/cities\.csv\?region=LAC"/, 'the link keeps the filter, not the page');
  assert.match(page, /href="\/cities\.xlsx\?region=LAC"/);
  const r = await get('/cities.csv?region=LAC&per_page=5');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="cities\.csv"/);
  const lines = (await r.text()).trimEnd().split('\r\n');
  assert.equal(lines[0], 'City,Country,Region,Status,Awards,Identifier');
  assert.equal(lines.length - 1, api.total, 'one line per city of the filter, past the first page');
  const medellin = lines.find((l) => l.startsWith('Medellín,'));
  assert.match(medellin, /^Medellín,Colombia,Latin America and the Caribbean,member,2019,medellin$/);
  // French headers and labels; a bad filter is refused as on the page.
  const fr = await (await get('/cities.csv?region=LAC&lang=fr')).text();
  assert.match(fr, /^Ville,Pays,Région/);
  assert.match(fr, /\r\nMedellín,Colombie,[^,]*,membre,2019,medellin\r\n/);
  assert.equal((await get('/cities.csv?region=XX')).status, 400);
  const x = await get('/cities.xlsx?region=LAC');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const members = unzip(Buffer.from(await x.arrayBuffer()));
  const text = [...members.values()].map((b) => b.toString()).join('');
  assert.ok(text.includes('Medellín'), 'the workbook holds the rows');
  assert.equal(text.split('<row ').length - 1, api.total + 1, 'a header row and one row per city');
});

test('the network map: on the home page with every city, on the directory with its filters', async () => {
  const home = await (await get('/?lang=en')).text();
  assert.match(home, /<svg[^>]*class="lc-chart lc-chart-map"[^>]*role="img"/);
  assert.match(home, /<desc id="lc-map-d">58 cities on the map/);
  const all = await (await get('/cities?view=map')).text();
  assert.match(all, /<a href="\/cities\?view=map" aria-current="page">Map<\/a>/);
  const rings = (all.match(/<circle class="lc-place/g) || []).length;
  assert.ok(rings > 10 && rings < 58, 'cities of one country share a mark');
  const lac = await (await get('/cities?view=map&region=LAC')).text();
  assert.match(lac, /<title>[^<]*Medellín/);
  assert.doesNotMatch(lac, /<title>[^<]*Cork/, 'the map shows the filter\'s cities only');
  assert.doesNotMatch(await (await get('/cities')).text(), /lc-chart-map/, 'the list view has no map');
  assert.equal((await get('/cities?view=globe')).status, 400);
  const land = await get('/static/world-110m.svg');
  assert.equal(land.status, 200);
  assert.match(land.headers.get('content-type'), /image\/svg\+xml/);
});
