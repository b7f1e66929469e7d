// SPDX-License-Identifier: AGPL-3.0-or-later
// The jury's ranking from the database: the secretariat reads it as JSON or
// CSV (the command line's columns), `learncity award rank --db --year` gives
// the same figures, a sheet not submitted counts nowhere, and nobody else
// may read it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let natcom;
let anon;
const jurors = [];
const noms = {};
const YEAR = 2035;
const J = [
  { email: 'rank.one@example.net', password: 'Rank-one-demo-pass-2035' },
  { email: 'rank.two@example.net', password: 'Rank-two-demo-pass-2035' },
];
const today = new Date().toISOString().slice(0, 10);
const json = async (r) => JSON.parse(await r.text());

// Every criterion of the sheet at the same mark, so each juror's weighted total is that mark.
async function score(client, id, mark, submit) {
  const sheet = await json(await client.get(`/api/v1/nominations/${id}/scores/me`));
  const scores = {};
  for (const c of sheet.criteria) scores[c.id] = Math.min(mark, c.scale_max);
  const r = await client.req('PUT', `/api/v1/nominations/${id}/scores/me`, { json: { scores, comment: 'Read.', submit } });
  assert.equal(r.status, 200, await r.text());
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  natcom = new Client(srv.base);
  await natcom.login(DEMO.natcom);
  anon = new Client(srv.base);
  let r = await admin.post('/api/v1/award-rounds', { json: { year: YEAR, nominations_open: today, nominations_close: today, natcom_deadline: today, scoring_open: today, scoring_close: today } });
  assert.equal(r.status, 201, await r.text());
  for (const city of ['cork', 'dublin']) {
    r = await admin.post(`/api/v1/award-rounds/${YEAR}/nominations`, { json: { city, override: 'The ranking test needs it.' } });
    const body = await r.text();
    assert.equal(r.status, 201, body);
    noms[city] = JSON.parse(body).id;
  }
  for (const who of J) {
    execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', who.email, '--name', 'Juror',
      '--role', `jury:${YEAR}`], { input: `${who.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    const c = new Client(srv.base);
    await c.login(who);
    jurors.push(c);
    r = await admin.post(`/api/v1/award-rounds/${YEAR}/jurors`, { json: { juror: who.email, load: 2 } });
    assert.equal(r.status, 201);
    for (const id of Object.values(noms)) {
      r = await admin.post(`/api/v1/award-rounds/${YEAR}/assignments`, { json: { juror: who.email, nomination: id } });
      assert.equal(r.status, 201);
    }
  }
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

test('nothing submitted: 422 naming it, on the API and the command line', async () => {
  await score(jurors[0], noms.cork, 8, false);
  const r = await admin.get(`/api/v1/award-rounds/${YEAR}/ranking`);
  assert.equal(r.status, 422);
  assert.equal((await json(r)).problems[0].code, 'err_jury_no_scores');
  const cli = spawnSync(BIN, ['award', 'rank', '--db', srv.db, '--year', String(YEAR)], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /2035/);
  // The secretariat's page says so instead of a table.
  const html = await (await admin.get(`/admin/awards/${YEAR}`)).text();
  assert.match(html, /No submitted score sheet counts yet/);
  assert.doesNotMatch(html, /lc-award-ranks-t/);
});

test('the secretariat reads the ranking as JSON and CSV; the command line agrees', async () => {
  await score(jurors[0], noms.cork, 8, true);
  await score(jurors[0], noms.dublin, 4, true);
  await score(jurors[1], noms.cork, 6, true);
  await score(jurors[1], noms.dublin, 2, true);
  let r = await admin.get(`/api/v1/award-rounds/${YEAR}/ranking`);
  assert.equal(r.status, 200);
  const doc = await json(r);
  assert.equal(doc.year, YEAR);
  assert.deepEqual(doc.nominations.map((n) => n.nomination), ['cork', 'dublin']);
  const [cork, dublin] = doc.nominations;
  assert.equal(cork.n_jurors, 2);
  assert.equal(cork.mean, 7);
  assert.equal(dublin.mean, 3);
  assert.ok(Math.abs(cork.sd - Math.SQRT2) < 1e-9);
  assert.equal(cork.rank_mean, 1);
  assert.equal(dublin.rank_schulze, 2);
  assert.equal(cork.p_top_k, 1);
  assert.deepEqual(doc.jurors.map((j) => j.juror).sort(), J.map((j) => j.email).sort());

  r = await admin.get(`/api/v1/award-rounds/${YEAR}/ranking?format=csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const csv = await r.text();
  const lines = csv.trim().split('\n');
  assert.ok(lines[0].startsWith('nomination,n_jurors,mean,median,sd,range,z_mean,rank_mean,rank_z,rank_schulze,rank_borda,rank_lo,rank_hi,p_top_k'));
  assert.ok(lines[1].startsWith('cork,2,7,7,1.41421356237,2,'));
  assert.ok(lines[2].startsWith('dublin,2,3,3,'));
  r = await admin.req('GET', `/api/v1/award-rounds/${YEAR}/ranking`, { headers: { Accept: 'text/csv' } });
  assert.equal(await r.text(), csv);

  // The command line goes through the same function: the same bytes.
  const out = execFileSync(BIN, ['award', 'rank', '--db', srv.db, '--year', String(YEAR)], { encoding: 'utf8' });
  assert.equal(out, csv);
  const j = JSON.parse(execFileSync(BIN, ['award', 'rank', '--db', srv.db, '--year', String(YEAR), '--format', 'json'], { encoding: 'utf8' }));
  // The command line prints 12 significant digits, the API every digit.
  const round = (list) => JSON.parse(JSON.stringify(list, (k, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
  assert.deepEqual(j.nominations, round(doc.nominations));

  // The secretariat's page: the table best first and the chart of rank intervals.
  r = await admin.get(`/admin/awards/${YEAR}`);
  assert.equal(r.status, 200);
  const html = await r.text();
  const section = html.slice(html.indexOf('id="h-ranking"'));
  assert.match(section, /<td>Cork<\/td><td>2<\/td><td>7\.00<\/td><td>7\.00<\/td><td>1\.41<\/td><td>1–1<\/td><td>1\.00<\/td>/);
  assert.ok(section.indexOf('>Cork<') < section.indexOf('>Dublin<'));
  assert.match(section, /<svg[^>]*class="lc-chart lc-chart-ranks"[^>]*aria-labelledby="lc-award-ranks-t"/);
  assert.doesNotMatch(section, /No submitted score sheet counts yet/);
});

test('a declared conflict takes the juror out of the ranking', async () => {
  let r = await jurors[1].post(`/api/v1/award-rounds/${YEAR}/conflicts`, { json: { nomination: noms.dublin, action: 'declare', type: 'personal' } });
  assert.equal(r.status, 200, await r.text());
  r = await admin.get(`/api/v1/award-rounds/${YEAR}/ranking`);
  const doc = await json(r);
  assert.equal(doc.nominations.find((n) => n.nomination === 'dublin').n_jurors, 1);
  assert.equal(doc.nominations.find((n) => n.nomination === 'dublin').mean, 4);
});

test('only the secretariat: 401, 403, 404, 400', async () => {
  assert.equal((await anon.get(`/api/v1/award-rounds/${YEAR}/ranking`)).status, 401);
  assert.equal((await natcom.get(`/api/v1/award-rounds/${YEAR}/ranking`)).status, 403);
  assert.equal((await jurors[0].get(`/api/v1/award-rounds/${YEAR}/ranking`)).status, 403);
  assert.equal((await admin.get('/api/v1/award-rounds/2041/ranking')).status, 404);
  assert.equal((await admin.get(`/api/v1/award-rounds/${YEAR}/ranking?format=xml`)).status, 400);
  const cli = spawnSync(BIN, ['award', 'rank', '--db', srv.db, '--year', String(YEAR), '--scores', 'x.csv'], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
});
