// SPDX-License-Identifier: AGPL-3.0-or-later
// Every person finds their work: login lands on /home, which lists what waits
// on the person across every process (oldest first) and where each of their
// roles' work lives; a city's data years at /cities/{slug}/data with a year
// picker. Pages and their /api/v1 twins; nobody sees another's cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
const c = {};
const YEAR = 2025; // free in the demo (2022 and 2024 are approved)

before(async () => {
  srv = await startServer();
  for (const role of ['admin', 'natcom', 'coordinator', 'norole']) {
    c[role] = new Client(srv.base);
    await c[role].login(DEMO[role]);
  }
  c.anonymous = new Client(srv.base);
});

after(async () => { assert.equal(await srv.stop(), 0, srv.stderr); });

async function home(cl) {
  const r = await cl.get('/api/v1/home');
  assert.equal(r.status, 200, await r.clone().text());
  return r.json();
}

const waiting = (h, process) => h.waiting.items.filter((i) => i.process === process);

test('login lands on /home; the anonymous are sent to log in', async () => {
  const cl = new Client(srv.base);
  const r = await cl.post('/login', { form: { ...DEMO.coordinator } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/home');
  let a = await c.anonymous.get('/home');
  assert.equal(a.status, 303);
  assert.equal(a.headers.get('location'), '/login?next=%2Fhome');
  a = await c.anonymous.get('/api/v1/home');
  assert.equal(a.status, 401);
  const html = await (await c.coordinator.get('/home')).text();
  assert.match(html, /<a href="\/home" aria-current="page">My work<\/a>/, 'the header links home');
});

test('a year the coordinator begins waits on the city, then on the secretariat once submitted', async () => {
  let h = await home(c.coordinator);
  assert.equal(h.cities.length, 1);
  assert.equal(h.cities[0].slug, 'cork');
  assert.deepEqual(waiting(h, 'year_review'), [], 'nothing begun yet');
  assert.deepEqual(waiting(await home(c.admin), 'year_review'), []);

  const put = await c.coordinator.req('PUT', '/api/v1/cities/cork/observations',
    { json: { year: YEAR, values: [{ code: '1.1.1.a', value: 91, source: 'Census' }] } });
  assert.equal(put.status, 200, await put.text());
  h = await home(c.coordinator);
  const mine = waiting(h, 'year_review');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].state, 'draft');
  assert.equal(mine[0].href, `/cities/cork/data/${YEAR}`);
  assert.equal(h.cities[0].years[0].year, YEAR, 'the newest year first');
  assert.equal(h.cities[0].years[0].entered, 1);
  // Not the secretariat's turn, nor the National Commission's.
  assert.deepEqual(waiting(await home(c.admin), 'year_review'), []);
  assert.equal((await home(c.natcom)).waiting.total, 0);

  let page = await (await c.coordinator.get('/home')).text();
  assert.ok(page.includes(`href="/cities/cork/data/${YEAR}"`), 'one click to the work');
  assert.match(page, /Waiting on you/);

  const r = await c.coordinator.post(`/cities/cork/data/${YEAR}/submit`, { form: {} });
  assert.equal(r.status, 303);
  assert.deepEqual(waiting(await home(c.coordinator), 'year_review'), []);
  const adm = waiting(await home(c.admin), 'year_review');
  assert.equal(adm.length, 1);
  assert.equal(adm[0].state, 'submitted');
  page = await (await c.admin.get('/home?lang=fr')).text();
  assert.match(page, /En attente de vous/);
  assert.ok(page.includes(`href="/cities/cork/data/${YEAR}"`));
});

test('a person without a role is told how to begin; nobody sees another city\'s years', async () => {
  const h = await home(c.norole);
  assert.deepEqual(h.cities, []);
  assert.equal(h.waiting.total, 0);
  const page = await (await c.norole.get('/home')).text();
  assert.match(page, /href="\/apply"/);
  assert.equal((await c.norole.get('/cities/cork/data')).status, 403);
  assert.equal((await c.natcom.get('/api/v1/cities/cork/years')).status, 403);
  assert.equal((await c.anonymous.get('/api/v1/cities/cork/years')).status, 401);
});

test('a city\'s data years: the list, its JSON twin and the year picker', async () => {
  const j = await (await c.coordinator.get('/api/v1/cities/cork/years')).json();
  assert.equal(j.city.slug, 'cork');
  assert.ok(j.years.some((y) => y.year === 2024 && y.status === 'approved'));
  let r = await c.coordinator.get('/cities/cork/data');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<h1>Data years: Cork<\/h1>/);
  const fr = await (await c.coordinator.get('/cities/cork/data?lang=fr')).text();
  assert.match(fr, /<h1>Années de données : Cork<\/h1>/, 'French spaces its colon');
  assert.match(html, /<select id="year" name="year">/);
  assert.ok(html.includes('href="/cities/cork/data/2024"'));
  r = await c.coordinator.get('/cities/cork/data?year=2023');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/cities/cork/data/2023');
  assert.equal((await c.coordinator.get('/cities/cork/data?year=1999')).status, 400);
  assert.equal((await c.admin.get('/cities/no-such-city/data')).status, 404);
});
