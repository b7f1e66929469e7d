// SPDX-License-Identifier: AGPL-3.0-or-later
// The programme editor as a day x room grid: rooms as columns and times as
// rows for a chosen day, each session a card with its own form (day, start,
// room, duration) and a cancel button, a form to create a session; the
// writes go through the same domain function as the API, and warnings (a
// room used twice, a speaker in two places, a session past its day) are
// shown on the grid and returned by the API, never a silent failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const SLUG = 'demo-conference';
const P = `/conferences/${SLUG}`;
let srv, admin;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  await admin.csrfFrom(`${P}/programme/edit`);
});
after(async () => srv.stop());

const draft = async () => (await admin.get(`/api/v1${P}/programme/draft`)).json();

test('the editor is a grid of one day: a column per room, a row per half hour', async () => {
  const d = await draft();
  const day = d.sessions[0].start.slice(0, 10);
  const html = await (await admin.get(`${P}/programme/edit?day=${day}`)).text();
  assert.match(html, /<table class="prog-grid" id="prog-grid">/);
  const heads = [...html.matchAll(/<th scope="col">([^<]+)/g)].map((m) => m[1].trim());
  assert.equal(heads[0], 'Time');
  for (const r of d.rooms) assert.ok(heads.includes(r.name.en), r.name.en);
  assert.ok(heads.includes('Off site'));
  assert.match(html, /<th scope="row">09:00<\/th>/);
  assert.match(html, /<th scope="row">09:30<\/th>/);
  // Every non-cancelled session of the day sits in its room's column, at its start's slot.
  for (const s of d.sessions.filter((x) => x.start.startsWith(day))) {
    const t = s.start.slice(11);
    const slot = `${t.slice(0, 3)}${Number(t.slice(3)) < 30 ? '00' : '30'}`;
    const cell = new RegExp(`<td class="slot" data-day="${day}" data-time="${slot}" data-room="${s.room ?? ''}"[^>]*>(?:(?!</td>)[\\s\\S])*id="s${s.id}"`);
    assert.match(html, cell, `session ${s.id} at ${s.start} in room ${s.room}`);
  }
  // Sessions of another day are not on this day's grid.
  const other = d.sessions.find((x) => !x.start.startsWith(day));
  assert.ok(!html.includes(`id="s${other.id}"`));
  // Drag and drop is an enhancement over the forms.
  assert.match(html, /<script src="\/static\/programme_edit.js" defer>/);
  assert.match(html, new RegExp(`<form id="f${d.sessions[0].id}" class="card-form" method="post"`));
  const js = await admin.get('/static/programme_edit.js');
  assert.equal(js.status, 200);
  // An unknown day shows the first one.
  const first = [...new Set(d.sessions.map((x) => x.start.slice(0, 10)))].sort()[0];
  assert.match(await (await admin.get(`${P}/programme/edit?day=1999-01-01`)).text(), new RegExp(`<h2 id="g-${first}">`));
});

test('a card form moves a session by day, start and room; the grid shows it there', async () => {
  const d = await draft();
  const s = d.sessions.find((x) => !x.cancelled && x.room);
  const days = [...new Set(d.sessions.map((x) => x.start.slice(0, 10)))].sort();
  const to = days[days.length - 1];
  const room = d.rooms.find((r) => r.id !== s.room);
  const r = await admin.post(`${P}/programme/sessions/${s.id}`, { form: { day: to, time: '07:15', room: String(room.id), duration: String(s.duration) } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${P}/programme/edit?done=1&day=${to}#s${s.id}`);
  const after = (await draft()).sessions.find((x) => x.id === s.id);
  assert.equal(after.start, `${to}T07:15`);
  assert.equal(after.room, room.id);
  assert.equal(after.cancelled, false);
  const html = await (await admin.get(`${P}/programme/edit?day=${to}&done=1`)).text();
  assert.match(html, /<th scope="row">07:00<\/th>/);
  assert.match(html, new RegExp(`data-time="07:00" data-room="${room.id}"[^>]*>\\s*<div class="card[^"]*" id="s${s.id}"`));
  // A bad time is refused with its reason and changes nothing.
  const bad = await admin.post(`${P}/programme/sessions/${s.id}`, { form: { day: to, time: '25:99' } });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /give a start as YYYY-MM-DDTHH:MM/);
  assert.equal((await draft()).sessions.find((x) => x.id === s.id).start, `${to}T07:15`);
});

test('cancel and restore from the grid; a move keeps a cancelled session cancelled', async () => {
  const d = await draft();
  const s = d.sessions.find((x) => !x.cancelled);
  assert.equal((await admin.post(`${P}/programme/sessions/${s.id}`, { form: { cancelled: '1' } })).status, 303);
  assert.equal((await draft()).sessions.find((x) => x.id === s.id).cancelled, true);
  assert.equal((await admin.post(`${P}/programme/sessions/${s.id}`, { form: { duration: '45' } })).status, 303);
  const kept = (await draft()).sessions.find((x) => x.id === s.id);
  assert.equal(kept.cancelled, true);
  assert.equal(kept.duration, 45);
  const html = await (await admin.get(`${P}/programme/edit?day=${s.start.slice(0, 10)}`)).text();
  assert.match(html, /Restore the session/);
  assert.equal((await admin.post(`${P}/programme/sessions/${s.id}`, { form: { cancelled: '0' } })).status, 303);
  assert.equal((await draft()).sessions.find((x) => x.id === s.id).cancelled, false);
});

test('the create form adds a session; a bad one is refused and adds nothing', async () => {
  const d = await draft();
  const day = d.sessions[0].start.slice(0, 10);
  const type = d.types[0].code;
  const n = d.sessions.length;
  const bad = await admin.post(`${P}/programme/sessions`, { form: { title_en: '', type, day, time: '10:00', duration: '60' } });
  assert.equal(bad.status, 422);
  assert.equal((await draft()).sessions.length, n);
  const r = await admin.post(`${P}/programme/sessions`, { form: { title_en: 'Walk by the river', type, day, time: '16:00', room: '', duration: '90' } });
  assert.equal(r.status, 303);
  const made = (await draft()).sessions.find((x) => x.title.en === 'Walk by the river');
  assert.ok(made);
  assert.deepEqual([made.start, made.room, made.duration, made.type], [`${day}T16:00`, null, 90, type]);
  assert.equal(r.headers.get('location'), `${P}/programme/edit?done=1&day=${day}#s${made.id}`);
});

test('warnings, not silent failures: the API answer and the grid say a room is used twice', async () => {
  const d = await draft();
  const [a, b] = d.sessions.filter((x) => !x.cancelled && x.room).slice(0, 2);
  const put = await admin.req('PUT', `/api/v1${P}/programme/sessions/${b.id}`, { json: { start: a.start, room: a.room, duration: a.duration } });
  assert.equal(put.status, 200);
  const body = await put.json();
  assert.equal(body.id, b.id);
  assert.ok(body.warnings.some((w) => w.code === 'room_twice' && [w.session, w.other].includes(a.id)), JSON.stringify(body.warnings));
  const html = await (await admin.get(`${P}/programme/edit?day=${a.start.slice(0, 10)}`)).text();
  assert.match(html, new RegExp(`<div class="card warn" id="s${b.id}"|<div class="card warn" id="s${a.id}"`));
  assert.match(html, /the room is used by another session at the same time/);
  // A session running past midnight is saved with its warning.
  const late = await admin.req('PUT', `/api/v1${P}/programme/sessions/${a.id}`, { json: { start: `${a.start.slice(0, 10)}T23:00`, duration: 120 } });
  assert.equal(late.status, 200);
  assert.ok((await late.json()).warnings.some((w) => w.code === 'outside_day'));
  // The French grid says it in French.
  const fr = await (await admin.get(`${P}/programme/edit?day=${a.start.slice(0, 10)}&lang=fr`)).text();
  assert.match(fr, /<th scope="col">Heure/);
});
