// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP behaviour every response must have: security headers, HEAD, 404/405,
// 413, keep-alive, idle timeout, escaping of reflected input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawRequest } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal(await srv.stop(), 0); });

const get = (p, init) => fetch(srv.base + p, init);

test('every response carries the security headers', async () => {
  for (const p of ['/', '/cities', '/api/v1/cities', '/static/style.css', '/nowhere', '/api/v1/nowhere']) {
    const r = await get(p);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, `${p} has a CSP`);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
  }
});

test('HEAD answers the headers of GET without a body', async () => {
  const g = await get('/cities/cork');
  const gb = await g.arrayBuffer();
  const h = await get('/cities/cork', { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal((await h.arrayBuffer()).byteLength, 0);
  assert.equal(h.headers.get('content-type'), g.headers.get('content-type'));
  assert.ok(gb.byteLength > 0);
});

test('404 and 405 with Allow', async () => {
  assert.equal((await get('/no/such/page')).status, 404);
  const r = await get('/cities', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
});

test('a body over the limit is refused with 413 before it is read', async () => {
  const size = 2 * 1024 * 1024;
  const res = await rawRequest(srv.port,
    `POST /api/v1/cities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
  assert.match(res, /^HTTP\/1\.1 413/);
});

test('keep-alive: two requests on one connection', async () => {
  const req = 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n';
  const res = await rawRequest(srv.port, req + req);
  assert.equal(res.match(/HTTP\/1\.1 200/g).length, 2);
});

test('static files have an ETag and answer 304', async () => {
  const r = await get('/static/style.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/css/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await get('/static/style.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await get('/static/../src/main.c')).status, 404);
});

test('reflected input is escaped', async () => {
  const payload = '"><script>alert(1)</script>';
  const html = await (await get('/cities?q=' + encodeURIComponent(payload))).text();
  assert.ok(!html.includes('<script>alert(1)</script>'));
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;'));
});

test('SQL-looking input is only data', async () => {
  const r = await get("/api/v1/cities?q=" + encodeURIComponent("' OR 1=1; DROP TABLE cities; --"));
  assert.equal(r.status, 200);
  assert.equal((await r.json()).total, 0);
  assert.equal((await (await get('/api/v1/cities')).json()).total > 50, true);
});

test('anonymous pages come from the page cache; personal requests never do', async () => {
  // A write anywhere (an earlier test's request still finishing on a slow ASan build) makes the
  // stored page stale at once, as it should: the second of a pair must hit within three pairs.
  let cached = null;
  for (let i = 0; i < 3 && cached !== 'hit'; i++) {
    await get('/awards');
    cached = (await get('/awards')).headers.get('x-cache');
  }
  assert.equal(cached, 'hit');
  const fresh = await (await get('/awards')).text();
  assert.ok(fresh.includes('Learning City Award'));
  // Any cookie but the language one, or credentials, bypass the cache.
  let r = await get('/awards', { headers: { cookie: 'lang=en; other=1' } });
  assert.equal(r.headers.get('x-cache'), null);
  r = await get('/awards', { headers: { authorization: 'Bearer x' } });
  assert.equal(r.headers.get('x-cache'), null);
  // The language is part of the key: French is never served from the English entry.
  for (let i = 0; i < 3; i++) {
    await get('/awards', { headers: { cookie: 'lang=fr' } });
    r = await get('/awards', { headers: { cookie: 'lang=fr' } });
    if (r.headers.get('x-cache') === 'hit') break;
  }
  assert.equal(r.headers.get('x-cache'), 'hit');
  assert.match(await r.text(), /<html lang="fr"/);
  // A response that sets a cookie (?lang=) is neither served from nor put in the cache.
  r = await get('/awards?lang=fr');
  assert.equal(r.headers.get('x-cache'), null);
  assert.match(r.headers.get('set-cookie'), /lang=fr/);
  // Errors are not cached.
  await get('/cities/atlantis');
  r = await get('/cities/atlantis');
  assert.equal(r.status, 404);
  assert.equal(r.headers.get('x-cache'), null);
});
