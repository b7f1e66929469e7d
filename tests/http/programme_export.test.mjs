// SPDX-License-Identifier: AGPL-3.0-or-later
// The conference programme's exports beyond iCalendar and Frab: the Atom feed
// of the changelog, parsed by /usr/bin/python3's lxml after a release that
// moves, cancels and renames sessions; and the per-room and per-track
// iCalendar selections.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';
import { unzip } from './xlsx.mjs';

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

test('the printable PDF: A4, by day and room, names in every script', async () => {
  const res = await anon.get(`${P}/programme.pdf?lang=en`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const dir = mkdtempSync(join(tmpdir(), 'lc-progpdf-'));
  const file = join(dir, 'p.pdf');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const api = await (await anon.get(`/api/v1${P}/programme?lang=en`)).json();
  for (const name of ['ليلى حداد', '王芳', 'Иван Петров', 'Plenary hall', api.days[0].sessions[0].title]) assert.ok(text.includes(name), name);
  // Days in order.
  const at = api.days.map((d) => text.search(new RegExp(`^\\f?${d.date}\\s*$`, 'm')));
  assert.ok(at.every((x, i) => x >= 0 && (i === 0 || x > at[i - 1])), 'days in order');
  execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', file, join(dir, 'page')]);
  assert.equal((await anon.get(`${P}/programme.pdf?version=v1`)).status, 200);
  assert.equal((await anon.get(`${P}/programme.pdf?version=nope`)).status, 404);
  assert.match(await (await anon.get(`${P}/programme`)).text(), /href="[^"]*\/programme\.pdf/);
});

test('CSV and XLSX of the sessions for the organisers only', async () => {
  for (const ext of ['csv', 'xlsx']) {
    assert.equal((await anon.get(`${P}/programme/sessions.${ext}`)).status >= 300, true);
    const part = new Client(srv.base);
    await part.login(DEMO.participant);
    assert.equal((await part.get(`${P}/programme/sessions.${ext}`)).status, 403);
  }
  assert.match(await (await admin.get(`${P}/programme`)).text(), /programme\/sessions\.xlsx/);
  const r = await admin.get(`${P}/programme/sessions.csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /filename="programme-sessions\.csv"/);
  const lines = (await r.text()).trimEnd().split('\r\n');
  assert.equal(lines[0], 'Id,Day,Start,End,Minutes,Room,Track,Type,Title,Speakers,Chair,Interpretation,Cancelled');
  const draft = await (await admin.get(`/api/v1${P}/programme/draft`)).json();
  assert.equal(lines.length - 1, draft.sessions.length);
  const forum = lines.find((l) => l.includes('Mayors’ forum: learning'));
  assert.match(forum, /^\d+,\d{4}-\d\d-\d\d,11:00,12:30,90,Plenary hall,Key Features: planning and governance,Mayors’ forum,Mayors’ forum: learning for all ages,Somchai Jaidee \(สมชาย ใจดี\); Abebe Kebede \(አበበ ከበደ\),Anita Sharma,en; fr; ar; zh; ru; es,false$/);
  const fr = await (await admin.get(`${P}/programme/sessions.csv?lang=fr`)).text();
  assert.match(fr, /^Id,Jour,/);
  const x = await admin.get(`${P}/programme/sessions.xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const text = [...unzip(Buffer.from(await x.arrayBuffer())).values()].map((b) => b.toString()).join('');
  assert.ok(text.includes('ليلى حداد') || text.includes('Layla Haddad'));
  assert.equal(text.split('<row ').length - 1, draft.sessions.length + 1);
});

test('iCalendar of one room and of one track: only their sessions', async () => {
  const api = await (await anon.get(`/api/v1${P}/programme`)).json();
  const all = api.days.flatMap((d) => d.sessions);
  const room = all.find((s) => s.room).room;
  const track = all.find((s) => s.track).track.code;
  const uids = (text) => [...text.matchAll(/^UID:session-(\d+)-/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
  const byRoom = await anon.get(`${P}/programme.ics?room=${room.id}`);
  assert.match(byRoom.headers.get('content-type'), /^text\/calendar/);
  const want = (f) => all.filter(f).map((s) => s.id).sort((a, b) => a - b);
  const r = uids(await byRoom.text());
  assert.ok(r.length > 0);
  assert.deepEqual(r, want((s) => s.room && s.room.id === room.id));
  const t = uids(await (await anon.get(`${P}/programme.ics?track=${track}`)).text());
  assert.ok(t.length > 0);
  assert.deepEqual(t, want((s) => s.track && s.track.code === track));
  assert.ok(t.length < all.length && r.length < all.length);
});

// The command line: export, import (all or nothing), round trips.
function cli(...args) {
  return spawnSync(BIN, ['conference', 'programme', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
}
function sql(db, q) {
  return execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
}

test('CLI: export and import round-trip in JSON and CSV, into the work in progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-progcli-'));
  const db = join(dir, 'p.db');
  execFileSync(BIN, ['demo', '--db', db], { stdio: 'pipe' });
  const base = ['--db', db, '--conference', SLUG];
  const js = join(dir, 'p.json');
  let r = cli('export', ...base, '--out', js);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(js, 'utf8'));
  assert.ok(doc.sessions.length >= 30);
  assert.ok(doc.rooms.length >= 6 && doc.speakers.length > 0 && doc.types.length > 0);
  assert.equal(doc.warnings, undefined);
  assert.ok(!JSON.stringify(doc).includes('@'), 'no e-mail address in an export');
  // Standard output is the same document.
  assert.equal(cli('export', ...base).stdout, readFileSync(js, 'utf8'));
  const versions = sql(db, 'SELECT count(*) FROM programme_versions');

  // JSON back into the same database: everything updated, nothing created, nothing changed.
  r = cli('import', ...base, js);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 created, \d+ updated/);
  assert.equal(cli('export', ...base).stdout, readFileSync(js, 'utf8'));
  assert.equal(sql(db, 'SELECT count(*) FROM programme_versions'), versions, 'not a release');

  // CSV: export, import unchanged, then a change comes through.
  const csv = join(dir, 'p.csv');
  assert.equal(cli('export', ...base, '--format', 'csv', '--out', csv).status, 0);
  const text = readFileSync(csv, 'utf8');
  assert.match(text.split('\r\n')[0], /^id,start,duration,room,type,track,languages,chair,speakers,cancelled,title\.en,/);
  r = cli('import', ...base, csv);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(cli('export', ...base, '--format', 'csv').stdout, text);
  const first = doc.sessions[0];
  const lines = text.split('\r\n');
  const i = lines.findIndex((l) => l.startsWith(`${first.id},`));
  const moved = `${first.start.slice(0, 10)}T07:05`;
  lines[i] = lines[i].replace(first.start, moved);
  writeFileSync(csv, lines.join('\r\n'));
  assert.equal(cli('import', ...base, csv).status, 0);
  const after = JSON.parse(cli('export', ...base).stdout);
  assert.equal(after.sessions.find((s) => s.id === first.id).start, moved);

  // New elements: a room and a speaker by the file's own ids, and a session using both.
  const extra = { rooms: [{ id: 9001, name: { en: 'Annex' }, capacity: 12 }],
    speakers: [{ id: 9002, name: 'Ōta Sayuri', name_native: '太田さゆり' }],
    sessions: [{ title: { en: 'Side event', fr: 'Événement parallèle' }, type: first.type, room: 9001, chair: 9002,
      speakers: [9002], start: first.start, duration: 30 }] };
  writeFileSync(join(dir, 'new.json'), JSON.stringify(extra));
  r = cli('import', ...base, join(dir, 'new.json'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 created, 0 updated/);
  const grown = JSON.parse(cli('export', ...base).stdout);
  const side = grown.sessions.find((s) => s.title.en === 'Side event');
  const annex = grown.rooms.find((x) => x.name.en === 'Annex');
  const ota = grown.speakers.find((x) => x.name_native === '太田さゆり');
  assert.equal(side.room, annex.id);
  assert.deepEqual([side.chair, side.speakers], [ota.id, [ota.id]]);
});

test('CLI: a bad file names every problem with its row and field and changes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-progcli-'));
  const db = join(dir, 'p.db');
  execFileSync(BIN, ['demo', '--db', db], { stdio: 'pipe' });
  const base = ['--db', db, '--conference', SLUG];
  const before = cli('export', ...base).stdout;
  const audit = sql(db, 'SELECT count(*) FROM audit');
  const doc = JSON.parse(before);
  const [a, b] = doc.sessions;
  // Row 2 is fine; the others are not, each in its own way.
  const csv = ['id,start,duration,room,type,title.en',
    `${a.id},2026-13-40T99:00,60,${a.room},${a.type},Bad start`,
    `${b.id},${b.start},30,,${b.type},Fine`,
    `,${a.start},abc,777777,nosuchtype,New`].join('\n');
  writeFileSync(join(dir, 'bad.csv'), csv);
  let r = cli('import', ...base, join(dir, 'bad.csv'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing was changed/);
  assert.match(r.stderr, /bad\.csv:2: sessions: start: give a start as YYYY-MM-DDTHH:MM/);
  for (const f of ['duration', 'room', 'type']) assert.match(r.stderr, new RegExp(`bad\\.csv:4: sessions: ${f}: `), f);
  assert.doesNotMatch(r.stderr, /bad\.csv:3:/);
  // The domain's problems with the row of the file.
  const dup = JSON.parse(JSON.stringify(doc));
  dup.sessions[1].start = '1999-01-01T10:00';
  dup.sessions[2].room = 424242;
  dup.rooms[0].capacity = -1;
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(dup));
  r = cli('import', ...base, join(dir, 'bad.json'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.json:2: sessions: start: the conference runs from/);
  assert.match(r.stderr, /bad\.json:3: sessions: room: /);
  assert.match(r.stderr, /bad\.json:1: rooms: capacity: /);
  for (const [name, body] of [['syntax.json', '{"sessions": ['], ['member.json', '{"sessions": [{"id": 1, "colour": "red"}]}'],
    ['column.csv', 'id,colour\n1,red\n']]) {
    writeFileSync(join(dir, name), body);
    r = cli('import', ...base, join(dir, name));
    assert.equal(r.status, 1, name);
    assert.match(r.stderr, /not JSON|unknown member “colour”|unknown column “colour”/, name);
  }
  assert.equal(cli('export', ...base).stdout, before);
  assert.equal(sql(db, 'SELECT count(*) FROM audit'), audit);
  assert.equal(cli('import', ...base, join(dir, 'missing.json')).status, 1);
  assert.equal(cli('import', '--db', db, '--conference', 'nope', join(dir, 'bad.json')).status, 1);
  assert.equal(cli('export', ...base, '--format', 'xml').status, 2);
});
