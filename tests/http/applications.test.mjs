// SPDX-License-Identifier: AGPL-3.0-or-later
// Membership applications over HTTP: sign-up, the API's whole path (create,
// edit, pledge upload and download, submit, endorse, return for
// information, answer, jury, recommend, approve) until the city is a member
// in the public directory; every forbidden transition per role answered 409
// or 403/401; problems answered 422 naming the fields; uploads that are not
// what they claim refused; calls managed by the secretariat only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO, startSmtp, linkIn } from './client.mjs';

let srv, smtp;
const c = {};
const PASSWORD = 'Learning-city-2026!';

// A one-pixel PNG (signature, IHDR of length 13, IDAT, IEND).
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');

const CHALLENGES = ['inclusion', 'literacy', 'employability', 'health', 'sustainability',
  'citizenship', 'digital', 'governance'];

function form(city) {
  return {
    city_name: city, mayor_name: 'Máire Ní Bhriain', mayor_title: 'Mayor',
    contact_name: 'Seán Ó Dálaigh', contact_email: 'contact@example.net', language: 'en',
    data_year: 2025, population: 45000, area_km2: 28.5, gdp_city_usd: 51000,
    gdp_country_usd: 47000, schooling_men: 12.4, schooling_women: 13.1,
    motivation: 'We want to learn with the network. '.repeat(10),
    implementation: 'A city learning plan with libraries and schools. '.repeat(5),
    links: ['https://example.net/plan'],
    challenges: Object.fromEntries(CHALLENGES.map((k, i) => [k, 1 + (i % 5)])),
  };
}

// The newest confirmation link e-mailed to an address (after `after` messages).
async function confirmLink(email, after = 0) {
  const mine = () => smtp.messages().filter((m) => m.to.includes(email) && linkIn(m, '/signup/verify'));
  await smtp.waitFor(() => mine().length > after);
  const all = mine();
  return linkIn(all[all.length - 1], '/signup/verify');
}

// Signs up, which logs nobody in: the e-mailed link, opened with the password, does.
async function signup(email) {
  const cl = new Client(srv.base);
  const before = smtp.messages().filter((m) => m.to.includes(email)).length;
  let r = await cl.post('/signup', { form: { email, name: 'Applicant ' + email, password: PASSWORD, password2: PASSWORD }, csrf: false });
  const html = await r.text();
  assert.equal(r.status, 200, html);
  assert.match(html, /role="status"/);
  assert.equal(cl.session, undefined, 'signed up is not logged in');
  const link = await confirmLink(email, before);
  r = await cl.get(link.href);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /action="\/signup\/verify"/);
  r = await cl.post('/signup/verify', { form: { token: link.token, password: PASSWORD }, csrf: false });
  assert.equal(r.status, 303, await r.text());
  assert.equal(r.headers.get('location'), '/apply');
  await cl.csrfFrom('/apply');
  assert.ok(cl.csrf);
  return cl;
}

async function json(r, status) {
  const text = await r.text();
  assert.equal(r.status, status, text);
  return JSON.parse(text);
}

async function upload(cl, id, bytes, filename, type = 'application/pdf') {
  const fd = new FormData();
  fd.append('pledge', new Blob([bytes], { type }), filename);
  return fetch(`${srv.base}/api/v1/applications/${id}/pledge`, {
    method: 'POST', body: fd, headers: { Cookie: cl.cookieHeader(), 'X-CSRF-Token': cl.csrf },
  });
}

async function draft(cl, city, full = true) {
  const body = full ? { call: 1, country: 'IE', ...form(city) } : { call: 1, country: 'IE', city_name: city };
  const app = await json(await cl.post('/api/v1/applications', { json: body }), 201);
  if (full) await json(await upload(cl, app.id, PNG, 'pledge.png', 'image/png'), 200);
  return app.id;
}

const step = (cl, id, to, reason) =>
  cl.post(`/api/v1/applications/${id}/transitions`, { json: reason ? { to, reason } : { to } });

before(async () => {
  smtp = await startSmtp();
  srv = await startServer(['--smtp', smtp.url, '--mail-from', 'learncity@example.org',
    '--outbox-interval', '1']);
  for (const role of ['admin', 'natcom', 'expert', 'coordinator', 'jury', 'participant', 'norole']) {
    c[role] = new Client(srv.base);
    await c[role].login(DEMO[role]);
  }
  c.anonymous = new Client(srv.base);
});
after(async () => {
  const code = await srv?.stop();
  await smtp?.stop();
  assert.equal(code, 0);
});

test('sign-up: the password policy, a taken address, then a confirmed account that is logged in', async () => {
  const cl = new Client(srv.base);
  let r = await cl.post('/signup', { form: { email: 'weak@example.net', name: 'W', password: 'short', password2: 'short' }, csrf: false });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /field-error/);
  // A taken address answers exactly as a new one (no probing for accounts); its owner is told.
  const probe = async (email) => {
    const res = await new Client(srv.base).post('/signup', { form: { email, name: 'X', password: PASSWORD, password2: PASSWORD }, csrf: false });
    return { status: res.status, body: (await res.text()).replaceAll(email, 'EMAIL') };
  };
  const fresh = await probe('never-seen@example.net');
  const taken = await probe(DEMO.admin.email);
  assert.equal(fresh.status, 200);
  assert.deepEqual(taken, fresh, 'the same status and page for a taken address');
  const notice = await smtp.waitFor((m) => m.to.includes(DEMO.admin.email) && /tried to sign up/.test(m.subject));
  assert.ok(notice, 'the owner hears of it');
  const ok = await signup('first@example.net');
  const me = await json(await ok.get('/api/v1/me'), 200);
  assert.equal(me.email, 'first@example.net');
  assert.equal(me.status, 'active');
  // Logged in, the sign-up page leads to the application instead.
  r = await ok.post('/signup', { form: { email: 'second@example.net', name: 'S', password: PASSWORD, password2: PASSWORD } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/apply');
  assert.equal((await json(await ok.get('/api/v1/me'), 200)).email, 'first@example.net');
});

test('sign-up confirmation: no login before it, one link at a time, the password, single use', async () => {
  const email = 'pending@example.net';
  const cl = new Client(srv.base);
  let r = await cl.post('/signup', { form: { email, name: 'Pending', password: PASSWORD, password2: PASSWORD }, csrf: false });
  assert.equal(r.status, 200);
  const first = await confirmLink(email);
  // Before confirming: the right password hears why, a wrong one hears the usual answer.
  r = await cl.post('/api/v1/login', { json: { email, password: PASSWORD }, csrf: null });
  assert.equal(r.status, 401);
  assert.match(await r.text(), /confirm your e-mail address first/);
  r = await cl.post('/api/v1/login', { json: { email, password: 'Not-the-password-1' }, csrf: null });
  assert.equal(r.status, 401);
  assert.doesNotMatch(await r.text(), /confirm/);
  r = await cl.post('/login', { form: { email, password: PASSWORD }, csrf: false });
  assert.equal(r.status, 401);
  assert.match(await r.text(), /confirm your e-mail address first/);
  // Signing up again sends a new link; the first one stops working.
  r = await cl.post('/signup', { form: { email, name: 'Pending', password: PASSWORD, password2: PASSWORD }, csrf: false });
  assert.equal(r.status, 200);
  const second = await confirmLink(email, 1);
  assert.notEqual(second.token, first.token);
  assert.equal((await cl.get(first.href)).status, 404);
  r = await cl.post('/signup/verify', { form: { token: first.token, password: PASSWORD }, csrf: false });
  assert.equal(r.status, 404);
  // A wrong token, then the wrong password: refused, the link still works.
  r = await cl.post('/signup/verify', { form: { token: 'A'.repeat(43), password: PASSWORD }, csrf: false });
  assert.equal(r.status, 404);
  r = await cl.post('/signup/verify', { form: { token: second.token, password: 'Not-the-password-1' }, csrf: false });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /field-error/);
  r = await cl.post('/signup/verify', { form: { token: second.token, password: PASSWORD }, csrf: false });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/apply');
  assert.ok(cl.session);
  // Used: the link works no more.
  assert.equal((await new Client(srv.base).get(second.href)).status, 404);
  // The audit names the sign-up and the confirmation.
  const audit = await json(await c.admin.get('/api/v1/audit?action=account.verify'), 200);
  assert.ok(JSON.stringify(audit).includes(email));
});

test('the whole path through the API, to a member city in the directory', async () => {
  const ann = await signup('ann@example.net');
  const created = await json(await ann.post('/api/v1/applications', { json: { call: 1, country: 'ie', city_name: 'Letterkenny' } }), 201);
  assert.equal(created.state, 'draft');
  assert.equal(created.country, 'IE');
  assert.equal(created.editable, true);
  assert.ok(created.missing.some((m) => m.field === 'pledge'));
  const id = created.id;

  // Incomplete: submitting names what is missing.
  let r = await step(ann, id, 'submitted');
  let body = await json(r, 422);
  assert.ok(body.problems.some((p) => p.field === 'mayor_name'));
  assert.ok(body.problems.some((p) => p.field === 'pledge'));

  // Bad fields: 422 naming each, nothing saved.
  body = await json(await ann.req('PUT', `/api/v1/applications/${id}`, { json: { contact_email: 'nope', motivation: 'w '.repeat(201), challenges: { health: 9 } } }), 422);
  const fields = body.problems.map((p) => p.field).sort();
  assert.deepEqual(fields, ['challenge_health', 'contact_email', 'motivation']);

  let app = await json(await ann.req('PUT', `/api/v1/applications/${id}`, { json: form('Letterkenny') }), 200);
  assert.equal(app.form.population, 45000);
  assert.equal(app.form.contact_email, 'contact@example.net');

  // Uploads that are not what they claim.
  body = await json(await upload(ann, id, Buffer.from('<!doctype html><html><body>x</body></html>'), 'pledge.pdf'), 422);
  assert.equal(body.problems[0].field, 'pledge');
  body = await json(await upload(ann, id, Buffer.from('%PDF-1.4\n<html><script>alert(1)</script>'), 'pledge.pdf'), 422);
  const bad = Buffer.from(PNG); bad[11] = 14;
  await json(await upload(ann, id, bad, 'pledge.png', 'image/png'), 422);
  // Too large: refused past the limit (8 MiB), naming the field. (Past the route's body
  // limit the server itself answers 413 before reading: protocol.test.mjs.)
  const big = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.7\n'); big.write('%%EOF\n', big.length - 6);
  body = await json(await upload(ann, id, big, 'big.pdf'), 413);
  assert.equal(body.problems[0].field, 'pledge');
  // A real one, whatever the client says it is.
  app = await json(await upload(ann, id, PNG, 'Pledge (signed).pdf', 'application/pdf'), 200);
  assert.equal(app.pledge.content_type, 'image/png');
  assert.equal(app.pledge.size, PNG.length);
  assert.match(app.pledge.filename, /\.png$/);
  // The links come back as the list they were given (they were once read as {}).
  assert.deepEqual(app.form.links, ['https://example.net/plan']);
  r = await ann.get(`/api/v1/applications/${id}/pledge`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="[A-Za-z0-9_-]+\.png"$/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-pledge-sha256'), app.pledge.sha256);
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), PNG);

  // Before submission only the applicant and the secretariat see it.
  for (const who of ['natcom', 'expert', 'coordinator', 'norole'])
    assert.equal((await c[who].get(`/api/v1/applications/${id}`)).status, 403, who);
  assert.equal((await c.anonymous.get(`/api/v1/applications/${id}`)).status, 401);
  assert.equal((await c.natcom.get(`/api/v1/applications/${id}/pledge`)).status, 403);

  app = await json(await step(ann, id, 'submitted'), 200);
  assert.equal(app.state, 'submitted');
  assert.ok(app.due_at);
  // No more edits, and no upload.
  await json(await ann.req('PUT', `/api/v1/applications/${id}`, { json: { mayor_title: 'Lord Mayor' } }), 409);
  await json(await upload(ann, id, PNG, 'p.png', 'image/png'), 409);

  // The commission's queue has it; the secretariat waits for the commission.
  const q = await json(await c.natcom.get('/api/v1/applications'), 200);
  assert.ok(q.items.some((i) => i.id === id));
  app = await json(await c.admin.get(`/api/v1/applications/${id}`), 200);
  assert.ok(!app.next.some((n) => n.to === 'screening'));
  assert.equal((await step(c.admin, id, 'screening')).status, 409);
  app = await json(await c.natcom.get(`/api/v1/applications/${id}`), 200);
  assert.deepEqual(app.next.map((n) => n.to).sort(), ['declined', 'screening']);
  assert.equal((await step(c.natcom, id, 'declined')).status, 422); // a reason is required
  app = await json(await step(c.natcom, id, 'screening'), 200);
  assert.equal(app.state, 'screening');

  app = await json(await step(c.admin, id, 'info_requested', 'What budget supports the plan?'), 200);
  app = await json(await ann.get(`/api/v1/applications/${id}`), 200);
  assert.equal(app.editable, true);
  await json(await ann.req('PUT', `/api/v1/applications/${id}`, { json: { mayor_title: 'Cathaoirleach' } }), 200);
  assert.equal((await step(ann, id, 'screening')).status, 422); // the answer is the reason
  app = await json(await step(ann, id, 'screening', 'EUR 1.2 million a year from the city budget.'), 200);
  app = await json(await step(c.admin, id, 'jury_review'), 200);
  const ex = await json(await c.expert.get('/api/v1/applications'), 200);
  assert.deepEqual(ex.items.map((i) => i.id), [id]);
  assert.equal((await step(c.expert, id, 'not_recommended')).status, 422);
  app = await json(await step(c.expert, id, 'recommended'), 200);
  assert.equal((await step(c.admin, id, 'approved')).status, 422);
  app = await json(await step(c.admin, id, 'approved', 'A convincing plan, endorsed and recommended.'), 200);
  assert.equal(app.state, 'approved');
  assert.equal(app.city.slug, 'letterkenny');
  assert.deepEqual(app.history.map((h) => h.transition),
    ['create', 'submit', 'endorse', 'return', 'answer', 'to_jury', 'recommend', 'approve']);
  assert.equal(app.history[3].reason, 'What budget supports the plan?');

  // In the public directory, a member; the applicant coordinates it.
  const city = await json(await c.anonymous.get('/api/v1/cities/letterkenny'), 200);
  assert.match(JSON.stringify(city), /"member"/);
  const list = await (await c.anonymous.get('/cities?q=letterkenny')).text();
  assert.match(list, /Letterkenny/);
  const me = await json(await ann.get('/api/v1/me'), 200);
  assert.ok(JSON.stringify(me.roles).includes('coordinator:letterkenny'));
});

test('a step through the page form, as the page posts it: its button names the state', async () => {
  const cara = await signup('cara@example.net');
  const id = await draft(cara, 'Castlebar');
  const r = await cara.post(`/applications/${id}/transitions`, { form: { to: 'submitted', reason: '', confirm: 'submitted' } });
  assert.equal(r.status, 303, await r.text());
  assert.equal(r.headers.get('location'), `/applications/${id}?done=submitted`);
  const app = await json(await cara.get(`/api/v1/applications/${id}`), 200);
  assert.equal(app.state, 'submitted');
});

test('forbidden transitions: 409 from the wrong state, 403/401 for the wrong role', async () => {
  const bob = await signup('bob@example.net');
  const id = await draft(bob, 'Ballina');
  const STATES = ['draft', 'submitted', 'escalated', 'screening', 'info_requested', 'jury_review',
    'recommended', 'not_recommended', 'approved', 'rejected', 'declined', 'withdrawn'];
  // From draft only submitted and withdrawn exist; everything else is 409 for whoever sees it.
  for (const to of STATES) {
    if (to === 'submitted' || to === 'withdrawn') continue;
    assert.equal((await step(c.admin, id, to, 'A reason.')).status, 409, `admin draft -> ${to}`);
    // Who may not see the draft learns nothing of its state: 403, as for any unseen case.
    for (const who of ['natcom', 'expert'])
      assert.equal((await step(c[who], id, to, 'A reason.')).status, 403, `${who} draft -> ${to}`);
    assert.equal((await step(bob, id, to, 'A reason.')).status, 409, `owner draft -> ${to}`);
  }
  // Someone else's draft: 403 for accounts, 401 without login.
  for (const who of ['natcom', 'expert', 'coordinator', 'jury', 'participant', 'norole'])
    assert.equal((await step(c[who], id, 'submitted')).status, 403, who);
  assert.equal((await step(c.anonymous, id, 'submitted')).status, 401);
  await json(await step(bob, id, 'submitted'), 200);
  // Endorsing is the commission's: others 403 (the expert, a coordinator), the owner too.
  for (const who of ['expert', 'coordinator', 'jury', 'participant', 'norole'])
    assert.equal((await step(c[who], id, 'screening')).status, 403, who);
  assert.equal((await step(bob, id, 'screening')).status, 403);
  await json(await step(c.natcom, id, 'screening'), 200);
  // Screening is the secretariat's.
  for (const who of ['natcom', 'expert', 'norole'])
    for (const to of ['info_requested', 'jury_review', 'rejected'])
      assert.equal((await step(c[who], id, to, 'r')).status, 403, `${who} -> ${to}`);
  assert.equal((await step(bob, id, 'jury_review')).status, 403);
  await json(await step(c.admin, id, 'jury_review'), 200);
  // Recommending is the jury's; deciding is the secretariat's.
  for (const who of ['natcom', 'norole'])
    assert.equal((await step(c[who], id, 'recommended')).status, 403, who);
  await json(await step(c.expert, id, 'not_recommended', 'The plan lacks a budget.'), 200);
  for (const who of ['natcom', 'expert'])
    assert.equal((await step(c[who], id, 'approved', 'r')).status, 403, who);
  await json(await step(c.admin, id, 'rejected', 'Not ready this time.'), 200);
  // Terminal: nothing leaves it, for anyone.
  for (const to of STATES)
    for (const who of ['admin', 'natcom', 'expert'])
      assert.equal((await step(c[who], id, to, 'r')).status, 409, `${who} rejected -> ${to}`);
  // Unknown state, bad bodies.
  assert.equal((await step(c.admin, id, 'nowhere', 'r')).status, 409);
  assert.equal((await c.admin.post(`/api/v1/applications/${id}/transitions`, { json: { reason: 1 } })).status, 400);
  assert.equal((await step(c.admin, 999999, 'approved', 'r')).status, 404);
});

test('a declined city cannot apply again in the same call; the cap of endorsements holds', async () => {
  const cy = await signup('cy@example.net');
  const id = await draft(cy, 'Tuam');
  await json(await step(cy, id, 'submitted'), 200);
  await json(await step(c.natcom, id, 'declined', 'Not an elected city council.'), 200);
  const again = await draft(cy, 'TUAM');
  const body = await json(await step(cy, again, 'submitted'), 409);
  assert.equal(body.problems[0].field, 'city_name');

  // Three endorsed in this call already? Count what the earlier tests endorsed.
  const dee = await signup('dee@example.net');
  const ids = [];
  for (const city of ['Carrick', 'Dungarvan', 'Edenderry', 'Fermoy']) {
    const i = await draft(dee, city);
    await json(await step(dee, i, 'submitted'), 200);
    ids.push(i);
  }
  let endorsed = 0, refused = 0;
  for (const i of ids) {
    const r = await step(c.natcom, i, 'screening');
    if (r.status === 200) endorsed++;
    else { assert.equal(r.status, 409); refused++; assert.match((await r.json()).error.message, /cap is 3/); }
  }
  assert.ok(refused >= 1, 'the fourth endorsement of the call is refused');
  // Withdrawing an endorsed one frees a place.
  const done = [];
  for (const i of ids) {
    const a = await json(await dee.get(`/api/v1/applications/${i}`), 200);
    if (a.state === 'screening') done.push(i);
  }
  await json(await step(dee, done[0], 'withdrawn'), 200);
  const waiting = ids.find((i) => !done.includes(i));
  await json(await step(c.natcom, waiting, 'screening'), 200);
});

test('calls: the secretariat opens and edits them; others may not', async () => {
  const call = { year: 2027, title: 'Call 2027', opens: '2027-04-01', closes: '2027-05-31' };
  assert.equal((await c.natcom.post('/api/v1/calls', { json: call })).status, 403);
  assert.equal((await c.anonymous.post('/api/v1/calls', { json: call, csrf: false })).status, 401);
  const made = await json(await c.admin.post('/api/v1/calls', { json: call }), 201);
  assert.equal(made.cap, 3);
  assert.equal(made.open, false);
  const bad = await json(await c.admin.req('PUT', `/api/v1/calls/${made.id}`, { json: { ...call, closes: '2027-03-01', cap: 0 } }), 422);
  assert.ok(bad.problems.some((p) => p.field === 'closes'));
  const edited = await json(await c.admin.req('PUT', `/api/v1/calls/${made.id}`, { json: { ...call, cap: 2 } }), 200);
  assert.equal(edited.cap, 2);
  const all = await json(await c.anonymous.get('/api/v1/calls'), 200);
  assert.deepEqual(all.calls.map((x) => x.year), [2027, 2026]);
  // Applying to a call that has not opened is possible as a draft, submitting is not.
  const eve = await signup('eve@example.net');
  const d = await json(await eve.post('/api/v1/applications', { json: { call: made.id, country: 'FR', ...form('Rennes') } }), 201);
  await json(await upload(eve, d.id, PNG, 'p.png', 'image/png'), 200);
  const refused = await json(await step(eve, d.id, 'submitted'), 409);
  assert.match(refused.error.message, /opens on 2027-04-01/);
  // The page lists the calls.
  const page = await (await c.admin.get('/admin/calls')).text();
  assert.match(page, /Call 2027/);
});

test('pages: the form, the queues and the pipeline render, with CSRF on every form', async () => {
  const fay = await signup('fay@example.net');
  const r = await fay.post('/apply', { form: { call: '1', country: 'IE', city_name: 'Gort' } });
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.match(loc, /^\/applications\/\d+$/);
  let html = await (await fay.get(loc)).text();
  assert.match(html, /name="csrf"/);
  assert.match(html, /enctype="multipart\/form-data"/);
  // Saving with a motivation over the limit keeps the text and says why.
  const saved = await fay.post(loc, { form: { city_name: 'Gort', motivation: 'word '.repeat(205) } });
  assert.equal(saved.status, 422);
  html = await saved.text();
  assert.match(html, /205 words; at most 200/);
  // Links saved from the page come back in their box, one a line.
  const withLinks = await fay.post(loc, { form: { city_name: 'Gort', links: 'https://gort.example/plan\nhttps://gort.example/festival' } });
  assert.equal(withLinks.status, 303);
  html = await (await fay.get(loc)).text();
  assert.match(html, /<textarea id="links"[^>]*>https:\/\/gort\.example\/plan\nhttps:\/\/gort\.example\/festival<\/textarea>/);
  // Without the token: refused.
  assert.equal((await fay.post(loc, { form: { city_name: 'X' }, csrf: 'wrong' })).status, 403);
  // The pledge form carries its token as a hidden field of the multipart body,
  // not in its action's query string, and the route reads it from there only.
  const pledgeForm = html.match(/<form[^>]*action="([^"]*\/pledge[^"]*)"[^>]*>([\s\S]*?)<\/form>/);
  assert.ok(pledgeForm, 'the pledge form');
  assert.equal(pledgeForm[1], loc + '/pledge');
  assert.match(pledgeForm[2], new RegExp(`<input type="hidden" name="csrf" value="${fay.csrf}">`));
  const pledgePage = (fields, query = '') => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    fd.append('pledge', new Blob([PNG], { type: 'image/png' }), 'pledge.png');
    return fetch(`${srv.base}${loc}/pledge${query}`, {
      method: 'POST', body: fd, redirect: 'manual', headers: { Cookie: fay.cookieHeader() },
    });
  };
  assert.equal((await pledgePage({})).status, 403, 'no token');
  assert.equal((await pledgePage({ csrf: 'wrong' })).status, 403, 'a wrong token');
  const inQuery = await pledgePage({}, `?csrf=${encodeURIComponent(fay.csrf)}`);
  assert.equal(inQuery.status, 403, 'the token in the query string only');
  let got = await json(await fay.get(`/api/v1/applications/${loc.split('/').pop()}`), 200);
  assert.equal(got.pledge ?? null, null, 'nothing stored by the refused uploads');
  const accepted = await pledgePage({ csrf: fay.csrf });
  assert.equal(accepted.status, 303, await accepted.text());
  assert.equal(accepted.headers.get('location'), loc + '?done=pledge');
  got = await json(await fay.get(`/api/v1/applications/${loc.split('/').pop()}`), 200);
  assert.equal(got.pledge.filename, 'pledge.png');
  for (const [who, path] of [['natcom', '/natcom/applications'], ['expert', '/expert/applications'],
    ['admin', '/admin/applications'], ['admin', '/admin/applications?state=submitted']]) {
    const p = await c[who].get(path);
    assert.equal(p.status, 200, `${who} ${path}`);
  }
  assert.equal((await c.admin.get('/admin/applications?state=bogus')).status, 400);
  html = await (await c.admin.get('/admin/applications')).text();
  assert.match(html, /Letterkenny/);
  html = await (await c.admin.get('/admin/applications?country=fr')).text();
  assert.match(html, /Rennes/);
  assert.doesNotMatch(html, /Letterkenny/);
  assert.match(html, /href="\/admin\/applications\?state=draft&amp;country=fr"/);
});

test('an application naming an existing city says so on its page, in the API and in the queue', async () => {
  const eve = await signup('cork.fan@example.net');
  const id = await draft(eve, 'Córk');
  const api = await json(await eve.get(`/api/v1/applications/${id}`), 200);
  assert.equal(api.existing_city.slug, 'cork');
  assert.equal(api.existing_city.status, 'member');
  const page = await (await eve.get(`/applications/${id}`)).text();
  assert.match(page, /id="existing-city"/);
  assert.match(page, /href="\/cities\/cork"/);
  const list = await json(await c.admin.get('/api/v1/applications'), 200);
  const row = list.items.find((x) => x.id === id);
  assert.equal(row.existing_city.slug, 'cork');
});
