// SPDX-License-Identifier: AGPL-3.0-or-later
// Check-in over HTTP: door staff (checkin:demo-conference) upload scans; the
// same upload twice changes nothing; one ticket scanned on two devices is
// kept twice and flagged; a second scan online answers "already checked in"
// with the time; a revoked, altered or foreign ticket is refused; other
// people may not scan; the offline bundle verifies tickets with tweetnacl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const nacl = require('tweetnacl');

const SLUG = 'demo-conference';
let srv, staff, admin, part;
const tickets = {};

const cli = (...args) => execFileSync(BIN, ['conference', ...args, '--db', srv.db, '--conference', SLUG], { encoding: 'utf8' }).trim();
const nonce = (n) => `http-test-nonce-${String(n).padStart(4, '0')}`;
const scan = (ticket, device, n, at) => ({ ticket, device, nonce: nonce(n), scanned_at: at });

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  // The account without roles becomes door staff of the demo conference.
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', 'door@example.org', '--name', 'Door', '--role', `checkin:${SLUG}`],
    { input: 'Door-staff-demo-pass\n', stdio: ['pipe', 'pipe', 'pipe'] });
  for (const reg of [11, 12, 13]) tickets[reg] = cli('ticket', '--registration', String(reg));
  part = new Client(srv.base);
  await part.login(DEMO.participant);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

async function staffClient() {
  if (staff) return staff;
  staff = new Client(srv.base);
  await staff.login({ email: 'door@example.org', password: 'Door-staff-demo-pass' });
  return staff;
}

test('uploads: a repeated upload changes nothing, two devices keep both scans, flagged', async () => {
  const c = await staffClient();
  const now = Math.floor(Date.now() / 1000);
  const batch = { scans: [scan(tickets[11], 'door-a', 1, now - 120), scan(tickets[11], 'door-b', 2, now - 60), scan(tickets[12], 'door-a', 3, now - 30)] };
  let r = await c.post(`/api/v1/conferences/${SLUG}/checkins`, { json: batch });
  assert.equal(r.status, 200);
  let body = await r.json();
  assert.equal(body.recorded, 3);
  assert.deepEqual(body.results.map((x) => x.status), ['checked_in', 'already_checked_in', 'checked_in']);
  assert.equal(body.results[1].first_at, new Date((now - 120) * 1000).toISOString().replace('.000Z', 'Z'));
  r = await c.post(`/api/v1/conferences/${SLUG}/checkins`, { json: batch });
  body = await r.json();
  assert.equal(body.recorded, 0);
  assert.deepEqual(body.results.map((x) => x.recorded), [false, false, false]);
  r = await c.get(`/api/v1/conferences/${SLUG}/checkins`);
  const counts = await r.json();
  assert.equal(counts.checked_in, 2);
  assert.equal(counts.scans, 3);
  assert.equal(counts.repeated, 1);
  // Online, a second scan says "already checked in" with the first time.
  r = await c.post(`/api/v1/conferences/${SLUG}/checkins`, { json: { scans: [scan(tickets[12], 'door-c', 4, now)] } });
  body = await r.json();
  assert.equal(body.results[0].status, 'already_checked_in');
  assert.equal(body.results[0].first_at, new Date((now - 30) * 1000).toISOString().replace('.000Z', 'Z'));
});

test('refusals: altered and malformed tickets; a bad batch writes nothing', async () => {
  const c = await staffClient();
  // (A revoked ticket: tests/unit/test_checkin.c, where the registration side's re-issue is at hand.)
  const old = tickets[13];
  const altered = old.slice(0, 60) + (old[60] === 'A' ? 'B' : 'A') + old.slice(61);
  const now = Math.floor(Date.now() / 1000);
  let r = await c.post(`/api/v1/conferences/${SLUG}/checkins`, { json: { scans: [scan(altered, 'door-a', 10, now), scan('LCT1.nonsense', 'door-a', 11, now)] } });
  const body = await r.json();
  assert.equal(r.status, 200);
  assert.deepEqual(body.results.map((x) => x.status), ['refused', 'refused']);
  assert.equal(body.results[1].reason, 'malformed');
  assert.equal(body.recorded, 0);
  const before = await (await c.get(`/api/v1/conferences/${SLUG}/checkins`)).json();
  r = await c.post(`/api/v1/conferences/${SLUG}/checkins`, { json: { scans: [scan(old, 'door-a', 12, now), { ...scan(old, 'door a', 13, now) }] } });
  assert.equal(r.status, 422);
  const refused = await r.json();
  assert.equal(refused.problems[0].field, 'scans[1].device');
  assert.equal(refused.problems[0].code, 'err_checkin_device');
  const afterCounts = await (await c.get(`/api/v1/conferences/${SLUG}/checkins`)).json();
  assert.equal(afterCounts.scans, before.scans);
  r = await c.post(`/api/v1/conferences/${SLUG}/checkins?lang=fr`, { json: { scans: [] } });
  assert.equal(r.status, 422);
  assert.match((await r.json()).problems[0].message, /envoyez une liste/);
});

test('who may: a participant and a stranger are refused, nothing is recorded', async () => {
  const now = Math.floor(Date.now() / 1000);
  let r = await part.post(`/api/v1/conferences/${SLUG}/checkins`, { json: { scans: [scan(tickets[13], 'door-a', 20, now)] } });
  assert.equal(r.status, 403);
  r = await new Client(srv.base).post(`/api/v1/conferences/${SLUG}/checkins`, { json: { scans: [] } });
  assert.equal(r.status, 401);
  r = await part.get(`/api/v1/conferences/${SLUG}/checkin-keys`);
  assert.equal(r.status, 403);
  r = await (await staffClient()).get('/api/v1/conferences/no-such-conference/checkin-keys');
  assert.equal(r.status, 404);
});

test('the offline bundle verifies a ticket in JavaScript, and refuses an altered one', async () => {
  const c = await staffClient();
  const r = await c.get(`/api/v1/conferences/${SLUG}/checkin-keys`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const bundle = await r.json();
  const raw = Buffer.from(tickets[11].slice(5), 'base64url');
  assert.equal(raw.length, 79);
  assert.equal(raw.readUInt32BE(1), bundle.conference.id);
  assert.equal(raw.readUInt32BE(5), 11);
  const key = bundle.keys.find((k) => k.key_id === raw.readUInt16BE(13));
  const pk = Buffer.from(key.public_key, 'base64url');
  assert.ok(nacl.sign.detached.verify(raw.subarray(0, 15), raw.subarray(15), pk));
  const bad = Buffer.from(raw);
  bad[7] ^= 1;
  assert.ok(!nacl.sign.detached.verify(bad.subarray(0, 15), bad.subarray(15), pk));
  // The page is there for the staff, refused to the participant.
  assert.equal((await c.get(`/conferences/${SLUG}/checkin`)).status, 200);
  assert.equal((await part.get(`/conferences/${SLUG}/checkin`)).status, 403);
});
