// SPDX-License-Identifier: AGPL-3.0-or-later
// The review of a reporting year through the pages, and index runs started
// from a form: the secretariat's queue (filters, pagination, empty state,
// JSON twin), confirmation pages before every step, a return that needs a
// comment and shows it to the coordinator first, the audit rows, and the
// job page with its progress bar, self-refresh and cancel step. Years 2021
// and 2025 are free in the demo (2022 and 2024 are approved).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let coord;
let admin;
let anon;
const YEAR = 2021;

before(async () => {
  srv = await startServer();
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  anon = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

async function put(client, slug, year, values) {
  const r = await client.req('PUT', `/api/v1/cities/${slug}/observations`, { json: { year, values } });
  assert.equal(r.status, 200, await r.text());
}

async function queue(q = '') {
  const r = await admin.get(`/api/v1/review${q}`);
  assert.equal(r.status, 200);
  return r.json();
}

test('the queue starts empty; filters list the demo years a page at a time', async () => {
  let r = await admin.get('/admin/review');
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /class="empty"/);
  assert.match(html, /No year is waiting for review/);
  assert.match(html, /href="\/admin\/review" aria-current="page"/);
  const q = await queue();
  assert.equal(q.total, 0);
  assert.equal(q.filters.status, 'submitted');

  const approved = await queue('?status=approved&per_page=5');
  assert.ok(approved.total >= 10, `${approved.total} approved demo years`);
  assert.equal(approved.items.length, 5);
  assert.ok(approved.items.every((i) => i.status === 'approved' && i.entered <= i.total));
  r = await admin.get('/admin/review?status=approved&per_page=5&page=2');
  html = await r.text();
  assert.match(html, /rel="prev"/);
  assert.match(html, /rel="next"/);
  assert.match(html, /<option value="approved" selected>/);
  r = await admin.get('/admin/review?status=returned');
  assert.match(await r.text(), /No year has this status/);
  r = await admin.get('/admin/review?status=bogus');
  assert.equal(r.status, 400);
});

test('the coordinator confirms before submitting; the year then waits in the queue', async () => {
  await put(coord, 'cork', YEAR, [
    { code: '1.1.1.a', value: 91, source: 'Census' },
    { code: '1.1.1.b', value: 10 },
  ]);
  let r = await coord.get(`/cities/cork/data/${YEAR}`);
  let html = await r.text();
  assert.match(html, /<h1>Cork 2021/);
  assert.match(html, new RegExp(`<form method="get" action="/cities/cork/data/${YEAR}/submit"`));
  assert.doesNotMatch(html, /step=approve/, 'a coordinator has no approve button');
  r = await coord.get(`/cities/cork/data/${YEAR}/submit`);
  assert.equal(r.status, 200);
  html = await r.text();
  assert.match(html, /Submit this year for review\?/);
  assert.match(html, new RegExp(`<form method="post" action="/cities/cork/data/${YEAR}/submit"`));
  // Two values of the whole framework: said before submitting, not discovered after.
  assert.match(html, /2 \/ \d+ values entered \(\d+ %\)/);
  assert.match(html, /This year is incomplete\.<\/strong> \d+ measurements of the framework have no value/);
  r = await coord.post(`/cities/cork/data/${YEAR}/submit`, { form: {} });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/cities/cork/data/${YEAR}?submitted=1`);
  // Once submitted the confirmation says the step is not possible now.
  r = await coord.get(`/cities/cork/data/${YEAR}/submit`);
  assert.equal(r.status, 409);

  const q = await queue();
  assert.equal(q.total, 1);
  const [it] = q.items;
  assert.equal(it.city, 'cork');
  assert.equal(it.city_name, 'Cork');
  assert.equal(it.year, YEAR);
  assert.equal(it.entered, 2);
  assert.ok(it.total > 2);
  assert.equal(it.submitted_by, DEMO.coordinator.email);
  assert.match(it.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  html = await (await admin.get('/admin/review')).text();
  assert.match(html, /<a href="\/cities\/cork\/data\/2021">Cork<\/a>/);
  assert.match(html, /value="2">/);
  assert.match(html, new RegExp(`href="/admin/review/cork/${YEAR}\\?step=return"`));
});

test('coordinators and anonymous callers may not review', async () => {
  let r = await coord.get('/admin/review');
  assert.equal(r.status, 403);
  r = await coord.get('/api/v1/review');
  assert.equal(r.status, 403);
  r = await coord.post(`/admin/review/cork/${YEAR}/approve`, { form: {} });
  assert.equal(r.status, 403);
  r = await coord.get(`/admin/review/cork/${YEAR}?step=approve`);
  assert.equal(r.status, 403);
  r = await anon.get('/admin/review');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/login/);
  r = await anon.get('/api/v1/review');
  assert.equal(r.status, 401);
  r = await anon.get(`/cities/cork/data/${YEAR}/submit`);
  assert.equal(r.status, 303);
  // A forged step (no CSRF token) is refused even for the secretariat.
  r = await admin.post(`/admin/review/cork/${YEAR}/approve`, { form: {}, csrf: false });
  assert.equal(r.status, 403);
  assert.equal((await queue()).total, 1);
});

test('a return needs a comment, and the coordinator sees the comment first', async () => {
  let r = await admin.get(`/cities/cork/data/${YEAR}`);
  let html = await r.text();
  assert.match(html, new RegExp(`href="/admin/review/cork/${YEAR}\\?step=approve"`));
  // The approval page shows the year's completeness before the one click.
  html = await (await admin.get(`/admin/review/cork/${YEAR}?step=approve`)).text();
  assert.match(html, /2 \/ \d+ values entered/);
  assert.match(html, /This year is incomplete\./);
  r = await admin.get(`/admin/review/cork/${YEAR}?step=return`);
  assert.equal(r.status, 200);
  html = await r.text();
  assert.match(html, /<textarea id="comment" name="comment" required/);
  r = await admin.post(`/admin/review/cork/${YEAR}/return`, { form: { comment: '   ' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /A comment is required to return a year/);
  assert.equal((await queue()).total, 1, 'nothing changed');

  const comment = 'Check 1.1.1.a <b>again</b>: 91 % looks high';
  r = await admin.post(`/admin/review/cork/${YEAR}/return`, { form: { comment } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/review?done=returned');
  html = await (await admin.get('/admin/review?done=returned')).text();
  assert.match(html, /returned to the city with your comment/);
  assert.equal((await queue()).total, 0);
  assert.equal((await queue('?status=returned')).items[0].comment, comment);

  html = await (await coord.get(`/cities/cork/data/${YEAR}`)).text();
  const alert = html.match(/<div class="notice warn returned" role="alert">(.*?)<\/div>/s);
  assert.ok(alert, 'the returned notice is on the page');
  assert.match(alert[1], /Check 1\.1\.1\.a &lt;b&gt;again&lt;\/b&gt;: 91 % looks high/);
  assert.match(alert[1], /admin@example\.org/);
  assert.ok(html.indexOf('role="alert"') < html.indexOf('data-areas'), 'the comment comes before the areas');

  const audit = await (await admin.get('/api/v1/audit?action=year_review.')).json();
  const actions = audit.items.map((i) => i.action);
  assert.ok(actions.includes('year_review.submit'));
  assert.ok(actions.includes('year_review.return'));
});

test('corrected and resubmitted, the year is approved and leaves the queue', async () => {
  await put(coord, 'cork', YEAR, [{ code: '1.1.1.a', value: 81, source: 'Census, corrected' }]);
  const obs = await (await coord.get(`/api/v1/cities/cork/observations?year=${YEAR}`)).json();
  const a = obs.items.find((i) => i.code === '1.1.1.a');
  assert.equal(a.versions.length, 2, 'the correction is a new version');
  let r = await coord.post(`/cities/cork/data/${YEAR}/submit`, { form: {} });
  assert.equal(r.status, 303);
  r = await admin.get(`/admin/review/cork/${YEAR}?step=approve`);
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /Approve this year\?/);
  assert.match(html, /Check 1\.1\.1\.a/, 'the history shows the earlier return');
  r = await admin.post(`/admin/review/cork/${YEAR}/approve`, { form: {} });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/review?done=approved');
  assert.equal((await queue()).total, 0);
  r = await admin.post(`/admin/review/cork/${YEAR}/approve`, { form: {} });
  assert.equal(r.status, 409, 'an approved year cannot be approved again');
  const rep = await (await admin.get(`/cities/cork/data/${YEAR}`)).text();
  assert.match(rep, /<span class="badge">approved<\/span>/);
  assert.doesNotMatch(rep, /step=approve/);
  assert.match(rep, /step=return/, 'an approved year can still be returned');
});

test("a year's whole history, newest first, through the workflow's history routes", async () => {
  let r = await coord.get(`/api/v1/cities/cork/years/${YEAR}/history?per_page=2`);
  assert.equal(r.status, 200, await r.clone().text());
  const h = await r.json();
  assert.ok(h.total >= 5, `${h.total} steps: create, submit, return, submit, approve`);
  assert.equal(h.items.length, 2);
  assert.equal(h.items[0].transition, 'approve');
  assert.equal(h.items[1].transition, 'submit');
  assert.equal(h.item.process, 'year_review');
  assert.equal(h.item.title, `Cork ${YEAR}`);
  r = await coord.get(`/api/v1/cities/cork/years/${YEAR}/history?page=3&per_page=2`);
  assert.equal((await r.json()).items.at(-1).transition, 'create', 'the oldest step last');
  assert.equal((await anon.get(`/api/v1/cities/cork/years/${YEAR}/history`)).status, 401);
  assert.equal((await coord.get('/api/v1/cities/cork/years/2999/history')).status, 404, 'a year not started');
  assert.equal((await coord.get('/api/v1/cities/nowhere/years/2021/history')).status, 404);
  assert.equal((await coord.get(`/api/v1/cities/cork/years/${YEAR}/history?per_page=1000`)).status, 400);
  r = await coord.get(`/cities/cork/data/${YEAR}/history?lang=fr`);
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /renvoyée avec un commentaire/);
  assert.match(html, /Check 1\.1\.1\.a/, 'the return comment is in the history');
});

test('an index run starts from the form and its page shows progress, then the results', async () => {
  let r = await admin.get('/admin/index-runs');
  assert.equal(r.status, 200);
  let html = await r.text();
  assert.match(html, /<form method="post" action="\/admin\/index-runs"/);
  assert.match(html, /name="csrf"/);
  assert.match(html, /href="\/monitoring\?year=2024"/, 'the demo runs are listed');

  r = await admin.post('/admin/index-runs', { form: { year: '20x4', runs: '10' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /four digits/);
  r = await admin.post('/admin/index-runs', { form: { year: '2024', runs: '300' }, csrf: false });
  assert.equal(r.status, 403);

  r = await admin.post('/admin/index-runs', { form: { year: '2024', runs: '300' } });
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, /^\/admin\/jobs\/\d+$/);
  const id = loc.split('/').pop();
  html = await (await admin.get(loc)).text();
  assert.match(html, /<progress id="job-progress"/);
  const running = /data-state="(queued|running)"/.test(html);
  if (running) {
    assert.match(html, /<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
    assert.match(html, /<script src="\/static\/job\.js" defer><\/script>/);
  }
  let job;
  for (let i = 0; i < 200; i++) {
    job = await (await admin.get(`/api/v1/jobs/${id}`)).json();
    if (!['queued', 'running'].includes(job.state)) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.params.year, 2024);
  assert.equal(job.created_by, DEMO.admin.email);
  html = await (await admin.get(loc)).text();
  assert.doesNotMatch(html, /http-equiv="refresh"/, 'a finished job no longer refreshes');
  assert.doesNotMatch(html, /job\.js/);
  assert.match(html, /<progress id="job-progress" max="1" value="1/);
  assert.match(html, /href="\/monitoring\?year=2024"/);
  assert.match(html, new RegExp(`href="/api/v1/index-runs/${job.result.id}"`));
  assert.doesNotMatch(html, /\/cancel"/, 'no cancel button once done');
  html = await (await admin.get('/admin/index-runs')).text();
  assert.match(html, new RegExp(`href="/admin/jobs/${id}"`));

  // Cancelling a finished job changes nothing and says so by showing it again.
  r = await admin.post(`/admin/jobs/${id}/cancel`, { form: {} });
  assert.equal(r.status, 303);
  assert.equal((await (await admin.get(`/api/v1/jobs/${id}`)).json()).state, 'done');
  r = await coord.get(loc);
  assert.equal(r.status, 403);
});

test('a long run can be cancelled after a confirmation step', async () => {
  let r = await admin.post('/admin/index-runs', { form: { year: '2024', runs: '20000' } });
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  const id = loc.split('/').pop();
  r = await admin.get(`${loc}?confirm=1`);
  const html = await r.text();
  if (/data-state="(queued|running)"/.test(html)) {
    assert.match(html, /Cancel this run\?/);
    assert.match(html, new RegExp(`action="/admin/jobs/${id}/cancel"`));
    r = await admin.post(`/admin/jobs/${id}/cancel`, { form: {} });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), loc);
  }
  let job;
  for (let i = 0; i < 300; i++) {
    job = await (await admin.get(`/api/v1/jobs/${id}`)).json();
    if (!['queued', 'running'].includes(job.state)) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(['cancelled', 'done'].includes(job.state), job.state);
  if (job.state === 'cancelled') {
    const audit = await (await admin.get('/api/v1/audit?action=job.cancel')).json();
    assert.ok(audit.items.some((i) => i.object.id === String(id)), JSON.stringify(audit.items));
  }
});

test('the job script is a static file the CSP allows', async () => {
  const r = await admin.get('/static/job.js');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /javascript/);
  const page = await admin.get('/admin/index-runs');
  assert.match(page.headers.get('content-security-policy'), /script-src 'self'/);
});
