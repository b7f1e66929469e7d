// SPDX-License-Identifier: AGPL-3.0-or-later
// The Learning City Award's rounds and nominations through the JSON API and
// the pages: rounds as data (the demo's 2027 round open, a past round a
// fact, a 2017-style cap of 3 a setting, a bad round refused with every
// problem); eligibility refused with its reason and overridden by the
// secretariat with a recorded reason; the flow coordinator -> National
// Commission -> secretariat: the dossier (problems named, nothing written),
// the signed forms checked by content, the Commission's nomination, the
// close at the deadline (`learncity workflow tick --at`), the single
// return for more information, the e-mails; refusals 401/403/409/422; the
// pages in English and French.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let coord;
let natcom;
let norole;
let anon;
let cork;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  natcom = new Client(srv.base);
  await natcom.login(DEMO.natcom);
  norole = new Client(srv.base);
  await norole.login(DEMO.norole);
  anon = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

const json = async (r) => JSON.parse(await r.text());
const codes = (p) => p.problems.map((x) => x.code);

// A signed form sent as the request's body (the API also takes a multipart part "file").
async function upload(c, id, kind, bytes, type = 'application/pdf') {
  return fetch(`${srv.base}/api/v1/nominations/${id}/files/${kind}`, {
    method: 'POST', body: bytes, redirect: 'manual',
    headers: { Cookie: c.cookieHeader(), 'X-CSRF-Token': c.csrf, 'Content-Type': type },
  });
}

test('rounds are data: the demo round is open, the past rounds stay facts', async () => {
  let r = await anon.get('/api/v1/award-rounds');
  assert.equal(r.status, 200);
  const list = await json(r);
  const y2027 = list.items.find((x) => x.year === 2027);
  assert.equal(y2027.settings.demo, true);
  assert.equal(y2027.settings.cap_per_natcom, 2);
  assert.equal(y2027.settings.cap_per_country, 1);
  assert.equal(y2027.settings.cap_per_region, null);
  assert.equal(y2027.settings.criteria.length, 8);
  assert.equal(list.items.find((x) => x.year === 2024).settings, null);
  r = await anon.get('/api/v1/award-rounds/2024');
  assert.equal(r.status, 200);
  assert.equal((await json(r)).count, 10);
  assert.equal((await anon.get('/api/v1/award-rounds/1999')).status, 404);
  let html = await (await anon.get('/awards/2027')).text();
  assert.match(html, /Learning city plan/);
  assert.match(html, /demonstration/);
  html = await (await anon.get('/awards/2027?lang=fr')).text();
  assert.match(html, /Plan de ville apprenante/);
  // /awards lists the rounds with a result only.
  html = await (await anon.get('/awards')).text();
  assert.doesNotMatch(html, /id="round-2027"/);
});

test('only the secretariat opens a round; a bad one lists every problem', async () => {
  const good = {
    year: 2030, nominations_open: '2029-09-01', nominations_close: '2030-01-31',
    natcom_deadline: '2030-02-28', scoring_open: '2030-03-01', scoring_close: '2030-05-31',
    cap_per_natcom: 3,
  };
  assert.equal((await anon.post('/api/v1/award-rounds', { json: good })).status, 401);
  assert.equal((await natcom.post('/api/v1/award-rounds', { json: good })).status, 403);
  let r = await admin.post('/api/v1/award-rounds', { json: { ...good, natcom_deadline: '2030-13-01', scoring_open: '2029-01-01', cap_per_natcom: 99, criteria: [] } });
  assert.equal(r.status, 422);
  const p = await json(r);
  const fields = p.problems.map((x) => x.field).sort();
  assert.deepEqual(fields, ['cap_per_natcom', 'criteria', 'natcom_deadline', 'scoring_close', 'scoring_open'].sort().filter((f) => fields.includes(f)));
  assert.ok(fields.includes('natcom_deadline') && fields.includes('cap_per_natcom') && fields.includes('criteria'), JSON.stringify(p));
  assert.equal((await anon.get('/api/v1/award-rounds/2030')).status, 404);
  r = await admin.post('/api/v1/award-rounds', { json: good });
  assert.equal(r.status, 201);
  const made = await json(r);
  assert.equal(made.settings.cap_per_natcom, 3); // a 2017-style round
  r = await admin.post('/api/v1/award-rounds', { json: good });
  assert.equal(r.status, 422);
  assert.deepEqual(codes(await json(r)), ['err_award_round_exists']);
  // The page form does the same.
  assert.equal((await admin.get('/admin/awards')).status, 200);
  assert.equal((await coord.get('/admin/awards')).status, 403);
});

test('eligibility: refused with its reason, overridden by the secretariat with a reason', async () => {
  let r = await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork' } });
  assert.equal(r.status, 422);
  const p = await json(r);
  assert.deepEqual(codes(p), ['err_award_awarded']);
  assert.match(p.problems[0].message, /2024.*2030/);
  // A coordinator of another city, a Commission of another country, nobody: refused.
  assert.equal((await coord.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'dublin' } })).status, 403);
  assert.equal((await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'espoo' } })).status, 403);
  assert.equal((await anon.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'dublin' } })).status, 401);
  // Only the secretariat overrides.
  assert.equal((await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork', override: 'please' } })).status, 403);
  r = await admin.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork', override: 'The 2024 award went to the region, not the city.' } });
  assert.equal(r.status, 201);
  const n = await json(r);
  cork = n.id;
  assert.equal(n.state, 'draft');
  assert.equal(n.eligibility.eligible, true);
  assert.equal(n.eligibility.override.reason, 'The 2024 award went to the region, not the city.');
  assert.equal(n.eligibility.problems[0].code, 'err_award_awarded');
  // Dublin (awarded 2021) is eligible again in 2027 = 2021 + 6.
  r = await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'dublin' } });
  assert.equal(r.status, 201);
  r = await natcom.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'dublin' } });
  assert.equal(r.status, 422);
  assert.deepEqual(codes(await json(r)), ['err_award_nominated_already']);
});

test('the coordinator prepares the dossier; problems are listed and nothing is written', async () => {
  assert.equal((await coord.get(`/api/v1/nominations/${cork}`)).status, 200);
  assert.equal((await norole.get(`/api/v1/nominations/${cork}`)).status, 403);
  assert.equal((await anon.get(`/api/v1/nominations/${cork}`)).status, 401);
  assert.equal((await coord.get('/api/v1/nominations/999999')).status, 404);
  let r = await coord.req('PUT', `/api/v1/nominations/${cork}`, { json: { general: 'Cork, 210,000 people.', answers: { nope: 'x' }, links: ['javascript:alert(1)'] } });
  assert.equal(r.status, 422);
  assert.deepEqual(codes(await json(r)).sort(), ['err_award_answer_criterion', 'err_award_link']);
  let v = await json(await coord.get(`/api/v1/nominations/${cork}`));
  assert.equal(v.dossier.general, '');
  // The Commission reads the dossier but does not write it.
  assert.equal((await natcom.req('PUT', `/api/v1/nominations/${cork}`, { json: { plan: 'x' } })).status, 403);
  const answers = Object.fromEntries(v.dossier.answers.map((a) => [a.id, `Progress on ${a.id}.`]));
  r = await coord.req('PUT', `/api/v1/nominations/${cork}`, { json: { general: 'Cork, 210,000 people.', plan: 'The plan of 2023.', answers, links: 'https://example.org/plan\nhttps://example.org/report' } });
  assert.equal(r.status, 200);
  v = await json(r);
  assert.equal(v.dossier.links.length, 2);
  // Not sendable without the signed forms: both named.
  r = await coord.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 422);
  assert.deepEqual(codes(await json(r)).sort(), ['err_award_consent_needed', 'err_award_mayor_form_needed']);
  // The forms are checked by content, not by name or type.
  r = await upload(coord, cork, 'mayor_form', Buffer.from('<html>%PDF-1.4</html>'));
  assert.equal(r.status, 422);
  assert.equal((await upload(coord, cork, 'mayor_form', PDF)).status, 200);
  assert.equal((await upload(coord, cork, 'photo', PDF)).status, 404);
  assert.equal((await upload(natcom, cork, 'consent', PDF)).status, 403);
  r = await upload(coord, cork, 'consent', PDF);
  assert.equal(r.status, 200);
  const files = await json(r);
  assert.equal(files.consent.content_type, 'application/pdf');
  r = await natcom.get(`/api/v1/nominations/${cork}/files/consent`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  assert.equal((await norole.get(`/api/v1/nominations/${cork}/files/consent`)).status, 403);
});

test('coordinator -> National Commission -> secretariat, with the clock and one return', async () => {
  let r = await coord.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 200);
  assert.equal((await json(r)).state, 'submitted');
  // Frozen once sent.
  assert.equal((await coord.req('PUT', `/api/v1/nominations/${cork}`, { json: { plan: 'x' } })).status, 409);
  // The Commission's step, not the coordinator's; declining needs a reason.
  assert.equal((await coord.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'nominated' } })).status, 403);
  assert.equal((await natcom.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'declined' } })).status, 422);
  r = await natcom.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'nominated' } });
  assert.equal(r.status, 200);
  // The secretariat screens after the National Commissions' deadline only.
  r = await admin.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'complete' } });
  assert.equal(r.status, 409);
  const tick = (at) => execFileSync(BIN, ['workflow', 'tick', '--db', srv.db, '--at', at], { encoding: 'utf8' });
  // The demo round's window is counted from the day the demo was made.
  const deadline = (await json(await admin.get('/api/v1/award-rounds/2027'))).settings.natcom_deadline;
  const after = new Date(Date.parse(deadline + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);
  tick(`${deadline}T23:59:59Z`);
  assert.equal((await json(await admin.get(`/api/v1/nominations/${cork}`))).state, 'nominated');
  tick(`${after}T00:00:00Z`);
  let v = await json(await admin.get(`/api/v1/nominations/${cork}`));
  assert.equal(v.state, 'screening');
  // Dublin, never sent, expired at the deadline.
  const list = await json(await natcom.get('/api/v1/award-rounds/2027/nominations'));
  assert.equal(list.total, 2);
  assert.equal(list.items.find((x) => x.city.slug === 'dublin').state, 'expired');
  // Returned once for more information, then no more.
  assert.equal((await admin.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'returned' } })).status, 422);
  r = await admin.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'returned', reason: 'Send the 2025 budget.' } });
  assert.equal(r.status, 200);
  r = await coord.req('PUT', `/api/v1/nominations/${cork}`, { json: { plan: 'The plan of 2023, with the 2025 budget.' } });
  assert.equal(r.status, 200);
  assert.equal((await coord.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'screening' } })).status, 200);
  r = await admin.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'returned', reason: 'Again.' } });
  assert.equal(r.status, 409);
  assert.deepEqual(codes(await json(r)), ['err_award_returned_once']);
  r = await admin.post(`/api/v1/nominations/${cork}/transitions`, { json: { to: 'complete' } });
  assert.equal(r.status, 200);
  v = await json(r);
  assert.equal(v.state, 'complete');
  const steps = v.history.map((h) => h.transition);
  assert.deepEqual(steps, ['create', 'submit', 'nominate', 'close', 'return', 'resubmit', 'accept']);
  // Every step told its parties through the outbox.
  const outbox = await (await admin.get('/admin/outbox')).text();
  assert.match(outbox, /Nomination of Cork/);
  r = await admin.get(`/api/v1/nominations/${cork}/history`);
  assert.equal(r.status, 200);
  assert.equal((await json(r)).total, 7);
});

test('the pages: the dossier, the Commission\'s list, the pipeline, in English and French', async () => {
  let r = await coord.get(`/nominations/${cork}`);
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /Cork/);
  assert.match(html, /accept as complete|screened|complete/);
  html = await (await natcom.get('/natcom/nominations')).text();
  assert.match(html, new RegExp(`href="/nominations/${cork}"`));
  assert.match(html, /name="city"/); // the 2027 round is open: the form to start one
  html = await (await admin.get('/admin/awards/2027')).text();
  assert.match(html, /Cork/);
  assert.equal((await natcom.get('/admin/awards/2027')).status, 403);
  assert.equal((await anon.get('/natcom/nominations')).status, 303);
  html = await (await admin.get('/admin/awards/2027?lang=fr')).text();
  assert.match(html, /complète/);
  // The page form starts a nomination and lands on its dossier; a refusal says why.
  r = await natcom.post('/natcom/nominations', { form: { year: '2027', city: 'limerick' } });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/nominations\/\d+$/);
  r = await natcom.post('/natcom/nominations', { form: { year: '2027', city: 'atlantis' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /atlantis/);
  // The dossier form saves.
  const id = (await json(await natcom.get('/api/v1/award-rounds/2027/nominations?state=draft'))).items[0].id;
  r = await admin.post(`/nominations/${id}`, { form: { general: 'Limerick.', plan: 'A plan.', a_plan: 'Done.', links: 'https://example.org' } });
  assert.equal(r.status, 303);
  let v = await json(await admin.get(`/api/v1/nominations/${id}`));
  assert.equal(v.dossier.answers.find((a) => a.id === 'plan').text, 'Done.');
  // The secretariat's override from the page: a reason is required, and it is recorded.
  assert.equal((await natcom.post(`/nominations/${id}/override`, { form: { reason: 'x' } })).status, 403);
  r = await admin.post(`/nominations/${id}/override`, { form: { reason: '  ' } });
  assert.equal(r.status, 422);
  assert.equal((await json(await admin.get(`/api/v1/nominations/${id}`))).eligibility.override, null);
  r = await admin.post(`/nominations/${id}/override`, { form: { reason: 'Merged with its county in 2026.' } });
  assert.equal(r.status, 303);
  v = await json(await admin.get(`/api/v1/nominations/${id}`));
  assert.equal(v.eligibility.override.reason, 'Merged with its county in 2026.');
  assert.equal(v.eligibility.override.by, DEMO.admin.email);
  // Cork's page offers no override: it has one.
  assert.doesNotMatch(await (await admin.get(`/nominations/${cork}`)).text(), /\/override"/);
});
