// SPDX-License-Identifier: AGPL-3.0-or-later
// The conference programme over HTTP: the released programme's page, API and
// exports (iCalendar parsed back by /usr/bin/python3's icalendar; Frab JSON and
// XML validated against the vendored schema and XSD in tests/frab/), and the
// issue's evidence: a participant stars a session; the secretariat moves it
// in five edits through the editor's forms and cancels another, then
// releases; the changelog says exactly that, the ICS keeps both UIDs, raises
// the moved one's SEQUENCE and marks the other cancelled, and the participant
// gets exactly one e-mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const FRAB = join(HERE, '..', 'frab');
const SLUG = 'demo-conference';
const P = `/conferences/${SLUG}`;
let srv, admin, part, anon;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  part = new Client(srv.base);
  await part.login(DEMO.participant);
  anon = new Client(srv.base);
});
after(async () => srv.stop());

function python(script, files) {
  const dir = mkdtempSync(join(tmpdir(), 'lc-prog-'));
  const paths = files.map(([name, text]) => { const p = join(dir, name); writeFileSync(p, text); return p; });
  return execFileSync('/usr/bin/python3', ['-c', script, FRAB, ...paths], { encoding: 'utf8' });
}

const VALIDATE = `
import sys, json, jsonschema, lxml.etree as ET
frab, js, xml = sys.argv[1:4]
jsonschema.validate(json.load(open(js)), json.load(open(frab + '/schema.json')), format_checker=jsonschema.FormatChecker())
xsd = ET.XMLSchema(ET.parse(frab + '/schedule.xml.xsd'))
doc = ET.parse(xml)
if not xsd.validate(doc): sys.exit(str(xsd.error_log))
print('ok')
`;

const ICAL = `
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[2], 'rb').read())
for e in cal.walk('VEVENT'):
    print(e['UID'], int(e.get('SEQUENCE', 0)), e.get('STATUS'), e.decoded('DTSTART').isoformat(), e.decoded('DTSTAMP').tzname())
print('TZ', [str(t['TZID']) for t in cal.walk('VTIMEZONE')])
`;

test('the programme page, its API and its filters, in English and French', async () => {
  const page = await anon.get(`${P}/programme`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Digital inclusion/);
  assert.match(html, /ليلى حداد/);
  const api = await (await anon.get(`/api/v1${P}/programme?track=green`)).json();
  assert.equal(api.version.name, 'v2');
  for (const d of api.days) for (const s of d.sessions) assert.equal(s.track.code, 'green');
  const fr = await (await anon.get(`${P}/programme?lang=fr`)).text();
  assert.match(fr, /Séance plénière d’ouverture/);
  assert.equal((await anon.get(`${P}/programme?version=v1`)).status, 200);
  assert.equal((await anon.get(`${P}/programme?version=nope`)).status, 404);
  assert.equal((await anon.get('/conferences/no-such/programme')).status, 404);
  // The work in progress is not public.
  assert.equal((await anon.get(`/api/v1${P}/programme/draft`)).status, 401);
});

test('Frab JSON and XML validate against the schema and XSD; the ICS parses back', async () => {
  const js = await (await anon.get(`${P}/schedule.json`)).text();
  const xml = await (await anon.get(`${P}/schedule.xml`)).text();
  assert.equal(python(VALIDATE, [['s.json', js], ['s.xml', xml]]).trim(), 'ok');
  const ics = await anon.get(`${P}/programme.ics`);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const text = await ics.text();
  for (const line of text.split('\r\n').slice(0, -1)) assert.ok(Buffer.byteLength(line) <= 75, line);
  const out = python(ICAL, [['p.ics', text]]);
  assert.match(out, /TZ \['Europe\/Paris'\]/);
  assert.equal(out.split('\n').filter((l) => l.startsWith('session-')).length, 40);
  assert.ok(out.split('\n').filter((l) => l.startsWith('session-')).every((l) => l.endsWith(' UTC')));
  const one = await (await anon.get(`${P}/programme.ics?session=1`)).text();
  assert.equal((one.match(/BEGIN:VEVENT/g) || []).length, 1);
});

test('star, move in five edits, cancel, release: one e-mail, the changelog, the ICS', async () => {
  const draft = await (await admin.get(`/api/v1${P}/programme/draft`)).json();
  const moved = draft.sessions.find((s) => s.title.en === 'Skills for green jobs');
  const gone = draft.sessions.find((s) => s.title.en === 'Measuring a learning city');
  const room = draft.rooms.find((r) => r.id !== moved.room && r.name.en === 'Room D');
  await part.csrfFrom(`${P}/programme`);
  const star = await part.post(`${P}/sessions/${moved.id}/star`, { form: { on: '1' } });
  assert.equal(star.status, 303);
  assert.match(await (await part.get(`${P}/my-programme`)).text(), /Skills for green jobs/);
  await admin.csrfFrom(`${P}/programme/edit`);
  const day = moved.start.slice(0, 10);
  for (const t of ['17:30', '17:45', '18:00', '18:15', '18:30']) {
    const r = await admin.post(`${P}/programme/sessions/${moved.id}`, { form: { start: `${day}T${t}`, room: String(room.id), duration: String(moved.duration) } });
    assert.equal(r.status, 303);
  }
  const bad = await admin.post(`${P}/programme/sessions/${moved.id}`, { form: { start: '1999-01-01T10:00' } });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /the conference runs from/);
  const c = await admin.post(`${P}/programme/sessions/${gone.id}`, { form: { cancelled: '1', duration: String(gone.duration) } });
  assert.equal(c.status, 303);
  // Edits are not public.
  assert.match(await (await anon.get(`${P}/sessions/${moved.id}?lang=en`)).text(), /Skills for green jobs/);
  const before = (await (await anon.get(`/api/v1${P}/programme`)).json()).version.name;
  assert.equal(before, 'v2');
  const rel = await admin.post(`${P}/programme/release`, { form: { name: 'v3', note: 'Moves' } });
  assert.equal(rel.status, 303);
  const log = await (await anon.get(`/api/v1${P}/changelog`)).json();
  const ch = log.items[0].changes;
  assert.equal(log.items[0].name, 'v3');
  assert.deepEqual([ch.moved.length, ch.cancelled.length, ch.renamed.length, ch.new.length], [1, 1, 0, 0]);
  assert.equal(ch.moved[0].when, `${day} 18:30`);
  assert.equal(ch.moved[0].old_when, `${day} 14:00`);
  assert.equal(ch.moved[0].room, 'Room D');
  assert.equal(ch.cancelled[0].id, gone.id);
  const out = python(ICAL, [['p.ics', await (await anon.get(`${P}/programme.ics`)).text()]]);
  const line = (id) => out.split('\n').find((l) => l.startsWith(`session-${id}-`));
  assert.match(line(moved.id), / 1 CONFIRMED /);
  assert.match(line(gone.id), / 1 CANCELLED /);
  const mine = await (await part.get(`${P}/my-programme.ics`)).text();
  assert.equal((mine.match(/BEGIN:VEVENT/g) || []).length, 1);
  assert.match(mine, new RegExp(`UID:session-${moved.id}-`));
  const mail = execFileSync('sqlite3', [srv.db, "SELECT count(*) FROM outbox WHERE kind = 'programme_changed' AND to_addr = 'participant@example.org'"], { encoding: 'utf8' });
  assert.equal(mail.trim(), '1');
});
