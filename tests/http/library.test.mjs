// SPDX-License-Identifier: AGPL-3.0-or-later
// The case-study library through the JSON API: a draft from three fields,
// refusals for every role (401, 403/404, 409, 422 with the checks' codes),
// the curation flow coordinator -> secretariat with changes requested, a
// draft never visible to the public nor in search, the published version
// kept while the next is edited, the tombstone (410), facets, and hostile
// queries that never give a 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let coord;
let norole;
let anon;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  norole = new Client(srv.base);
  await norole.login(DEMO.norole);
  anon = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

const put = (c, p, json) => c.req('PUT', p, { json });
const step = (c, id, to, reason) =>
  c.post(`/api/v1/library/${id}/transitions`, { json: reason ? { to, reason } : { to } });
const total = async (q) =>
  (await (await anon.get(`/api/v1/library?q=${encodeURIComponent(q)}`)).json()).total;

const FULL = {
  areas: ['community'], primary_area: 'community', sdgs: ['4'], primary_sdg: '4',
  period: { start: 2018, end: null },
  texts: {
    en: {
      summary: 'Neighbourhood reading circles for parents.', context: 'A port city.',
      objectives: 'Reading together.', activities: 'Weekly circles in branch libraries.',
      outcomes: 'Four hundred families took part.',
    },
    es: { title: 'Círculos de lectura en los barrios', summary: 'Lectura en familia.' },
  },
};

test('a case from draft to publication, and what the public sees on the way', async () => {
  const draft = { city: 'cork', lang: 'en', title: 'Reading circles in the neighbourhoods' };
  assert.equal((await anon.post('/api/v1/library', { json: draft })).status, 401);
  assert.equal((await norole.post('/api/v1/library', { json: draft })).status, 403);
  let r = await coord.post('/api/v1/library', { json: { ...draft, lang: 'xx' } });
  assert.equal(r.status, 422);
  r = await coord.post('/api/v1/library', { json: draft });
  assert.equal(r.status, 201);
  const c = await r.json();
  assert.equal(c.state, 'draft');
  assert.ok(c.checks.map((x) => x.code).includes('err_library_check_area'));
  const id = c.id;

  // A draft is absent for the public: page of the API and search.
  assert.equal((await anon.get(`/api/v1/library/${id}`)).status, 404);
  assert.equal((await norole.get(`/api/v1/library/${id}`)).status, 404);
  assert.equal(await total('circles'), 0);

  // Submission runs the checks; they name what is missing.
  r = await step(coord, id, 'submitted');
  assert.equal(r.status, 422);
  assert.ok((await r.json()).problems.some((p) => p.code === 'err_library_check_required'));
  assert.equal((await put(norole, `/api/v1/library/${id}`, FULL)).status, 403);
  r = await put(coord, `/api/v1/library/${id}`, FULL);
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual((await r.json()).checks, []);
  assert.equal((await step(coord, id, 'submitted')).status, 200);
  assert.equal((await put(coord, `/api/v1/library/${id}`, { licence: 'CC0-1.0' })).status, 409);
  assert.equal((await step(coord, id, 'published')).status, 403);
  assert.equal((await step(admin, id, 'changes_requested')).status, 422); // a comment is needed
  assert.equal((await step(admin, id, 'changes_requested', 'Add a figure.')).status, 200);
  assert.equal((await step(coord, id, 'submitted')).status, 200);
  assert.equal((await step(admin, id, 'published')).status, 200);

  // Found in the second language too, by an unaccented word.
  assert.equal(await total('circles'), 1);
  assert.equal(await total('circulo lectura'), 1);
  r = await anon.get(`/api/v1/library/${id}`);
  assert.equal(r.status, 200);
  const pub = await r.json();
  assert.equal(pub.version, 1);
  assert.equal(pub.state, undefined);
  assert.match(pub.cite, /Cork, Ireland .*Reading circles/);

  // The pages: the card "City, Country - title", the case with its languages marked.
  let html = await (await anon.get('/library?q=circles')).text();
  assert.match(html, /Cork, Ireland<\/span> — <span lang="en">Reading circles/);
  assert.match(html, /<mark>/);
  html = await (await anon.get(`/library/${id}?lang=fr`)).text();
  assert.match(html, /<article lang="es" dir="ltr">/);
  assert.match(html, /Citer ainsi/);
  assert.equal((await anon.get(`/library/${id}/v/1`)).status, 200);
  html = await (await anon.get('/cities/cork')).text();
  assert.match(html, new RegExp(`<a href="/library/${id}" lang="en">Reading circles`));
  html = await (await anon.get('/library?q=nothing-at-all-here')).text();
  assert.match(html, /Aucune étude de cas ne correspond/); // the language chosen stays

  // A revision leaves version 1 public until it is published.
  r = await put(coord, `/api/v1/library/${id}`, { texts: { en: { title: 'Storytelling circles' } } });
  assert.equal((await r.json()).version, 2);
  assert.equal((await (await anon.get(`/api/v1/library/${id}`)).json()).version, 1);
  assert.equal((await anon.get(`/api/v1/library/${id}/v/2`)).status, 404);
  assert.equal(await total('storytelling'), 0);

  // Withdrawn: a tombstone at 410 with its reason.
  assert.equal((await step(admin, id, 'withdrawn')).status, 422);
  // Withdrawing the open revision withdraws the case: the published version goes too.
  assert.equal((await step(admin, id, 'withdrawn', 'Figures disputed.')).status, 200);
  r = await anon.get(`/api/v1/library/${id}`);
  assert.equal(r.status, 410);
  assert.equal((await r.json()).withdrawn.reason, 'Figures disputed.');
  assert.equal(await total('circles'), 0);
  assert.equal((await anon.get(`/library/${id}`)).status, 410);
});

test('facets and hostile queries', async () => {
  const make = async (title, lang, sdg) => {
    const r = await admin.post('/api/v1/library', {
      json: { city: 'espoo', lang, title, ...FULL, sdgs: [sdg], primary_sdg: sdg, texts: { [lang]: FULL.texts.en } },
    });
    assert.equal(r.status, 201, await r.clone().text());
    const { id } = await r.json();
    assert.equal((await step(admin, id, 'submitted')).status, 200);
    assert.equal((await step(admin, id, 'published')).status, 200);
    return id;
  };
  const a = await make('Libraries as learning hubs', 'en', '4');
  await make('Bibliothèques apprenantes', 'fr', '13');
  let r = await anon.get('/api/v1/library?sdg=13');
  let body = await r.json();
  assert.equal(body.total, 1);
  const sdg = Object.fromEntries(body.facets.sdg.map((f) => [f.value, f.count]));
  assert.ok(sdg['4'] >= 1 && sdg['13'] === 1); // a facet's counts ignore its own selection
  r = await anon.get('/api/v1/library?sdg=13&sdg=4&sort=city');
  assert.ok((await r.json()).total >= 2);

  for (const q of ['"', 'C++', 'AND', 'NEAR(a b)', '(', '*', 'a"b', "l'école", 'x'.repeat(2000), '学习']) {
    r = await anon.get(`/api/v1/library?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q);
  }
  r = await anon.get('/api/v1/library/suggest?q=libr');
  assert.ok((await r.json()).some((s) => s.id === a));

  // The tombstone.
  assert.equal((await step(admin, a, 'withdrawn', 'Duplicate of another case.')).status, 200);
  r = await anon.get(`/api/v1/library/${a}`);
  assert.equal(r.status, 410);
  body = await r.json();
  assert.equal(body.withdrawn.reason, 'Duplicate of another case.');
  assert.equal(await total('hubs'), 0);
});
