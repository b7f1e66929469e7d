// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts a real learncity server on a free loopback port for a test file:
// a fresh demo database in a temporary folder, `serve --port 0`, and the
// port read from the server's "listening on" line. Stops it with SIGTERM
// and checks that it exits cleanly (0), which under ASan also means no leaks.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

export const BIN = process.env.LC_BIN || path.resolve('build/learncity');

// A fresh demo database, or the existing database `db` (which stop() leaves in place).
export async function startServer(extraArgs = [], { db: existing } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-http-'));
  const db = existing || path.join(dir, 'test.db');
  if (!existing) execFileSync(BIN, ['demo', '--db', db], { stdio: 'pipe' });
  const child = spawn(BIN, ['serve', '--db', db, '--bind', '127.0.0.1', '--port', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const url = new URL(base);
  return {
    base, db, dir, host: url.hostname, port: Number(url.port), pid: child.pid,
    get stderr() { return stderr; },
    async stop() {
      child.removeAllListeners('exit');
      const code = await new Promise((resolve) => {
        child.on('exit', (c, sig) => resolve(c ?? sig));
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

// Sends raw bytes and collects everything the server answers until it closes
// the connection or `idleMs` passes without data.
export function rawRequest(port, payload, idleMs = 1500) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let timer;
    const finish = () => { clearTimeout(timer); sock.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); };
    const arm = () => { clearTimeout(timer); timer = setTimeout(finish, idleMs); };
    sock.on('connect', () => { sock.write(payload); arm(); });
    sock.on('data', (d) => { chunks.push(d); arm(); });
    sock.on('end', finish);
    sock.on('error', (e) => (chunks.length ? finish() : reject(e)));
  });
}
