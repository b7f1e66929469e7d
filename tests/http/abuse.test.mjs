// SPDX-License-Identifier: AGPL-3.0-or-later
// Clients that mean harm: anonymous uploads the server must refuse from their
// head without buffering them, a slowloris holding connections open with a
// header line now and then, sizes the server cannot parse, a spoofed
// X-Forwarded-For, and paths that would turn the page's links into links to
// another site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { startServer, rawRequest } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal(await srv.stop(), 0); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A field of /proc/PID/status in KiB (VmRSS, VmHWM).
function vm(pid, field) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return Number(m[1]);
}

// Sends a request head declaring `size` body bytes, then streams the body as
// fast as the server takes it until the server answers or closes. Resolves
// with the answer's head and the milliseconds until it came.
function upload(port, head, size) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(256 * 1024, 'x');
    let got = '', sent = 0, at = null, done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      sock.destroy();
      resolve({ head: got.split('\r\n\r\n')[0], ms: (at ?? Date.now()) - t0, sent });
    };
    const pump = () => {
      while (!done && at === null && sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!sock.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return;
      }
    };
    sock.on('connect', () => { sock.write(head.replace('{size}', String(size))); pump(); });
    sock.on('drain', pump);
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (at === null && got.includes('\r\n\r\n')) { at = Date.now(); setTimeout(finish, 50); }
    });
    sock.on('close', finish);
    sock.on('error', finish);
    const limit = setTimeout(finish, 60000);
  });
}

test('anonymous uploads are refused from their head: the server buffers none of them', async () => {
  const size = 30 * 1024 * 1024;
  const heads = [
    'POST /cities/cork/data/2024/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {size}\r\n\r\n',
    'PUT /api/v1/cities/cork/observations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n',
    'POST /api/v1/framework/versions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n',
  ];
  const before = vm(srv.pid, 'VmHWM');
  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => upload(srv.port, heads[i % heads.length], size)));
  const grown = vm(srv.pid, 'VmHWM') - before;
  for (const a of answers) {
    assert.match(a.head, /^HTTP\/1\.1 401 /, a.head);
    assert.match(a.head, /\r\nConnection: close\r\n/i);
    assert.ok(a.ms < 2000, `refused after ${a.ms} ms`);
  }
  // 16 bodies of 30 MB kept would be 480 MB; the server's peak must not move by 32 MB.
  assert.ok(grown < 32 * 1024, `the server's peak RSS grew by ${grown} KiB`);
  // A chunked anonymous upload is refused the same way.
  const c = await upload(srv.port, 'POST /cities/cork/data/2024/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', 0);
  assert.match(c.head, /^HTTP\/1\.1 401 /);
  // The server is still well.
  assert.equal((await fetch(srv.base + '/api/v1/health')).status, 200);
});

test('a size the server cannot read is refused once with 413, before any body', async () => {
  for (const cl of ['9223372036854775808', '18446744073709551615']) {
    const res = await rawRequest(srv.port,
      `POST /api/v1/cities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${cl}\r\n\r\n`, 1000);
    assert.match(res, /^HTTP\/1\.1 413 /, `Content-Length: ${cl}`);
    assert.equal(res.match(/HTTP\/1\.1 \d{3} /g).length, 1, `one answer for Content-Length: ${cl}`);
  }
});

test('a path starting with // or /\\ never makes the language links point to another site', async () => {
  for (const p of ['//evil.example/x', '//evil.example', '///evil.example/x?lang=fr', '/\\evil.example/x', '/\\/evil.example/', '/%09/evil.example/x']) {
    const res = await rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 1000);
    assert.match(res, /^HTTP\/1\.1 (400|404) /, p);
    const links = [...res.matchAll(/<a href="([^"]*)"[^>]*hreflang=/g)].map((m) => m[1]);
    assert.ok(links.length >= 2, `${p}: language links drawn`);
    for (const href of links) {
      assert.match(href, /^\/[^/\\]/, `${p}: ${href} is a path of this site`);
      assert.ok(!/^\/[\t\n\r ]*[/\\]/.test(href), `${p}: ${href}`);
    }
  }
  const r = await fetch(srv.base + '//evil.example/x?lang=fr');
  const html = await r.text();
  assert.match(html, /href="\/evil\.example\/x\?lang=en"/);
});

// GET from another loopback address, so that the per-address limit on the attacker's
// 127.0.0.1 leaves it alone. Resolves with [status, milliseconds].
function getFrom(local, p) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const req = http.get({ host: '127.0.0.1', port: srv.port, path: p, localAddress: local, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve([res.statusCode, Date.now() - t0]));
    });
    req.on('timeout', () => { req.destroy(); resolve([0, Date.now() - t0]); });
    req.on('error', () => resolve([0, Date.now() - t0]));
  });
}

test('a slowloris of 1,000 connections leaves a normal client served in under a second', async () => {
  const start = Date.now();
  const attackers = Array.from({ length: 1000 }, () => {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n'));
    s.on('error', () => {});
    s.on('close', () => { s.closedAt = Date.now(); });
    return s;
  });
  // The attack holds its connections once each has connected (or been closed).
  await new Promise((resolve) => {
    let n = 0;
    const one = () => { if (++n === attackers.length) resolve(); };
    for (const s of attackers) { s.once('connect', one); s.once('close', () => { if (!s.connecting) return; one(); }); }
  });
  // A header line every 2 s keeps each one under the idle timeout for ever.
  const trickle = setInterval(() => {
    for (const s of attackers) if (!s.closedAt && s.writable) s.write('X-Slow: 1\r\n');
  }, 2000);
  let stillOpenAt2s = null;
  const times = [];
  try {
    while (Date.now() - start < 12500) {
      for (const p of ['/api/v1/health', '/cities/cork']) {
        const [status, ms] = await getFrom('127.0.0.2', p);
        assert.equal(status, 200, `${p} answered during the attack`);
        times.push(ms);
      }
      if (stillOpenAt2s === null && Date.now() - start > 2000) stillOpenAt2s = attackers.filter((s) => !s.closedAt).length;
      await sleep(200);
    }
  } finally {
    clearInterval(trickle);
  }
  await sleep(300);
  const open = attackers.filter((s) => !s.closedAt).length;
  for (const s of attackers) s.destroy();
  assert.ok(Math.max(...times) < 1000, `slowest answer ${Math.max(...times)} ms of ${times.join(' ')}`);
  assert.ok(times.length >= 20, `${times.length} requests served`);
  assert.ok(stillOpenAt2s <= 64, `${stillOpenAt2s} connections from one address kept (limit 64)`);
  assert.equal(open, 0, 'every trickling connection was closed at its head deadline (10 s)');
});
