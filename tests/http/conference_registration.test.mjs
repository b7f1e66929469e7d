// SPDX-License-Identifier: AGPL-3.0-or-later
// Conference registration through the JSON API and the pages: the
// secretariat creates a conference (every problem named with its field,
// nothing written) and edits its categories; a person registers (a
// duplicate refused clearly, whatever the case of the address; problems
// named by field, on the page too, without JavaScript); a moderated
// category's approval, a rejection's reason the person reads; the waiting
// list (a full category waitlists, a cancelled place is offered, the offer
// taken on the page); capacity never exceeded by parallel registrations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const CROWD = 12; // accounts registering at once
let srv;
let admin;
let part;
let anon;
let crowd = [];

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-conf-'));
  const db = path.join(dir, 'conf.db');
  execFileSync(BIN, ['demo', '--db', db], { stdio: 'pipe' });
  for (let i = 0; i < CROWD; i++) {
    execFileSync(BIN, ['user', 'add', '--db', db, '--email', `Person${i}@Example.org`, '--name', `Person ${i}`],
      { input: `Crowd-person-pass-${i}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  }
  srv = await startServer([], { db });
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  part = new Client(srv.base);
  await part.login(DEMO.participant);
  anon = new Client(srv.base);
  // One login after another (a password hash each, which the server rations);
  // the registrations are what run at once.
  for (let i = 0; i < CROWD; i++) {
    const c = new Client(srv.base);
    await c.login({ email: `person${i}@example.org`, password: `Crowd-person-pass-${i}` });
    crowd.push(c);
  }
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

const json = async (r) => JSON.parse(await r.text());
const fields = (p) => p.problems.map((x) => x.field);
const ANSWERS = { name: 'Participant', organisation: 'Cork City Council', country: 'IE', privacy: true };

const CONF = {
  slug: 'iclc-test', title: { en: 'Test conference', fr: 'Conférence de test' },
  start_date: '2027-06-01', end_date: '2027-06-03', timezone: 'Europe/Dublin',
  venue: { name: 'City Hall', address: 'Cork' }, languages: ['en', 'fr'],
  categories: [
    { code: 'small', name: 'Small', capacity: 5, opens: '2026-01-01', closes: '2027-05-31', visibility: 'public', moderated: false },
    { code: 'mod', name: { en: 'Moderated', fr: 'Modérée' }, capacity: 10, opens: '2026-01-01', closes: '2027-05-31', visibility: 'public', moderated: true },
  ],
};

test('the secretariat creates a conference; every problem is named and nothing is written', async () => {
  let r = await part.post('/api/v1/conferences', { json: CONF });
  assert.equal(r.status, 403);
  r = await anon.post('/api/v1/conferences', { json: CONF, csrf: null });
  assert.equal(r.status, 401);
  const bad = { ...CONF, slug: 'X y', end_date: '2027-05-01', categories: [{ ...CONF.categories[0], capacity: 0, form: { sections: [{ id: 's', title: 'S', fields: [{ id: 'f', kind: 'photo', label: 'F' }] }] } }] };
  r = await admin.post('/api/v1/conferences', { json: bad });
  assert.equal(r.status, 422);
  const p = await json(r);
  for (const f of ['slug', 'end_date', 'categories[0].capacity', 'categories[0].form.sections[0].fields[0].kind']) {
    assert.ok(fields(p).includes(f), `${f} in ${JSON.stringify(fields(p))}`);
  }
  assert.equal((await anon.get('/api/v1/conferences/iclc-test')).status, 404);
  r = await admin.post('/api/v1/conferences', { json: CONF });
  assert.equal(r.status, 201, await r.clone().text());
  const v = await json(r);
  assert.deepEqual(v.categories.map((c) => c.code), ['small', 'mod']);
  r = await admin.req('PUT', '/api/v1/conferences/iclc-test', { json: { ...CONF, categories: [{ ...CONF.categories[1], capacity: 12 }] } });
  assert.equal(r.status, 200);
  assert.equal((await json(r)).categories[1].capacity, 12);
  // The public page and the list of conferences run here, in French.
  r = await anon.get('/conferences/iclc-test?lang=fr');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /Conférence de test/);
  assert.match(html, /Modérée/);
  assert.match(await (await anon.get('/conferences')).text(), /href="\/conferences\/iclc-test"/);
  // The admin form refuses with its problems and keeps what was typed.
  await admin.csrfFrom('/admin/conferences');
  r = await admin.post('/admin/conferences', { form: { slug: 'iclc-test', title: 'Again', start_date: '2027-06-01', end_date: '2027-06-03', timezone: 'Europe/Dublin', venue: 'Hall', languages: 'en' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /exists already/);
});

test('a person registers once per conference; problems are named by field, on the page too', async () => {
  let r = await part.post('/api/v1/conferences/iclc-test/registrations', { json: { category: 'small', answers: { name: 'P' } } });
  assert.equal(r.status, 422);
  const p = await json(r);
  assert.ok(fields(p).includes('answers.organisation'));
  assert.ok(fields(p).includes('answers.privacy'));
  r = await part.post('/api/v1/conferences/iclc-test/registrations', { json: { category: 'mod', answers: ANSWERS } });
  assert.equal(r.status, 201);
  const reg = await json(r);
  assert.equal(reg.state, 'pending');
  r = await part.post('/api/v1/conferences/iclc-test/registrations', { json: { category: 'small', answers: ANSWERS } });
  assert.equal(r.status, 409);
  assert.match((await json(r)).error.message, /registered for this conference already/);
  // Others cannot see it; the organisers approve, then reject with a reason the person reads.
  assert.equal((await crowd[0].get(`/api/v1/conferences/iclc-test/registrations/${reg.id}`)).status, 403);
  r = await part.post(`/api/v1/conferences/iclc-test/registrations/${reg.id}/transitions`, { json: { to: 'approved' } });
  assert.equal(r.status, 403);
  r = await admin.post(`/api/v1/conferences/iclc-test/registrations/${reg.id}/transitions`, { json: { to: 'rejected' } });
  assert.equal(r.status, 422);
  r = await admin.post(`/api/v1/conferences/iclc-test/registrations/${reg.id}/transitions`, { json: { to: 'rejected', reason: 'Ministers only.' } });
  assert.equal(r.status, 200);
  r = await part.get(`/conferences/iclc-test/registrations/${reg.id}`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Ministers only\./);
  // Rejected: the person may register again (on the page, without JavaScript).
  await part.csrfFrom('/conferences/iclc-test/register/mod');
  r = await part.post('/conferences/iclc-test/register/mod', { form: { a_name: 'P', a_country: 'ZZ' } });
  assert.equal(r.status, 422);
  const page = await r.text();
  assert.match(page, /id="e_organisation"/);
  assert.match(page, /id="e_country"/);
  assert.match(page, /id="e_privacy"/);
  assert.match(page, /value="ZZ"/);
  r = await part.post('/conferences/iclc-test/register/mod', { form: { a_name: 'P', a_organisation: 'Cork', a_country: 'IE', a_privacy: '1' } });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/conferences\/iclc-test\/registrations\/\d+$/);
});

test('parallel registrations never exceed a category\'s capacity; the rest wait in order', async () => {
  const rs = await Promise.all(crowd.map((c) => c.post('/api/v1/conferences/iclc-test/registrations', { json: { category: 'small', answers: ANSWERS } })));
  const bodies = await Promise.all(rs.map((r) => json(r)));
  assert.deepEqual(rs.map((r) => r.status), Array(CROWD).fill(201), JSON.stringify(bodies.find((b) => !b.id)));
  const states = bodies.map((b) => b.state);
  assert.equal(states.filter((s) => s === 'approved').length, 5);
  assert.equal(states.filter((s) => s === 'waitlisted').length, CROWD - 5);
  const v = await json(await anon.get('/api/v1/conferences/iclc-test'));
  const small = v.categories.find((c) => c.code === 'small');
  assert.equal(small.used, 5);
  assert.equal(small.waiting, CROWD - 5);

  // A place frees: the first to wait gets an offer and takes it on the page, with confirmation.
  const approved = bodies.filter((b) => b.state === 'approved');
  const waiting = bodies.filter((b) => b.state === 'waitlisted').sort((a, b) => a.id - b.id);
  const i0 = crowd.findIndex((_, i) => bodies[i].id === approved[0].id);
  let r = await crowd[i0].post(`/api/v1/conferences/iclc-test/registrations/${approved[0].id}/transitions`, { json: { to: 'withdrawn' } });
  assert.equal(r.status, 200);
  const first = waiting[0];
  const who = crowd[bodies.findIndex((b) => b.id === first.id)];
  let reg = await json(await who.get(`/api/v1/conferences/iclc-test/registrations/${first.id}`));
  assert.equal(reg.state, 'offered');
  assert.ok(reg.offer_until);
  await who.csrfFrom(`/conferences/iclc-test/registrations/${first.id}`);
  r = await who.post(`/conferences/iclc-test/registrations/${first.id}/transitions`, { form: { to: 'approved' } });
  assert.equal(r.status, 422); // the confirmation box was not ticked
  r = await who.post(`/conferences/iclc-test/registrations/${first.id}/transitions`, { form: { to: 'approved', confirm: '1' } });
  assert.equal(r.status, 303);
  reg = await json(await who.get(`/api/v1/conferences/iclc-test/registrations/${first.id}`));
  assert.equal(reg.state, 'approved');
  // Approved: the person's page links to the badge, which is theirs and the organisers' only.
  const badge = `/api/v1/conferences/iclc-test/registrations/${first.id}/badge.pdf`;
  assert.ok((await (await who.get(`/conferences/iclc-test/registrations/${first.id}`)).text()).includes(`href="${badge}"`));
  r = await who.get(badge);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal((await admin.get(badge)).status, 200);
  assert.equal((await crowd[i0].get(badge)).status, 404);
  assert.equal((await who.get(`/api/v1/conferences/iclc-test/registrations/999999/badge.pdf`)).status, 404);
  const after = (await json(await anon.get('/api/v1/conferences/iclc-test'))).categories.find((c) => c.code === 'small');
  assert.equal(after.used, 5);
  // A promotion past the capacity is refused with its reason.
  r = await admin.post(`/api/v1/conferences/iclc-test/registrations/${waiting[1].id}/transitions`, { json: { to: 'approved', reason: 'Speaker.' } });
  assert.equal(r.status, 409);
});
