// SPDX-License-Identifier: AGPL-3.0-or-later
// The award's jury through the JSON API: the secretariat names jurors and
// assigns nominations within a load; the system suggests the conflicts it
// sees; a juror declares one and from then on the nomination is in none of
// its lists or counts, and every request for it answers exactly as for a
// nomination that does not exist (same status, same body); a confirmed
// conflict cannot be withdrawn; refusals 401/403/409/422.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let natcom;
let anon;
let j1;
let j2;
let cork;
let dublin;

const J1 = { email: 'juror.one@univ-lyon.fr', password: 'Juror-one-demo-pass-2027' };
const J2 = { email: 'juror.two@example.org', password: 'Juror-two-demo-pass-2027' };

function addJuror(who) {
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', who.email, '--name', 'Juror',
    '--role', 'jury:2027'], { input: `${who.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
}

const json = async (r) => JSON.parse(await r.text());

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  natcom = new Client(srv.base);
  await natcom.login(DEMO.natcom);
  anon = new Client(srv.base);
  addJuror(J1);
  addJuror(J2);
  j1 = new Client(srv.base);
  await j1.login(J1);
  j2 = new Client(srv.base);
  await j2.login(J2);
  let r = await admin.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork', override: 'The jury test needs Cork.' } });
  assert.equal(r.status, 201);
  cork = (await json(r)).id;
  r = await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'dublin' } });
  assert.equal(r.status, 201);
  dublin = (await json(r)).id;
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

test('the secretariat names jurors and assigns within their load', async () => {
  let r = await admin.post('/api/v1/award-rounds/2027/jurors', { json: { juror: J1.email, country: 'FR', panel: 'EUR', load: 2 } });
  assert.equal(r.status, 201);
  r = await admin.post('/api/v1/award-rounds/2027/jurors', { json: { juror: J2.email, load: 1 } });
  assert.equal(r.status, 201);
  r = await admin.post('/api/v1/award-rounds/2027/jurors', { json: { juror: DEMO.norole.email, country: 'XX', load: 0 } });
  assert.equal(r.status, 422);
  const codes = (await json(r)).problems.map((p) => p.code).sort();
  assert.deepEqual(codes, ['err_jury_country', 'err_jury_load_range', 'err_jury_not_juror']);
  r = await natcom.post('/api/v1/award-rounds/2027/jurors', { json: { juror: J1.email, load: 2 } });
  assert.equal(r.status, 403);
  for (const id of [cork, dublin]) {
    r = await admin.post('/api/v1/award-rounds/2027/assignments', { json: { juror: J1.email, nomination: id } });
    assert.equal(r.status, 201);
  }
  r = await admin.post('/api/v1/award-rounds/2027/assignments', { json: { juror: J2.email, nomination: cork } });
  assert.equal(r.status, 201);
  // Load 1 reached: 409 naming it.
  r = await admin.post('/api/v1/award-rounds/2027/assignments', { json: { juror: J2.email, nomination: dublin } });
  assert.equal(r.status, 409);
  assert.equal((await json(r)).problems[0].code, 'err_jury_load');
  r = await admin.post('/api/v1/award-rounds/2031/assignments', { json: { juror: J2.email, nomination: dublin } });
  assert.equal(r.status, 404);
});

test('a suggested conflict (the coordinators\' e-mail domain) keeps the juror away until dismissed', async () => {
  let r = await admin.get('/api/v1/award-rounds/2027/conflicts');
  assert.equal(r.status, 200);
  const all = await json(r);
  assert.equal(all.total, 1);
  assert.equal(all.items[0].state, 'suggested');
  assert.equal(all.items[0].type, 'employer_adviser');
  assert.equal(all.items[0].city.slug, 'cork');
  r = await j2.get('/api/v1/award-rounds/2027/nominations');
  assert.equal((await json(r)).total, 0);
  r = await j2.get('/api/v1/award-rounds/2027/conflicts');
  const mine = await json(r);
  assert.equal(mine.total, 1);
  assert.equal(mine.items[0].city, undefined);
});

test('a declared conflict hides the nomination as if it did not exist', async () => {
  let r = await j1.get('/api/v1/award-rounds/2027/nominations');
  let list = await json(r);
  assert.equal(list.total, 2);
  assert.equal((await j1.get(`/api/v1/nominations/${dublin}`)).status, 200);
  r = await j1.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: dublin, action: 'declare', type: 'bogus' } });
  assert.equal(r.status, 422);
  r = await j1.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: dublin, action: 'declare', type: 'personal', reason: 'A relative works there.' } });
  assert.equal(r.status, 200);
  r = await j1.get('/api/v1/award-rounds/2027/nominations');
  list = await json(r);
  assert.equal(list.total, 1);
  assert.equal(Object.values(list.by_state).reduce((a, b) => a + b, 0), 1);
  assert.ok(!list.items.some((x) => x.id === dublin));
  const paths = (id) => [
    ['GET', `/api/v1/nominations/${id}`],
    ['GET', `/api/v1/nominations/${id}/history`],
    ['GET', `/api/v1/nominations/${id}/files/consent`],
    ['PUT', `/api/v1/nominations/${id}`, { general: 'x' }],
    ['POST', `/api/v1/nominations/${id}/transitions`, { to: 'withdrawn' }],
    ['GET', `/api/v1/nominations/${id}/scores/me`],
    ['PUT', `/api/v1/nominations/${id}/scores/me`, { scores: { plan: 5 } }],
  ];
  const hidden = paths(dublin);
  const missing = paths(999999);
  for (let i = 0; i < hidden.length; i++) {
    const [m, p, body] = hidden[i];
    const a = await j1.req(m, p, body ? { json: body } : {});
    const b = await j1.req(missing[i][0], missing[i][1], body ? { json: body } : {});
    assert.equal(a.status, 404, `${m} ${p}`);
    assert.equal(a.status, b.status, `${m} ${p}`);
    assert.equal(await a.text(), await b.text(), `${m} ${p}: the same body as for nothing`);
  }
  // The secretariat confirms: the juror can no longer take it back.
  r = await admin.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: dublin, action: 'confirm', juror: J1.email } });
  assert.equal(r.status, 200);
  r = await j1.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: dublin, action: 'withdraw' } });
  assert.equal(r.status, 409);
  assert.equal((await json(r)).problems[0].code, 'err_jury_conflict_step');
});

test('who may: anonymous 401, other roles 403', async () => {
  assert.equal((await anon.get('/api/v1/award-rounds/2027/conflicts')).status, 401);
  assert.equal((await natcom.get('/api/v1/award-rounds/2027/conflicts')).status, 403);
  let r = await natcom.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: cork, action: 'declare', type: 'other' } });
  assert.equal(r.status, 403);
  r = await j1.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: cork, action: 'set', type: 'other', juror: J2.email } });
  assert.equal(r.status, 403);
  r = await admin.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: cork, action: 'dismiss', juror: J2.email } });
  assert.equal(r.status, 422);
  assert.equal((await json(r)).problems[0].code, 'err_jury_reason_needed');
  r = await admin.post('/api/v1/award-rounds/2027/conflicts', { json: { nomination: cork, action: 'dismiss', juror: J2.email, reason: 'A university, not the city.' } });
  assert.equal(r.status, 200);
  r = await j2.get('/api/v1/award-rounds/2027/nominations');
  assert.equal((await json(r)).total, 1);
});

test('a juror\'s sheet: read while assigned, written only in the scoring window', async () => {
  let r = await j1.get(`/api/v1/nominations/${cork}/scores/me`);
  assert.equal(r.status, 200);
  const sheet = await json(r);
  assert.equal(sheet.state, 'none');
  assert.equal(sheet.visibility, 'after_own');
  assert.equal(sheet.criteria.length, 8);
  r = await j1.req('PUT', `/api/v1/nominations/${cork}/scores/me`, { json: { scores: { plan: 5 } } });
  assert.equal(r.status, 409);
  assert.equal((await json(r)).problems[0].code, 'err_jury_scoring_closed');
  assert.equal((await natcom.get(`/api/v1/nominations/${cork}/scores/me`)).status, 404);
  assert.equal((await anon.get(`/api/v1/nominations/${cork}/scores/me`)).status, 401);
});
