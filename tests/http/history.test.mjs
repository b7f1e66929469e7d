// SPDX-License-Identifier: AGPL-3.0-or-later
// Long histories stay cheap to show: a report taken back and forth answers
// with its latest steps and a count, and its whole history is paged (newest
// first) through /reports/{id}/history and /api/v1/reports/{id}/history, to
// those who may see the report only; a value corrected many times lists its
// latest versions, and all of them are paged through .../versions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const YEAR = 2025;
let srv;
let admin;
let coord;
let natcom;
let anon;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  natcom = new Client(srv.base);
  await natcom.login(DEMO.natcom);
  anon = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

test('a report returned twelve times: the latest twenty steps inline, the rest paged', async () => {
  let r = await admin.post('/api/v1/reports', { json: { year: 2026, deadline: '2027-06-30', cities: ['cork'] } });
  assert.equal(r.status, 201, await r.clone().text());
  const id = (await (await coord.get('/api/v1/reports')).json()).items[0].id;
  r = await coord.req('PUT', `/api/v1/reports/${id}`, { json: { answers: {
    contact_name: 'Jane Murphy', plan_adopted: true, progress_planning: 'Renewed.', progress_involvement: 'Quarterly.',
  } } });
  assert.equal(r.status, 200, await r.clone().text());
  for (let i = 1; i <= 12; i++) {
    r = await coord.post(`/api/v1/reports/${id}/transitions`, { json: { to: 'submitted' } });
    assert.equal(r.status, 200, await r.clone().text());
    r = await admin.post(`/api/v1/reports/${id}/transitions`, { json: { to: 'returned', reason: `round ${i}` } });
    assert.equal(r.status, 200, await r.clone().text());
  }
  const v = await (await coord.get(`/api/v1/reports/${id}`)).json();
  assert.equal(v.history.length, 20);
  assert.equal(v.history_total, 25);
  assert.equal(v.history_more, true);
  assert.equal(v.history[19].reason, 'round 12', 'oldest first, ending with the latest');
  assert.equal(v.comments[0].reason, 'round 12', 'the latest comment first');

  r = await coord.get(`/api/v1/reports/${id}/history?page=2&per_page=20`);
  assert.equal(r.status, 200);
  const p2 = await r.json();
  assert.equal(p2.total, 25);
  assert.equal(p2.pages, 2);
  assert.deepEqual(p2.items.map((h) => h.transition), ['return', 'submit', 'return', 'submit', 'create']);
  assert.equal(p2.item.path, `/reports/${id}`);

  // Only those who may see the report: no login 401, a stranger 403, no such report 404.
  assert.equal((await anon.get(`/api/v1/reports/${id}/history`)).status, 401);
  assert.equal((await natcom.get(`/api/v1/reports/${id}/history`)).status, 403);
  assert.equal((await admin.get('/api/v1/reports/999999/history')).status, 404);
  assert.equal((await coord.get(`/api/v1/reports/${id}/history?per_page=1000`)).status, 400);

  // The pages: the report links to its whole history, which is paged.
  const html = await (await coord.get(`/reports/${id}`)).text();
  assert.match(html, new RegExp(`href="/reports/${id}/history"`));
  r = await coord.get(`/reports/${id}/history`);
  assert.equal(r.status, 200);
  const page = await r.text();
  assert.match(page, /round 12/);
  assert.doesNotMatch(page, /round 2</, 'page 1 holds the newest twenty');
  assert.match(page, /rel="next"/);
  const fr = await (await coord.get(`/reports/${id}/history?page=2&lang=fr`)).text();
  assert.match(fr, /Historique/);
});

test('a value corrected twelve times: the latest ten versions inline, all of them paged', async () => {
  for (let i = 1; i <= 12; i++) {
    const r = await coord.req('PUT', '/api/v1/cities/cork/observations', {
      json: { year: YEAR, values: [{ code: '1.1.1.a', value: i, note: `v${i}` }] },
    });
    assert.equal(r.status, 200, await r.clone().text());
  }
  const l = await (await coord.get(`/api/v1/cities/cork/observations?year=${YEAR}`)).json();
  const a = l.items.find((i) => i.code === '1.1.1.a');
  assert.equal(a.versions.length, 10);
  assert.ok(a.versions_total >= 12);
  assert.equal(a.versions[0].value, '12');

  const url = `/api/v1/cities/cork/observations/1.1.1.a/versions?year=${YEAR}&per_page=5`;
  let r = await coord.get(url);
  assert.equal(r.status, 200);
  const p1 = await r.json();
  assert.equal(p1.total, a.versions_total);
  assert.deepEqual(p1.items.map((x) => x.note), ['v12', 'v11', 'v10', 'v9', 'v8']);
  assert.equal((await anon.get(url)).status, 401, 'a draft year is not public');
  assert.equal((await natcom.get(url)).status, 403);
  assert.equal((await coord.get(`/api/v1/cities/cork/observations/9.9.9.z/versions?year=${YEAR}`)).status, 404);
  assert.equal((await coord.get('/api/v1/cities/cork/observations/1.1.1.a/versions')).status, 400, 'the year is required');

  const area = await (await coord.get(`/cities/cork/data/${YEAR}/1.1`)).text();
  assert.match(area, new RegExp(`href="/cities/cork/data/${YEAR}/versions/1.1.1.a"`));
  r = await coord.get(`/cities/cork/data/${YEAR}/versions/1.1.1.a?page=2&per_page=5`);
  assert.equal(r.status, 200);
  const page = await r.text();
  assert.match(page, /<code>1\.1\.1\.a<\/code>/);
  assert.match(page, /rel="prev"/);
});
