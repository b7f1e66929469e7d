// SPDX-License-Identifier: AGPL-3.0-or-later
// The conference programme's exports beyond iCalendar and Frab: the Atom feed
// of the changelog, parsed by /usr/bin/python3's lxml after a release that
// moves, cancels and renames sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const SLUG = 'demo-conference';
const P = `/conferences/${SLUG}`;
let srv, admin, anon;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  anon = new Client(srv.base);
});
after(async () => srv.stop());

function python(script, text) {
  const dir = mkdtempSync(join(tmpdir(), 'lc-progx-'));
  const p = join(dir, 'in');
  writeFileSync(p, text);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, p], { encoding: 'utf8' }));
}

// The feed as {title, entries: [{title, id, updated, first, items: {class: [text]}}]}.
const ATOM = `
import sys, json, lxml.etree as ET
A = '{http://www.w3.org/2005/Atom}'; H = '{http://www.w3.org/1999/xhtml}'
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + 'feed', feed.tag
for need in ('id', 'title', 'updated'):
    assert feed.find(A + need) is not None, need
out = {'title': feed.findtext(A + 'title'), 'self': [l.get('href') for l in feed.findall(A + 'link') if l.get('rel') == 'self'], 'entries': []}
for e in feed.findall(A + 'entry'):
    div = e.find(A + 'content').find(H + 'div')
    items = {}
    for li in div.iter(H + 'li'):
        items.setdefault(li.get('class'), []).append(''.join(li.itertext()))
    out['entries'].append({'title': e.findtext(A + 'title'), 'id': e.findtext(A + 'id'),
        'updated': e.findtext(A + 'updated'), 'first': div.find(H + 'p') is not None, 'items': items})
print(json.dumps(out))
`;

test('the Atom feed says what each release changed, linked from the programme and the changelog', async () => {
  for (const page of [`${P}/programme`, `${P}/changelog`]) {
    assert.match(await (await anon.get(page)).text(), new RegExp(`href="${P}/changelog.atom"`));
  }
  const draft = await (await admin.get(`/api/v1${P}/programme/draft`)).json();
  const moved = draft.sessions.find((s) => s.title.en === 'Skills for green jobs');
  const gone = draft.sessions.find((s) => s.title.en === 'Measuring a learning city');
  const renamed = draft.sessions.find((s) => !s.cancelled && s.id !== moved.id && s.id !== gone.id);
  const room = draft.rooms.find((r) => r.id !== moved.room && r.name.en === 'Room D');
  const oldRoom = draft.rooms.find((r) => r.id === moved.room);
  await admin.csrfFrom(`${P}/programme/edit`);
  const day = moved.start.slice(0, 10);
  const post = async (id, form) => assert.equal((await admin.post(`${P}/programme/sessions/${id}`, { form })).status, 303);
  await post(moved.id, { start: `${day}T17:30`, room: String(room.id), duration: String(moved.duration) });
  await post(gone.id, { cancelled: '1', duration: String(gone.duration) });
  await post(renamed.id, { title_en: 'A title & <new> one', duration: String(renamed.duration) });
  assert.equal((await admin.post(`${P}/programme/release`, { form: { name: 'v3', note: 'Moves' } })).status, 303);

  const res = await anon.get(`${P}/changelog.atom`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/atom\+xml/);
  const feed = python(ATOM, await res.text());
  assert.match(feed.title, /Changes to the programme/);
  assert.equal(feed.self.length, 1);
  assert.deepEqual(feed.entries.map((e) => e.title), ['Version v3', 'Version v2', 'Version v1']);
  assert.equal(new Set(feed.entries.map((e) => e.id)).size, 3);
  const [v3, v2, v1] = feed.entries;
  assert.ok(v1.first);
  assert.deepEqual(v1.items, {});
  // v2 (the demo's second release) says what the changelog's API says.
  const log = await (await anon.get(`/api/v1${P}/changelog`)).json();
  const api2 = log.items.find((i) => i.name === 'v2').changes;
  for (const k of ['moved', 'cancelled', 'renamed', 'new']) {
    assert.equal((v2.items[k] || []).length, api2[k].length, k);
  }
  assert.ok(!v2.first);
  // v3: exactly one of each, with the old and new time and room of the moved one.
  assert.deepEqual(Object.keys(v3.items).sort(), ['cancelled', 'moved', 'renamed']);
  assert.deepEqual(v3.items.moved, [`Skills for green jobs: ${moved.start.replace('T', ' ')}, ${oldRoom.name.en} → ${day} 17:30, Room D`]);
  assert.equal(v3.items.cancelled.length, 1);
  assert.match(v3.items.cancelled[0], /^Measuring a learning city: /);
  assert.deepEqual(v3.items.renamed, [`${renamed.title.en} → A title & <new> one`]);
  assert.match(v3.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // In French, the words are French.
  const fr = python(ATOM, await (await anon.get(`${P}/changelog.atom?lang=fr`)).text());
  assert.match(fr.entries[0].title, /^Version v3/);
  assert.notEqual(fr.title, feed.title);
  assert.equal((await anon.get('/conferences/no-such/changelog.atom')).status, 404);
});

