// SPDX-License-Identifier: AGPL-3.0-or-later
// Biennial progress reports and membership overrides through the JSON API and
// the pages: the secretariat opens a cohort; Cork's coordinator saves a draft
// (problems named per question, nothing written), submits; the secretariat
// returns it with a comment (a reason is required) and accepts it after the
// resubmission; forbidden steps answer 409, strangers 403, no login 401; the
// lists are scoped; the clock (`learncity workflow tick --at`) makes another
// report overdue at its deadline and lapses the city's membership when the
// grace period ends; the secretariat restores the membership with a reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let coord;
let natcom;
let anon;
let report;
let membershipItem;

const DEADLINE = '2027-06-30';

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

const json = async (r) => JSON.parse(await r.text());

test('only the secretariat opens a cohort, and a bad one is refused with its problems', async () => {
  const body = { year: 2026, deadline: DEADLINE, cities: ['cork', 'espoo'] };
  assert.equal((await anon.post('/api/v1/reports', { json: body })).status, 401);
  assert.equal((await coord.post('/api/v1/reports', { json: body })).status, 403);
  let r = await admin.post('/api/v1/reports', { json: { year: 2026, deadline: '2020-01-01', grace_days: 999, cities: ['atlantis'] } });
  assert.equal(r.status, 422);
  const p = await json(r);
  const fields = p.problems.map((x) => x.field);
  assert.ok(fields.includes('cities'), JSON.stringify(p));
  r = await admin.post('/api/v1/reports', { json: { year: 2026, deadline: '2020-01-01', grace_days: 999, cities: 'all' } });
  assert.equal(r.status, 422);
  assert.deepEqual((await json(r)).problems.map((x) => x.field).sort(), ['deadline', 'grace_days']);
  r = await admin.post('/api/v1/reports', { json: body });
  assert.equal(r.status, 201);
  const made = await json(r);
  assert.equal(made.reports.length, 2);
  report = made.reports[0];
  // A second report of the same year for Cork is refused.
  r = await admin.post('/api/v1/reports', { json: { year: 2026, deadline: DEADLINE, cities: ['cork'] } });
  assert.equal(r.status, 422);
});

test('the coordinator sees the report; others do not', async () => {
  let r = await coord.get(`/api/v1/reports/${report}`);
  assert.equal(r.status, 200);
  const v = await json(r);
  assert.equal(v.state, 'draft');
  assert.equal(v.city.slug, 'cork');
  assert.equal(v.cohort.deadline, DEADLINE);
  assert.equal(v.cohort.grace_days, 90);
  assert.equal(v.due_at, '2027-07-01T00:00:00Z');
  assert.ok(v.sections.length >= 4);
  assert.deepEqual(v.next.map((n) => n.to), ['submitted']);
  assert.equal((await natcom.get(`/api/v1/reports/${report}`)).status, 403);
  assert.equal((await anon.get(`/api/v1/reports/${report}`)).status, 401);
  assert.equal((await coord.get('/api/v1/reports/999999')).status, 404);
  // Lists are scoped: Cork's coordinator sees Cork only, the admin both.
  const mine = await json(await coord.get('/api/v1/reports'));
  assert.deepEqual(mine.items.map((i) => i.city.slug), ['cork']);
  const all = await json(await admin.get('/api/v1/reports?year=2026'));
  assert.equal(all.total, 2);
  assert.equal(all.by_state.draft, 2);
  assert.equal((await coord.get('/api/v1/reports?city=espoo')).status, 403);
  assert.equal((await natcom.get('/api/v1/reports')).status, 403);
});

test('drafts are checked per question and saved whole or not at all', async () => {
  let r = await coord.req('PUT', `/api/v1/reports/${report}`, {
    json: { answers: { contact_name: 'Jane', budget_share: 'lots', plan_adopted: 'maybe', challenges: 'word '.repeat(201), stat_literacy: 90 } },
  });
  assert.equal(r.status, 422);
  const p = await json(r);
  assert.deepEqual(p.problems.map((x) => x.field).sort(), ['budget_share', 'challenges', 'plan_adopted', 'stat_literacy']);
  assert.match(p.problems.find((x) => x.field === 'challenges').message, /201 words, at most 200/);
  let v = await json(await coord.get(`/api/v1/reports/${report}`));
  assert.equal(v.sections[0].questions[0].value, null, 'nothing was written');
  // Submitting an incomplete report names what is missing.
  r = await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 422);
  assert.ok((await json(r)).problems.some((x) => x.field === 'progress_planning'));
  r = await coord.req('PUT', `/api/v1/reports/${report}`, {
    json: { answers: { contact_name: 'Jane Murphy, learning city coordinator', plan_adopted: true, progress_planning: 'The plan was renewed.', progress_involvement: 'Partners meet quarterly.', learners_reached: 12000 } },
  });
  assert.equal(r.status, 200, await r.clone().text());
  v = await json(r);
  assert.equal(v.sections[0].questions[1].value, 'yes');
  // Another role may not write.
  assert.equal((await natcom.req('PUT', `/api/v1/reports/${report}`, { json: { answers: {} } })).status, 403);
});

test('submit, return with a comment, resubmit, accept; forbidden steps are 409 or 403', async () => {
  // The admin cannot accept a draft; the coordinator cannot accept at all.
  let r = await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'accepted' } });
  assert.equal(r.status, 409);
  r = await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'overdue' } });
  assert.equal(r.status, 403, 'the clock\'s step is nobody\'s');
  r = await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 200);
  assert.equal((await json(r)).state, 'submitted');
  r = await coord.req('PUT', `/api/v1/reports/${report}`, { json: { answers: { case_title: 'x' } } });
  assert.equal(r.status, 409, 'a submitted report is not edited');
  r = await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'accepted' } });
  assert.equal(r.status, 403);
  r = await natcom.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: 'x' } });
  assert.equal(r.status, 403);
  r = await anon.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: 'x' } });
  assert.equal(r.status, 401);
  r = await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: '  ' } });
  assert.equal(r.status, 422);
  r = await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: 'Please add the <b>budget share</b>.' } });
  assert.equal(r.status, 200);
  let v = await json(await coord.get(`/api/v1/reports/${report}`));
  assert.equal(v.state, 'returned');
  assert.equal(v.comments[0].reason, 'Please add the <b>budget share</b>.');
  // The page shows the comment escaped, first.
  const html = await (await coord.get(`/reports/${report}`)).text();
  assert.match(html, /id="review-comment"[\s\S]*Please add the &lt;b&gt;budget share&lt;\/b&gt;\./);
  assert.doesNotMatch(html, /<b>budget share<\/b>/);
  r = await coord.req('PUT', `/api/v1/reports/${report}`, { json: { answers: { budget_share: 4.5 } } });
  assert.equal(r.status, 200);
  r = await coord.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 200);
  r = await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'accepted' } });
  assert.equal(r.status, 200);
  v = await json(r);
  assert.equal(v.state, 'accepted');
  assert.equal(v.terminal, true);
  assert.deepEqual(v.history.map((h) => h.transition), ['create', 'submit', 'return', 'submit', 'accept']);
  r = await admin.post(`/api/v1/reports/${report}/transitions`, { json: { to: 'returned', reason: 'again' } });
  assert.equal(r.status, 409);
  // The outbox told the secretariat and the coordinator.
  const out = await (await admin.get('/admin/outbox')).text();
  assert.match(out, /Progress report 2026 of Cork/);
});

test('the clock: overdue at the deadline, lapse of the report and the membership after the grace period', async () => {
  const list = await json(await admin.get('/api/v1/reports?city=espoo'));
  const espoo = list.items[0].id;
  const tick = (at) => execFileSync(BIN, ['workflow', 'tick', '--db', srv.db, '--at', at], { encoding: 'utf8' });
  tick('2027-06-30T23:59:59Z');
  assert.equal((await json(await admin.get(`/api/v1/reports/${espoo}`))).state, 'draft');
  tick('2027-07-01T00:00:00Z');
  let v = await json(await admin.get(`/api/v1/reports/${espoo}`));
  assert.equal(v.state, 'overdue');
  assert.equal(v.due_at, '2027-09-29T00:00:00Z');
  tick('2027-09-28T23:59:59Z');
  assert.equal((await json(await admin.get(`/api/v1/reports/${espoo}`))).state, 'overdue');
  tick('2027-09-29T00:00:00Z');
  v = await json(await admin.get(`/api/v1/reports/${espoo}`));
  assert.equal(v.state, 'lapsed');
  const city = await json(await admin.get('/api/v1/cities/espoo'));
  assert.equal(city.status, 'lapsed');
  // The secretariat restores it, with a reason, through the membership API.
  let r = await coord.post('/api/v1/cities/espoo/membership/transitions', { json: { to: 'member', reason: 'x' } });
  assert.equal(r.status, 403);
  r = await admin.post('/api/v1/cities/espoo/membership/transitions', { json: { to: 'member' } });
  assert.equal(r.status, 422);
  r = await admin.post('/api/v1/cities/espoo/membership/transitions', { json: { to: 'suspended', reason: 'x' } });
  assert.equal(r.status, 409);
  r = await admin.post('/api/v1/cities/espoo/membership/transitions', { json: { to: 'member', reason: 'The report arrived by post.' } });
  assert.equal(r.status, 200);
  const m = await json(r);
  assert.equal(m.state, 'member');
  membershipItem = m.id;
  assert.deepEqual(m.history.map((h) => h.transition), ['create', 'lapse', 'restore']);
  const page = await (await anon.get('/cities/espoo')).text();
  assert.match(page, /The report arrived by post\./);
  assert.match(page, /The progress report 2026 was not filed by 2027-06-30/);
});

test('pages: lists, cohorts, pipeline, membership form', async () => {
  let r = await admin.get('/admin/reports');
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /href="\/reports\/\d+"/);
  r = await coord.get('/cities/cork/reports');
  assert.equal(r.status, 200);
  assert.equal((await natcom.get('/cities/cork/reports')).status, 403);
  html = await (await admin.get('/admin/pipeline')).text();
  assert.match(html, /id="p-report"/);
  assert.match(html, /id="p-membership"/);
  assert.match(html, /id="p-year_review"/, 'the data-year reviews are in the pipeline');
  // Member cities are nobody's turn: counted by state, not listed as cases waiting.
  const membership = html.slice(html.indexOf('id="p-membership"'), html.indexOf('</section>', html.indexOf('id="p-membership"')));
  assert.doesNotMatch(membership, /<tbody>\s*<tr/, 'no member city listed as a waiting case');
  html = await (await admin.get('/admin/reports/cohorts')).text();
  assert.match(html, /2027-06-30/);
  // Opening a cohort from the form needs the confirmation box.
  r = await admin.post('/admin/reports/cohorts', { form: { year: '2027', deadline: '2027-12-31', grace_days: '60', scope: 'list', cities: 'cork' } });
  assert.equal(r.status, 422);
  r = await admin.post('/admin/reports/cohorts', { form: { year: '2027', deadline: '2027-12-31', grace_days: '60', scope: 'list', cities: 'cork, nowhere', confirm: '1' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /No city &quot;nowhere&quot;|No city "nowhere"/);
  r = await admin.post('/admin/reports/cohorts', { form: { year: '2027', deadline: '2027-12-31', grace_days: '60', scope: 'list', cities: 'cork', confirm: '1' } });
  assert.equal(r.status, 303);
  // The city page offers the secretariat the overrides, nobody else.
  html = await (await admin.get('/cities/cork')).text();
  assert.match(html, /action="\/cities\/cork\/membership"/);
  assert.doesNotMatch(await (await coord.get('/cities/cork')).text(), /action="\/cities\/cork\/membership"/);
  assert.match(await (await coord.get('/cities/cork')).text(), /href="\/cities\/cork\/reports"/);
  r = await admin.post('/cities/cork/membership', { form: { to: 'suspended', reason: 'Test' } });
  assert.equal(r.status, 422, 'no confirmation');
  r = await admin.post('/cities/cork/membership', { form: { to: 'suspended', reason: 'Test of the override', confirm: '1' } });
  assert.equal(r.status, 303);
  html = await (await admin.get('/cities/cork')).text();
  assert.match(html, /Test of the override/);
  r = await admin.post('/cities/cork/membership', { form: { to: 'member', reason: 'Reinstated after the test', confirm: '1' } });
  assert.equal(r.status, 303);
  // The e-mails' link for a membership item leads to the city page.
  r = await anon.get(`/memberships/${membershipItem}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/cities/espoo#h-membership');
  assert.equal((await anon.get(`/memberships/${report}`)).status, 404, 'a report is not a membership');
});
