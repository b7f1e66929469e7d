// SPDX-License-Identifier: AGPL-3.0-or-later
// Sign-up for sessions with a capacity over HTTP (the demo's study visits
// take 30 each and run at the same time): a participant without an approved
// registration is refused with a coded reason; once approved they sign up
// from the session page, a sign-up for a study visit at the same time is
// refused, they withdraw; the organisers see counts and the list; the API
// answers the same. The 31st-waits evidence runs in tests/unit/test_programme_signup.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const SLUG = 'demo-conference';
const P = `/conferences/${SLUG}`;
let srv, admin, part, anon, visits;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  part = new Client(srv.base);
  await part.login(DEMO.participant);
  anon = new Client(srv.base);
  const prog = await (await anon.get(`/api/v1${P}/programme`)).json();
  visits = prog.days.flatMap((d) => d.sessions).filter((s) => s.type.code === 'study-visit');
});
after(async () => srv.stop());

test('an unapproved participant is refused; approved, they sign up, overlap is refused, they withdraw', async () => {
  assert.ok(visits.length >= 2);
  const [a, b] = visits;
  assert.equal(a.start, b.start);
  // The session page shows the places; anonymous readers get no button.
  const pub = await (await anon.get(`${P}/sessions/${a.id}`)).text();
  assert.match(pub, /Places left: <strong>30<\/strong> \/ 30/);
  assert.doesNotMatch(pub, new RegExp(`sessions/${a.id}/signup"`));
  // No registration yet: refused, with the reason in words and nothing written.
  let r = await part.post(`/api/v1${P}/sessions/${a.id}/signup`);
  assert.equal(r.status, 409);
  assert.match((await r.json()).error.message, /registration for the conference is approved/);
  await part.csrfFrom(`${P}/sessions/${a.id}`);
  r = await part.post(`${P}/sessions/${a.id}/signup`, { form: { back: `${P}/sessions/${a.id}` } });
  assert.equal(r.status, 409);
  assert.match(await r.text(), /seuls|only participants whose registration/);
  // Register (moderated: pending is still refused), then the organisers approve.
  r = await part.post(`/api/v1${P}/registrations`, { json: { category: 'mayor', answers: { name: 'Participant', organisation: 'Cork', country: 'IE', privacy: true } } });
  assert.equal(r.status, 201, await r.clone().text());
  const reg = await r.json();
  assert.equal((await part.post(`/api/v1${P}/sessions/${a.id}/signup`)).status, 409);
  r = await admin.post(`/api/v1${P}/registrations/${reg.id}/transitions`, { json: { to: 'approved' } });
  assert.equal(r.status, 200, await r.clone().text());
  // The session page's button signs up.
  const page = await (await part.get(`${P}/sessions/${a.id}`)).text();
  assert.match(page, new RegExp(`action="${P}/sessions/${a.id}/signup"`));
  assert.match(page, /<button type="submit">Sign up<\/button>/);
  r = await part.post(`${P}/sessions/${a.id}/signup`, { form: { back: `${P}/sessions/${a.id}` } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${P}/sessions/${a.id}`);
  const after = await (await part.get(`${P}/sessions/${a.id}`)).text();
  assert.match(after, /You are signed up for this session/);
  assert.match(after, /Places left: <strong>29<\/strong> \/ 30/);
  // A study visit at the same time is refused with its code, in French too.
  r = await part.post(`/api/v1${P}/sessions/${b.id}/signup`);
  assert.equal(r.status, 409);
  const body = await r.json();
  assert.match(body.error.message, new RegExp(`signed up for “${a.title}” at the same time`));
  r = await part.post(`/api/v1${P}/sessions/${b.id}/signup?lang=fr`);
  assert.equal(r.status, 409);
  assert.match((await r.json()).error.message, /vous êtes inscrit à « .* » à la même heure/);
  await part.get(`${P}/programme?lang=en`);
  // Twice is refused; a session without a capacity takes no sign-ups.
  assert.equal((await part.post(`/api/v1${P}/sessions/${a.id}/signup`)).status, 409);
  const open = (await (await anon.get(`/api/v1${P}/programme`)).json()).days.flatMap((d) => d.sessions).find((s) => s.type.code !== 'study-visit' && !s.cancelled);
  r = await part.post(`/api/v1${P}/sessions/${open.id}/signup`);
  assert.equal(r.status, 409);
  assert.match((await r.json()).error.message, /open to all/);
  assert.equal((await part.post(`/api/v1${P}/sessions/999999/signup`)).status, 404);
  // "My programme" shows the sign-up with its button.
  await part.post(`${P}/sessions/${a.id}/star`, { form: { on: '1' } });
  const mine = await (await part.get(`${P}/my-programme`)).text();
  assert.match(mine, /You are signed up for this session/);
  assert.match(mine, />Withdraw</);
  // The organisers see counts and the list; others may not.
  const list = await (await admin.get(`/api/v1${P}/sessions/${a.id}/signups`)).json();
  assert.deepEqual([list.capacity, list.used, list.waiting, list.left], [30, 1, 0, 29]);
  assert.equal(list.items[0].email, 'participant@example.org');
  assert.equal(list.items[0].state, 'signed_up');
  assert.equal((await part.get(`/api/v1${P}/sessions/${a.id}/signups`)).status, 403);
  const html = await (await admin.get(`${P}/sessions/${a.id}/signups`)).text();
  assert.match(html, /participant@example.org/);
  assert.match(html, /signed up/);
  const grid = await (await admin.get(`${P}/programme/edit?day=${a.start.slice(0, 10)}`)).text();
  assert.match(grid, new RegExp(`Sign-ups: 1 / 30`));
  // Withdraw: the place is free again, and the other visit may be taken.
  r = await part.req('DELETE', `/api/v1${P}/sessions/${a.id}/signup`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).state, 'withdrawn');
  assert.equal((await part.req('DELETE', `/api/v1${P}/sessions/${a.id}/signup`)).status, 404);
  r = await part.post(`/api/v1${P}/sessions/${b.id}/signup`);
  assert.equal(r.status, 201);
  assert.equal((await r.json()).state, 'signed_up');
});
