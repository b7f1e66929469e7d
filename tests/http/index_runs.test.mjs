// SPDX-License-Identifier: AGPL-3.0-or-later
// Index runs over HTTP: an admin posts a run for the demo's synthetic 2024
// cycle, gets 202 with the job's Location, polls the job until it is done
// (progress between 0 and 1 on the way), and finds the run in the list; a bad
// body is a 400; a coordinator gets 403 and an anonymous caller 401.
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
  coord = new Client(srv.base);
  anon = new Client(srv.base);
  await admin.login(DEMO.admin);
  await coord.login(DEMO.coordinator);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

async function poll(client, href) {
  for (let i = 0; i < 400; i++) {
    const r = await client.get(href);
    assert.equal(r.status, 200);
    const j = await r.json();
    assert.ok(j.progress >= 0 && j.progress <= 1, `progress ${j.progress}`);
    if (j.state !== 'queued' && j.state !== 'running') return j;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${href} did not finish`);
}

test('an admin runs the index: 202, the job finishes, the list shows the run', async () => {
  const before = await (await admin.get('/api/v1/index-runs?year=2024')).json();
  const r = await admin.post('/api/v1/index-runs', { json: { year: 2024, runs: 100 } });
  assert.equal(r.status, 202, await r.clone().text());
  const loc = r.headers.get('location');
  assert.match(loc, /^\/api\/v1\/jobs\/\d+$/);
  const job = await poll(admin, loc);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.progress, 1);
  assert.equal(job.kind, 'index_run');
  assert.equal(job.result.type, 'index_run');
  const list = await (await admin.get('/api/v1/index-runs?year=2024')).json();
  assert.equal(list.items.length, before.items.length + 1);
  const run = list.items[0];
  assert.equal(run.id, job.result.id);
  assert.equal(run.year, 2024);
  assert.equal(run.state, 'done');
  assert.equal(run.runs, 100);
  assert.ok(run.cities >= 2);
  assert.equal(run.synthetic, true);
  const m = await (await admin.get(job.result.href)).json();
  assert.equal(m.run, run.id);
  assert.equal(m.cities.length, run.cities);
  assert.equal(m.codes[m.codes.length - 1].code, 'index');
  for (const c of m.cities) {
    assert.equal(c.scores.length, m.codes.length);
    assert.ok(c.rank_q5 <= c.rank && c.rank <= c.rank_q95, JSON.stringify(c));
  }
});

test('a year that cannot be computed is refused before any job is made, and says why', async () => {
  const r = await admin.post('/api/v1/index-runs', { json: { year: 2031, runs: 10 } });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /2031 has 0 approved cities: an index run needs at least 2/);
  assert.equal(r.headers.get('location'), null);
  // The form offers only the years a run can compute.
  const html = await (await admin.get('/admin/index-runs')).text();
  assert.match(html, /<option value="2024"/);
  assert.doesNotMatch(html, /<option value="2031"/);
});

test('bad bodies are 400', async () => {
  for (const body of [{}, { year: '2024' }, { year: 2024, runs: -1 }, { year: 1800 }, { year: 2024, runs: 10 ** 7 }]) {
    const r = await admin.post('/api/v1/index-runs', { json: body });
    assert.equal(r.status, 400, JSON.stringify(body));
  }
});

test('a coordinator gets 403, an anonymous caller 401', async () => {
  let r = await coord.post('/api/v1/index-runs', { json: { year: 2024 } });
  assert.equal(r.status, 403);
  r = await coord.get('/api/v1/index-runs');
  assert.equal(r.status, 403);
  r = await anon.post('/api/v1/index-runs', { json: { year: 2024 } });
  assert.equal(r.status, 401);
  r = await anon.get('/api/v1/jobs/1');
  assert.equal(r.status, 401);
});
