// SPDX-License-Identifier: AGPL-3.0-or-later
// The award's decision: the secretariat shortlists and marks awardees of
// nominations screened complete; the caps of awardees per country and per
// UNESCO region refuse with a coded problem naming the cap and the awardee
// already there, and leave everything as it was; decisions stay pending,
// seen by no city, National Commission, juror or the public, until one
// publish step writes the awards into /awards/{year} and the city's page
// and queues one e-mail per nominated city and per National Commission,
// in its reader's language; after that nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const YEAR = 2040;
const JUROR = { email: 'decision.juror@example.net', password: 'Decision-juror-pass-2040' };
const today = new Date().toISOString().slice(0, 10);
const json = async (r) => JSON.parse(await r.text());
const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

let srv;
let admin;
const who = {};
const noms = {};

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  let r = await admin.post('/api/v1/award-rounds', { json: { year: YEAR, nominations_open: today, nominations_close: today, natcom_deadline: today, scoring_open: today, scoring_close: today, cap_per_country: 1, cap_per_region: 1 } });
  assert.equal(r.status, 201, await r.text());
  for (const city of ['cork', 'dublin', 'espoo']) {
    r = await admin.post(`/api/v1/award-rounds/${YEAR}/nominations`, { json: { city, override: 'The decision test needs it.' } });
    const body = await r.text();
    assert.equal(r.status, 201, body);
    noms[city] = JSON.parse(body).id;
  }
  // Screened complete (the screening itself is award_rounds.test.mjs's).
  sql(srv.db, `UPDATE wf_items SET state = 'complete', due_at = NULL WHERE id IN (${Object.values(noms).join(',')})`);
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', JUROR.email, '--name', 'Juror', '--role', `jury:${YEAR}`],
    { input: `${JUROR.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  r = await admin.post(`/api/v1/award-rounds/${YEAR}/jurors`, { json: { juror: JUROR.email, load: 3 } });
  assert.equal(r.status, 201);
  r = await admin.post(`/api/v1/award-rounds/${YEAR}/assignments`, { json: { juror: JUROR.email, nomination: noms.cork } });
  assert.equal(r.status, 201);
  for (const [k, acc] of Object.entries({ coordinator: DEMO.coordinator, natcom: DEMO.natcom, participant: DEMO.participant, jury: JUROR })) {
    who[k] = new Client(srv.base);
    await who[k].login(acc);
  }
  who.anonymous = new Client(srv.base);
  // The Commission reads French: its e-mail comes in French.
  sql(srv.db, `UPDATE accounts SET lang = 'fr' WHERE email = '${DEMO.natcom.email}'`);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

const decide = (nomination, decision) => admin.post(`/api/v1/award-rounds/${YEAR}/decisions`, { json: { nomination, decision } });

test('the caps at the awardee step: coded refusals naming the cap and the awardee, nothing written', async () => {
  let r = await decide(noms.cork, 'awardee');
  assert.equal(r.status, 200, await r.text());
  const audits = sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'award.decision'");
  // Dublin: Ireland has its one awardee, and so has Europe.
  r = await decide(noms.dublin, 'awardee');
  assert.equal(r.status, 409);
  let body = await json(r);
  assert.deepEqual(body.problems.map((p) => p.code), ['err_decision_cap_country', 'err_decision_cap_region']);
  assert.deepEqual(body.problems[0].args, { cap: 1, country: 'IE', city: 'Cork' });
  assert.match(body.problems[0].message, /1 awardee\(s\) per country is reached for IE: Cork/);
  assert.match(body.problems[1].message, /per UNESCO region is reached for EUR: Cork/);
  // Espoo (Finland): the region's cap only.
  r = await decide(noms.espoo, 'awardee');
  assert.equal(r.status, 409);
  body = await json(r);
  assert.deepEqual(body.problems.map((p) => p.code), ['err_decision_cap_region']);
  assert.equal(sql(srv.db, "SELECT count(*) FROM audit WHERE action = 'award.decision'"), audits);
  let v = await json(await admin.get(`/api/v1/award-rounds/${YEAR}/decisions`));
  assert.deepEqual(v.items.map((x) => [x.city.slug, x.decision]).sort(), [['cork', 'awardee'], ['dublin', 'none'], ['espoo', 'none']]);
  // Shortlisting is not capped; a bad decision is 422; a nomination not screened complete is 409.
  assert.equal((await decide(noms.dublin, 'shortlisted')).status, 200);
  r = await decide(noms.espoo, 'winner');
  assert.equal(r.status, 422);
  assert.equal((await json(r)).problems[0].code, 'err_decision_value');
  assert.equal((await decide(999999, 'awardee')).status, 404);
  // The page form says the same refusal, on the secretariat's page.
  r = await admin.post(`/admin/awards/${YEAR}/decisions`, { form: { nomination: noms.espoo, decision: 'awardee' } });
  assert.equal(r.status, 409);
  assert.match(await r.text(), /per UNESCO region is reached for EUR: Cork/);
  r = await admin.post(`/admin/awards/${YEAR}/decisions`, { form: { nomination: noms.espoo, decision: 'shortlisted' } });
  assert.equal(r.status, 303);
  const html = await (await admin.get(`/admin/awards/${YEAR}`)).text();
  assert.match(html, /Mark as awardee/);
  assert.match(html, /Publish the awards/);
  assert.match(html, /only the secretariat sees them/);
});

test('pending decisions are seen by no one but the secretariat', async () => {
  for (const role of ['anonymous', 'coordinator', 'natcom', 'participant', 'jury']) {
    const c = who[role];
    const r = await c.get(`/api/v1/award-rounds/${YEAR}/decisions`);
    assert.ok([401, 403].includes(r.status), `${role}: ${r.status}`);
    const round = await json(await c.get(`/api/v1/award-rounds/${YEAR}`));
    assert.deepEqual(round.awardees, [], role);
    const page = await (await c.get(`/awards/${YEAR}`)).text();
    assert.doesNotMatch(page.slice(page.indexOf('<main')), /Cork/, role); // the header names the account

    const city = await (await c.get('/api/v1/cities/cork')).text();
    assert.doesNotMatch(city, new RegExp(`${YEAR}`), role);
    const nom = await c.get(`/api/v1/nominations/${noms.cork}`);
    if (nom.status === 200) assert.doesNotMatch(await nom.text(), /"awardee"|"shortlisted"|"decision"/, role);
  }
  assert.equal(sql(srv.db, `SELECT count(*) FROM outbox WHERE kind = 'award_result'`), '0');
});

test('publish: a confirmation, the awards public, one e-mail per city and per Commission, then final', async () => {
  // Nobody but the secretariat publishes; the form needs its box ticked.
  for (const role of ['anonymous', 'coordinator', 'natcom', 'jury']) {
    const r = await who[role].post(`/api/v1/award-rounds/${YEAR}/publish`, { json: {} });
    assert.ok([401, 403].includes(r.status), `${role}: ${r.status}`);
  }
  let r = await admin.post(`/admin/awards/${YEAR}/publish`, { form: {} });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /Tick the box/);
  assert.equal(sql(srv.db, `SELECT count(*) FROM awards WHERE round_year = ${YEAR}`), '0');
  // No awardee in the demo round: nothing to publish.
  r = await admin.post('/api/v1/award-rounds/2027/publish', { json: {} });
  assert.equal(r.status, 422);
  assert.equal((await json(r)).problems[0].code, 'err_decision_no_awardee');
  r = await admin.post(`/admin/awards/${YEAR}/publish`, { form: { confirm: '1' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/awards/${YEAR}`);
  const round = await json(await who.anonymous.get(`/api/v1/award-rounds/${YEAR}`));
  assert.match(JSON.stringify(round.awardees), /cork/);
  assert.doesNotMatch(JSON.stringify(round.awardees), /dublin|espoo/);
  const page = await (await who.anonymous.get(`/awards/${YEAR}`)).text();
  assert.match(page.slice(page.indexOf('<main')), /Cork/);
  assert.match(await (await who.anonymous.get('/api/v1/cities/cork')).text(), new RegExp(`${YEAR}`));
  // Cork's coordinator (English), Ireland's Commission (French); no account for Dublin, Espoo
  // or Finland's Commission in the demo.
  const rows = sql(srv.db, "SELECT to_addr || '|' || lang || '|' || subject FROM outbox WHERE kind = 'award_result' ORDER BY to_addr").split('\n');
  assert.deepEqual(rows, [
    `${DEMO.coordinator.email}|en|Learning City Award ${YEAR}: the result`,
    `${DEMO.natcom.email}|fr|Prix des villes apprenantes ${YEAR} : le résultat`,
  ]);
  const natcomBody = sql(srv.db, `SELECT body FROM outbox WHERE kind = 'award_result' AND to_addr = '${DEMO.natcom.email}'`);
  assert.match(natcomBody, /Cork : lauréate/);
  assert.match(natcomBody, /Dublin : non lauréate/);
  // Final: no second publication, no change of decision.
  r = await admin.post(`/api/v1/award-rounds/${YEAR}/publish`, { json: {} });
  assert.equal(r.status, 409);
  assert.equal((await json(r)).problems[0].code, 'err_decision_published');
  assert.equal((await decide(noms.dublin, 'none')).status, 409);
  const v = await json(await admin.get(`/api/v1/award-rounds/${YEAR}/decisions`));
  assert.equal(v.published, true);
});
