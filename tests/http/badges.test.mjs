// SPDX-License-Identifier: AGPL-3.0-or-later
// `learncity conference badges` and `checkin-keys`: badges printed from a
// spreadsheet carry names in Arabic, Chinese, Russian and Latin script
// (found again by pdftotext), their QR codes decode to the tickets (jsQR on
// pdftoppm's rendering), and a bad spreadsheet exits 2 with line and column,
// writing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './server.mjs';

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const jsQR = require('jsqr');

const TICKETS = [
  'LCT1.AQAAAAEAAAApAAAAAQABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'LCT1.second-ticket',
  'LCT1.third-ticket',
];
const PEOPLE = [
  ['Amina Haddad', 'أمينة حداد', 'ar'],
  ['Wang Fang', '王芳', 'zh-Hans'],
  ['Irina Petrova', 'Ирина Петрова', 'ru'],
];
const CSV =
  'name_latin,name_native,organisation,city,country,category,colour,language,ticket\n' +
  PEOPLE.map(([l, n, lang], i) => `${l},${n},Org ${i},City ${i},Country ${i},Mayor,#1d4ed8,${lang},${TICKETS[i]}`).join('\n') +
  '\nSeán Ó Briain,,Cork City Council,Cork,Ireland,City delegation,#7c3aed,,\n';

function run(args, env = {}) {
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C', ...env } });
}

// A PPM (P6) image, as pdftoppm writes by default, to RGBA for jsQR.
function readPpm(file) {
  const buf = readFileSync(file);
  const head = buf.toString('latin1', 0, 64).split(/\s+/);
  assert.equal(head[0], 'P6');
  const w = Number(head[1]), h = Number(head[2]);
  const start = buf.length - w * h * 3;
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    rgba[4 * i] = buf[start + 3 * i];
    rgba[4 * i + 1] = buf[start + 3 * i + 1];
    rgba[4 * i + 2] = buf[start + 3 * i + 2];
    rgba[4 * i + 3] = 255;
  }
  return { rgba, w, h };
}

test('badges: every script found by pdftotext, every QR code decodes to its ticket', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-badges-'));
  try {
    writeFileSync(path.join(dir, 'people.csv'), CSV);
    const sheet = path.join(dir, 'sheet.pdf'), single = path.join(dir, 'single.pdf');
    let r = run(['conference', 'badges', '--from', path.join(dir, 'people.csv'), '--out', sheet]);
    assert.equal(r.status, 0, r.stderr);
    r = run(['conference', 'badges', '--from', path.join(dir, 'people.csv'), '--out', single, '--single']);
    assert.equal(r.status, 0, r.stderr);
    const info = execFileSync('pdfinfo', [sheet], { encoding: 'utf8' });
    assert.match(info, /Pages:\s+1\b/);
    assert.match(info, /595\.\d* x 841\.\d* pts/); // A4
    assert.match(execFileSync('pdfinfo', [single], { encoding: 'utf8' }), /Pages:\s+4\b/);
    for (const file of [sheet, single]) {
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      for (const [latin, native] of PEOPLE) {
        assert.ok(text.includes(latin), `${latin} in ${file}`);
        assert.ok(text.includes(native), `${native} in ${file}`);
      }
      assert.ok(text.includes('Seán Ó Briain'));
      assert.ok(text.includes('Cork, Ireland'));
    }
    // One page a badge: each QR code read back from the picture.
    execFileSync('pdftoppm', ['-r', '150', single, path.join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page')).sort();
    assert.equal(pages.length, 4);
    for (let i = 0; i < 3; i++) {
      const { rgba, w, h } = readPpm(path.join(dir, pages[i]));
      const code = jsQR(rgba, w, h);
      assert.ok(code, `a QR code on badge ${i + 1}`);
      assert.equal(code.data, TICKETS[i]);
    }
    const last = readPpm(path.join(dir, pages[3]));
    assert.equal(jsQR(last.rgba, last.w, last.h), null, 'no ticket, no QR code');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('badges: a bad spreadsheet exits 2 naming line and column, and writes nothing', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-badges-'));
  try {
    const bad = path.join(dir, 'bad.csv'), out = path.join(dir, 'out.pdf');
    writeFileSync(bad, 'name_latin,colour,language\nA,#12345g,ar\n,#ffffff,1x\n');
    let r = run(['conference', 'badges', '--from', bad, '--out', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.csv:2:2: colour: #12345g is not a colour/);
    assert.match(r.stderr, /bad\.csv:3:1: name_latin: the name in Latin script is empty/);
    assert.match(r.stderr, /bad\.csv:3:3: language: 1x is not a language tag/);
    assert.equal(existsSync(out), false);
    r = run(['conference', 'badges', '--from', bad, '--out', out], { LANG: 'fr_FR.UTF-8' });
    assert.match(r.stderr, /bad\.csv:3:1: name_latin: le nom en écriture latine est vide/);
    writeFileSync(bad, 'name_latin,nickname\nA,B\n');
    r = run(['conference', 'badges', '--from', bad, '--out', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.csv:1:2: unknown column nickname/);
    r = run(['conference', 'badges', '--from', path.join(dir, 'missing.csv'), '--out', out]);
    assert.equal(r.status, 1);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checkin-keys: prints public keys, rotation keeps the old one as retired', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-keys-'));
  try {
    const db = path.join(dir, 'demo.db');
    assert.equal(run(['demo', '--db', db]).status, 0);
    let r = run(['conference', 'checkin-keys', '--db', db, '--conference', 'demo-conference']);
    assert.equal(r.status, 0, r.stderr);
    const first = r.stdout.trim().split('\n');
    assert.equal(first.length, 1);
    assert.match(first[0], /^1 [A-Za-z0-9_-]{43} active \d{4}-\d\d-\d\dT/);
    r = run(['conference', 'checkin-keys', '--db', db, '--conference', 'demo-conference', '--rotate']);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0].split(' ')[1], first[0].split(' ')[1]);
    assert.match(lines[0], / retired /);
    assert.match(lines[1], /^2 [A-Za-z0-9_-]{43} active /);
    r = run(['conference', 'checkin-keys', '--db', db, '--conference', 'no-such']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no conference has this slug/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
