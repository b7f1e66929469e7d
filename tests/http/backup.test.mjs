// SPDX-License-Identifier: AGPL-3.0-or-later
// Backups at the level of the product. `learncity backup` runs while two
// coordinators' worth of writes go through the API; the file restores
// (`learncity restore`) to a database that passes `learncity check`, and a
// server on it shows every write acknowledged before the backup started, in
// one consistent state (each value sequence without a gap). Restore refuses
// a running server's database even with --force and leaves it serving; the
// server's scheduled backup (--backup-dir) writes a stamped, restorable file
// and keeps the newest --keep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const YEAR = 2025;
const CODES = ['1.1.1.a', '1.1.1.b'];
let srv;
let work;

before(async () => {
  srv = await startServer();
  work = mkdtempSync(path.join(tmpdir(), 'lc-backup-'));
});

after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(work, { recursive: true, force: true });
});

function run(args) {
  return spawnSync(BIN, args, { encoding: 'utf8' });
}

// Runs a command without blocking the event loop (the burst goes on meanwhile).
function runAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Every version of a value, read page by page (a value's answer in the list holds its latest only).
async function allVersions(client, code) {
  const all = [];
  for (let page = 1; ; page++) {
    const r = await client.get(`/api/v1/cities/cork/observations/${code}/versions?year=${YEAR}&per_page=100&page=${page}`);
    assert.equal(r.status, 200);
    const j = await r.json();
    all.push(...j.items);
    if (page >= j.pages) return all;
  }
}

// Writes value 1, 2, 3, ... of one measurement, one PUT after the other, until
// stop() is true; acked[] gets each value with the time its 200 arrived.
async function writer(client, code, acked, stop) {
  for (let v = 1; !stop(); v++) {
    const r = await client.req('PUT', '/api/v1/cities/cork/observations', {
      json: { year: YEAR, values: [{ code, value: v, note: 'burst' }] },
    });
    assert.equal(r.status, 200, await r.clone().text());
    await r.arrayBuffer();
    acked.push({ v, at: process.hrtime.bigint() });
  }
}

test('a backup taken during a write burst restores with every acknowledged write', async () => {
  const coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  const acked = Object.fromEntries(CODES.map((c) => [c, []]));
  let stopping = false;
  const writers = CODES.map((c) => writer(coord, c, acked[c], () => stopping));
  // Let the burst get going before the backup starts.
  while (acked[CODES[0]].length < 20 || acked[CODES[1]].length < 20) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const file = path.join(work, 'burst.db');
  const started = process.hrtime.bigint();
  const b = await runAsync(['backup', '--db', srv.db, '--out', file]);
  const ended = process.hrtime.bigint();
  // Keep writing a little after it: those writes may or may not be in the copy.
  const countAtEnd = acked[CODES[0]].length;
  while (acked[CODES[0]].length < countAtEnd + 10) await new Promise((r) => setTimeout(r, 10));
  stopping = true;
  await Promise.all(writers);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /wrote .*burst\.db \(\d+ bytes, schema version \d+, integrity ok\)/);
  const writesDuring = CODES.reduce((n, c) => n + acked[c].filter((a) => a.at > started && a.at < ended).length, 0);

  const restored = path.join(work, 'restored.db');
  const r = run(['restore', file, '--db', restored]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /restored .* \(schema version \d+\)/);
  const c = run(['check', '--db', restored]);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /ok/);

  const copy = await startServer([], { db: restored });
  try {
    const reader = new Client(copy.base);
    await reader.login(DEMO.coordinator);
    for (const code of CODES) {
      const versions = await allVersions(reader, code);
      const values = versions.filter((v) => v.note === 'burst').map((v) => Number(v.value)).sort((x, y) => x - y);
      const mustHave = acked[code].filter((a) => a.at < started).map((a) => a.v);
      // Every write acknowledged before the backup started is there ...
      for (const v of mustHave) assert.ok(values.includes(v), `${code}: value ${v} acknowledged before the backup is missing`);
      // ... and the copy is one state: 1..k without a gap, never past what was acknowledged.
      assert.deepEqual(values, values.map((_, i) => i + 1), `${code}: a gap in ${values}`);
      assert.ok(values.length <= acked[code].length);
    }
    console.log(`# backup of ${srv.db}: ${Number(ended - started) / 1e6} ms, ${writesDuring} writes acknowledged meanwhile`);
  } finally {
    assert.equal(await copy.stop(), 0);
  }
});

test('restore refuses a running server\'s database, even with --force, and it keeps serving', async () => {
  const file = path.join(work, 'refuse.db');
  assert.equal(run(['backup', '--db', srv.db, '--out', file]).status, 0);
  let r = run(['restore', file, '--db', srv.db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /a database exists at .* use --force/s);
  r = run(['restore', file, '--db', srv.db, '--force']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /open in another process/);
  assert.match(r.stderr, /nothing was changed/);
  const h = await fetch(srv.base + '/api/v1/health');
  assert.equal(h.status, 200);
  // And a file that is not a database, whatever the target.
  const junk = path.join(work, 'junk.db');
  writeFileSync(junk, 'uCode,x1\n');
  r = run(['restore', junk, '--db', path.join(work, 'new.db')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a SQLite database/);
  r = run(['backup', '--db', srv.db, '--out', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists.*--force/s);
});

test('the server takes a scheduled backup into --backup-dir and keeps the newest --keep', async () => {
  const dir = path.join(work, 'scheduled');
  mkdirSync(dir);
  for (const old of ['learncity-20200101T000000Z.db', 'learncity-20200102T000000Z.db', 'learncity-20200103T000000Z.db']) {
    writeFileSync(path.join(dir, old), 'old');
  }
  writeFileSync(path.join(dir, 'notes.txt'), 'kept');
  const s = await startServer(['--backup-dir', dir, '--backup-every', '24h', '--keep', '2']);
  try {
    let names = [];
    for (let i = 0; i < 200; i++) {
      names = readdirSync(dir).filter((n) => /^learncity-\d{8}T\d{6}Z\.db$/.test(n)).sort();
      if (names.length === 2 && !names.includes('learncity-20200102T000000Z.db')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(names.length, 2, readdirSync(dir).join(' '));
    assert.equal(names[0], 'learncity-20200103T000000Z.db');
    assert.ok(readdirSync(dir).includes('notes.txt'));
    const restored = path.join(work, 'from-schedule.db');
    assert.equal(run(['restore', path.join(dir, names[1]), '--db', restored]).status, 0);
    assert.equal(run(['check', '--db', restored]).status, 0);
  } finally {
    assert.equal(await s.stop(), 0);
  }
  const bad = run(['serve', '--db', path.join(work, 'x.db'), '--backup-dir', dir, '--backup-every', '24 h']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--backup-every must be a duration/);
});
