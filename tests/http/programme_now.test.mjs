// SPDX-License-Identifier: AGPL-3.0-or-later
// The now-and-next view of the conference day (/conferences/{slug}/now): what
// runs at the venue's time and what starts next, from the newest release,
// with ?at= to preview a moment; not a day of the conference says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client } from './client.mjs';

const P = '/conferences/demo-conference';
let srv, anon, prog;

before(async () => {
  srv = await startServer();
  anon = new Client(srv.base);
  prog = await (await anon.get(`/api/v1${P}/programme`)).json();
});
after(async () => srv.stop());

const mins = (s) => Number(s.slice(11, 13)) * 60 + Number(s.slice(14, 16));

test('now and next at a moment of a conference day', async () => {
  const all = prog.days.flatMap((d) => d.sessions).filter((s) => !s.cancelled);
  const s = all.find((x) => x.duration >= 60);
  const at = `${s.start.slice(0, 11)}${s.start.slice(11, 13)}:${String(Number(s.start.slice(14, 16)) + 10).padStart(2, '0')}`;
  const v = await (await anon.get(`/api/v1${P}/now?at=${at}`)).json();
  assert.equal(v.on_day, true);
  assert.equal(v.today, s.start.slice(0, 10));
  assert.ok(v.now.some((x) => x.id === s.id), JSON.stringify(v.now.map((x) => x.id)));
  const day = all.filter((x) => x.start.startsWith(v.today));
  const m = mins(at);
  const running = day.filter((x) => mins(x.start) <= m && m < mins(x.start) + x.duration).map((x) => x.id).sort();
  assert.deepEqual(v.now.map((x) => x.id).sort(), running);
  const after = day.filter((x) => mins(x.start) > m).map((x) => mins(x.start));
  if (after.length) {
    const first = Math.min(...after);
    assert.deepEqual(v.next.map((x) => x.id).sort(), day.filter((x) => mins(x.start) === first).map((x) => x.id).sort());
    assert.equal(v.later, after.filter((x) => x > first).length);
  }
  const page = await (await anon.get(`${P}/now?at=${at}`)).text();
  assert.match(page, /<h2 id="h-now">Now<\/h2>/);
  assert.ok(page.includes(s.title.replace(/&/g, '&amp;')));
  assert.match(await (await anon.get(`${P}/now?at=${at}&lang=fr`)).text(), /En ce moment/);
  // Linked from the programme.
  assert.match(await (await anon.get(`${P}/programme`)).text(), new RegExp(`href="${P}/now"`));
});

test('outside the conference, and a bad moment', async () => {
  const v = await (await anon.get(`/api/v1${P}/now?at=2001-01-01T10:00`)).json();
  assert.equal(v.on_day, false);
  assert.deepEqual([v.now.length, v.next.length], [0, 0]);
  // Without ?at= it answers for the venue's clock now (the demo is months away).
  const today = await (await anon.get(`/api/v1${P}/now`)).json();
  assert.equal(today.on_day, false);
  assert.equal(today.before, true);
  assert.match(await (await anon.get(`${P}/now?lang=en`)).text(), /The conference starts on/);
  assert.equal((await anon.get(`/api/v1${P}/now?at=tomorrow`)).status, 400);
  assert.equal((await anon.get('/api/v1/conferences/none/now')).status, 404);
});
