// SPDX-License-Identifier: AGPL-3.0-or-later
// A juror's pages, without JavaScript (plain form posts): /jury lists the
// nominations assigned to it with "n of m scored" and its conflicts, and
// declaring one takes the nomination out of every list and count; the
// scoring form saves a draft, refuses an incomplete submission with every
// problem and what was typed kept, submits, and is then locked; the other
// jurors' scores appear as the round says (after one's own); a blind round
// tells its jurors neither the city's name nor its country, on the pages
// and in the API answers they get, while the secretariat still sees them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const DEMO_JUROR = { email: 'jury.2027@example.org', password: 'Jury-2027-demo-pass' };
const YEAR = 2036; // scoring open today, the other jurors' scores after one's own
const BLIND = 2037; // blind, the others' scores never shown
const J = [
  { email: 'pages.one@example.net', password: 'Pages-one-demo-pass-2036' },
  { email: 'pages.two@example.net', password: 'Pages-two-demo-pass-2036' },
];
const today = new Date().toISOString().slice(0, 10);
const json = async (r) => JSON.parse(await r.text());

let srv;
let admin;
let anon;
let demoJuror;
const jurors = [];
const noms = {};

async function openRound(year, extra) {
  const r = await admin.post('/api/v1/award-rounds', { json: { year, nominations_open: today, nominations_close: today, natcom_deadline: today, scoring_open: today, scoring_close: today, ...extra } });
  assert.equal(r.status, 201, await r.text());
  noms[year] = {};
  for (const city of ['cork', 'dublin']) {
    const c = await admin.post(`/api/v1/award-rounds/${year}/nominations`, { json: { city, override: 'The jury pages test needs it.' } });
    const body = await c.text();
    assert.equal(c.status, 201, body);
    noms[year][city] = JSON.parse(body).id;
  }
}

async function assign(year) {
  for (const who of J) {
    let a = await admin.post(`/api/v1/award-rounds/${year}/jurors`, { json: { juror: who.email, load: 2 } });
    assert.equal(a.status, 201, await a.text());
    for (const id of Object.values(noms[year])) {
      a = await admin.post(`/api/v1/award-rounds/${year}/assignments`, { json: { juror: who.email, nomination: id } });
      assert.equal(a.status, 201, await a.text());
    }
  }
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  anon = new Client(srv.base);
  demoJuror = new Client(srv.base);
  await demoJuror.login(DEMO_JUROR);
  await openRound(YEAR, {});
  await openRound(BLIND, { blind: true, score_visibility: 'never' });
  for (const who of J) {
    execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', who.email, '--name', who.email.split('@')[0],
      '--role', `jury:${YEAR}`, '--role', `jury:${BLIND}`], { input: `${who.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  }
  await assign(YEAR);
  await assign(BLIND);
  for (const who of J) {
    const c = new Client(srv.base);
    await c.login(who);
    jurors.push(c);
  }
});

after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('the demo juror\'s /jury: its four nominations, progress, and a conflict declared by form', async () => {
  let r = await demoJuror.get('/jury');
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /0 of 4 scored/);
  const ids = [...html.matchAll(/href="\/jury\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(ids.length, 4);
  assert.match(html, /Gelsenkirchen/);
  assert.match(html, /name="type"[^>]*>.*value="employer_adviser"/s);
  html = await (await demoJuror.get('/jury?lang=fr')).text();
  assert.match(html, /0 sur 4 notées/);
  await demoJuror.get('/jury?lang=en'); // the language chosen stays with the session
  // Declared without JavaScript: the nomination leaves the list and the count.
  r = await demoJuror.post('/jury/conflicts', { form: { year: 2027, nomination: ids[0], action: 'declare', type: 'personal', reason: 'A relative works there.' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/jury?done=conflict');
  html = await (await demoJuror.get('/jury?done=conflict')).text();
  assert.match(html, /0 of 3 scored/);
  assert.doesNotMatch(html, new RegExp(`href="/jury/${ids[0]}"`));
  assert.match(html, /personal · <span class="badge">declared/);
  assert.match(html, /Withdraw my declaration/);
  // Its sheet now answers as a nomination that does not exist.
  assert.equal((await demoJuror.get(`/jury/${ids[0]}`)).status, 404);
  assert.equal((await demoJuror.get('/jury/999999')).status, 404);
  // A bad kind of conflict: 422 on the page, with the problem said.
  r = await demoJuror.post('/jury/conflicts', { form: { year: 2027, nomination: ids[1], action: 'declare', type: 'bogus' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /is not a kind of conflict/);
  assert.match(await (await demoJuror.get('/jury')).text(), /0 of 3 scored/);
  // Withdrawn (not confirmed yet): back in the list.
  r = await demoJuror.post('/jury/conflicts', { form: { year: 2027, nomination: ids[0], action: 'withdraw' } });
  assert.equal(r.status, 303);
  assert.match(await (await demoJuror.get('/jury')).text(), /0 of 4 scored/);
});

test('who may: anonymous is sent to log in, a non-juror has no rounds, no form without the token', async () => {
  const r = await anon.get('/jury');
  assert.ok([302, 303, 401].includes(r.status), `status ${r.status}`);
  const norole = new Client(srv.base);
  await norole.login(DEMO.norole);
  const html = await (await norole.get('/jury')).text();
  assert.match(html, /You are not a juror of any round/);
  assert.equal((await norole.get(`/jury/${noms[YEAR].cork}`)).status, 404);
  const bad = await jurors[0].post(`/jury/${noms[YEAR].cork}`, { form: { action: 'save', s_plan: '5' }, csrf: 'wrong' });
  assert.equal(bad.status, 403);
});

test('the scoring form: draft, every problem at once, submit, then locked', async () => {
  const [j1] = jurors;
  const id = noms[YEAR].cork;
  let html = await (await j1.get(`/jury/${id}`)).text();
  assert.match(html, /Cork/);
  const fields = [...html.matchAll(/name="s_([a-z_0-9]+)"/g)].map((m) => m[1]);
  assert.equal(fields.length, 8);
  assert.match(html, /0–10/);
  // A draft, with a decimal comma as a French reader types it.
  let r = await j1.post(`/jury/${id}`, { form: { action: 'save', [`s_${fields[0]}`]: '7,5', comment: 'A first reading.' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/jury/${id}?done=save`);
  let sheet = await json(await j1.get(`/api/v1/nominations/${id}/scores/me`));
  assert.equal(sheet.state, 'draft');
  assert.equal(sheet.criteria[0].score, 7.5);
  assert.equal(sheet.comment, 'A first reading.');
  assert.equal(sheet.city.slug, 'cork');
  html = await (await j1.get('/jury')).text();
  assert.match(html, new RegExp(`${YEAR}[\\s\\S]*0 of 2 scored`));
  // Submitting with marks missing and one out of the scale: 422, every problem, what was typed kept.
  r = await j1.post(`/jury/${id}`, { form: { action: 'submit', [`s_${fields[0]}`]: '7,5', [`s_${fields[1]}`]: '11' } });
  assert.equal(r.status, 422);
  html = await r.text();
  assert.match(html, /role="alert"/);
  assert.match(html, new RegExp(`name="s_${fields[1]}" value="11"`));
  sheet = await json(await j1.get(`/api/v1/nominations/${id}/scores/me`));
  assert.equal(sheet.state, 'draft');
  assert.equal(sheet.criteria[1].score, null);
  // Complete: submitted, then locked.
  const form = { action: 'submit', comment: 'Strong plan.' };
  fields.forEach((f, i) => { form[`s_${f}`] = String(6 + (i % 4)); });
  r = await j1.post(`/jury/${id}`, { form });
  assert.equal(r.status, 303);
  html = await (await j1.get(`/jury/${id}?done=submit`)).text();
  assert.match(html, /it is final/);
  assert.doesNotMatch(html, /name="s_/);
  r = await j1.post(`/jury/${id}`, { form });
  assert.equal(r.status, 409);
  html = await (await j1.get('/jury')).text();
  assert.match(html, new RegExp(`${YEAR}[\\s\\S]*1 of 2 scored`));
});

test('the other jurors\' scores: hidden until one\'s own is submitted (after_own)', async () => {
  const [, j2] = jurors;
  const id = noms[YEAR].cork;
  let html = await (await j2.get(`/jury/${id}`)).text();
  assert.match(html, /shown once you have submitted yours/);
  assert.doesNotMatch(html, /Strong plan\./);
  const sheet = await json(await j2.get(`/api/v1/nominations/${id}/scores/me`));
  const form = { action: 'submit' };
  for (const c of sheet.criteria) form[`s_${c.id}`] = '5';
  assert.equal((await j2.post(`/jury/${id}`, { form })).status, 303);
  html = await (await j2.get(`/jury/${id}`)).text();
  assert.match(html, /Strong plan\./);
  assert.match(html, /pages\.one/);
});

test('blind mode: no city name or country for the jurors, on pages and in the API; the secretariat sees them', async () => {
  const [j1] = jurors;
  const id = noms[BLIND].cork;
  let html = await (await j1.get('/jury')).text();
  const blindPart = html.slice(html.indexOf(`${BLIND}`), html.indexOf(`${YEAR}`));
  assert.match(blindPart, /Nomination no\. \d+/);
  assert.match(blindPart, /city’s name and country are not shown/);
  assert.doesNotMatch(blindPart, /Cork|Dublin|>IE</);
  html = await (await j1.get(`/jury/${id}`)).text();
  assert.doesNotMatch(html, /Cork|\(IE\)/);
  assert.match(html, new RegExp(`Nomination no\\. ${id}`));
  html = await (await j1.get(`/nominations/${id}`)).text();
  assert.doesNotMatch(html, /Cork|\(IE\)/);
  let v = await json(await j1.get(`/api/v1/nominations/${id}/scores/me`));
  assert.equal(v.blind, true);
  assert.equal(v.city, null);
  assert.equal(v.visibility, 'never');
  v = await json(await j1.get(`/api/v1/nominations/${id}`));
  assert.equal(v.city, null);
  assert.equal(v.country, null);
  assert.equal(v.blind, true);
  assert.deepEqual(v.history, []);
  assert.doesNotMatch(JSON.stringify(v), /cork|"IE"/i);
  v = await json(await j1.get(`/api/v1/award-rounds/${BLIND}/nominations`));
  assert.equal(v.total, 2);
  assert.ok(v.items.every((x) => x.city === null));
  // The same juror in the round that is not blind reads the city.
  v = await json(await j1.get(`/api/v1/award-rounds/${YEAR}/nominations`));
  assert.ok(v.items.every((x) => x.city && x.city.country === 'IE'));
  // The secretariat is not a juror: it sees the city.
  v = await json(await admin.get(`/api/v1/nominations/${id}`));
  assert.equal(v.city.slug, 'cork');
  v = await json(await admin.get(`/api/v1/award-rounds/${BLIND}`));
  assert.equal(v.settings.blind, true);
  assert.equal(v.settings.score_visibility, 'never');
  // A bad setting is refused with its field.
  const r = await admin.post('/api/v1/award-rounds', { json: { year: 2038, nominations_open: today, nominations_close: today, natcom_deadline: today, scoring_open: today, scoring_close: today, blind: 'yes', score_visibility: 'sometimes' } });
  assert.equal(r.status, 422);
  const fieldsOf = (await json(r)).problems.map((p) => p.field).sort();
  assert.deepEqual(fieldsOf, ['blind', 'score_visibility']);
});

test('the secretariat\'s heat map: juror x nomination, a conflict marked, with a table fallback', async () => {
  const [j1, j2] = jurors;
  const sheet = await json(await j1.get(`/api/v1/nominations/${noms[YEAR].dublin}/scores/me`));
  const form = { action: 'submit' };
  for (const c of sheet.criteria) form[`s_${c.id}`] = '4';
  assert.equal((await j1.post(`/jury/${noms[YEAR].dublin}`, { form })).status, 303);
  // The second juror declares a conflict on Dublin: a cross on that cell, nowhere else.
  let r = await j2.post('/jury/conflicts', { form: { year: YEAR, nomination: noms[YEAR].dublin, action: 'declare', type: 'personal' } });
  assert.equal(r.status, 303);
  const html = await (await admin.get(`/admin/awards/${YEAR}`)).text();
  const svg = html.slice(html.indexOf('id="lc-award-heat'), html.indexOf('</svg>', html.indexOf('id="lc-award-heat')));
  assert.ok(svg.length > 0, 'the heat map is drawn');
  assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="lc-award-heat/);
  assert.equal((svg.match(/class="lc-mark"/g) || []).length, 1);
  assert.match(svg, /<title>Dublin — J2: [^<]*\(conflict\)<\/title>/);
  assert.match(svg, /<title>Cork — J1: 7\.5<\/title>|<title>Cork — J1: [\d.]+<\/title>/);
  assert.match(html, /<th scope="row">Dublin<\/th><td>4\.0<\/td><td>conflict<\/td>/);
  r = await admin.get(`/admin/awards/${YEAR}?lang=fr`);
  assert.match(await r.text(), /Jurés × candidatures/);
  await admin.get(`/admin/awards/${YEAR}?lang=en`);
});
