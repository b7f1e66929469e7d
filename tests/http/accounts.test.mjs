// SPDX-License-Identifier: AGPL-3.0-or-later
// Accounts over HTTP against a live server with a real local SMTP server:
// login and logout (API and forms), sessions and CSRF, throttling, personal
// access tokens, invitations and resets from the captured e-mail, XSS and
// SQL-injection-looking input, and no secret in the server's log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO, routeTable, startSmtp, linkIn } from './client.mjs';

let srv, smtp;
const secrets = new Set(Object.values(DEMO).map((d) => d.password));

before(async () => {
  smtp = await startSmtp();
  srv = await startServer(['--smtp', smtp.url, '--mail-from', 'learncity@example.org',
    '--outbox-interval', '1', '--access-log', '--log-level', 'debug', '--trust-proxy', '127.0.0.1']);
});
after(async () => {
  const code = await srv?.stop();
  await smtp?.stop();
  assert.equal(code, 0, 'server exits cleanly on SIGTERM');
});

const client = () => new Client(srv.base);
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>'"&`;
const XSS_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;';

// Every page that may show a person's or a token's text must escape it.
function assertEscaped(html, where) {
  assert.ok(!html.includes('<script>alert'), `${where}: raw script tag`);
  assert.ok(!html.includes('<img src=x'), `${where}: raw img tag`);
}

test('API login sets an HttpOnly SameSite=Lax session cookie and answers the CSRF token', async () => {
  const c = client();
  const r = await c.post('/api/v1/login', { json: DEMO.admin, csrf: null });
  assert.equal(r.status, 200);
  const cookie = r.headers.getSetCookie().find((s) => s.startsWith('lc_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/, 'no Secure without --secure-cookies');
  const body = await r.json();
  assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(body.me.email, DEMO.admin.email);
  c.csrf = body.csrf_token;
  const me = await (await c.get('/api/v1/me')).json();
  assert.equal(me.email, DEMO.admin.email);
  assert.equal(me.auth, 'session');
  assert.ok(me.roles.some((x) => x.role === 'admin'));
  const out = await c.post('/api/v1/logout', { json: {} });
  assert.equal(out.status, 200);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('with --secure-cookies the session cookie is Secure too', async () => {
  const other = await startServer(['--secure-cookies']);
  try {
    const r = await fetch(other.base + '/api/v1/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO.coordinator),
    });
    assert.equal(r.status, 200);
    const cookie = r.headers.getSetCookie().find((x) => x.startsWith('lc_session='));
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /HttpOnly/);
  } finally {
    assert.equal(await other.stop(), 0);
  }
});

test('API errors are JSON with status and message', async () => {
  const c = client();
  let r = await c.post('/api/v1/login', { json: { email: DEMO.norole.email, password: 'wrong password!' } });
  assert.equal(r.status, 401);
  const e = await r.json();
  assert.equal(e.error.status, 401);
  assert.equal(typeof e.error.message, 'string');
  r = await c.post('/api/v1/login', { json: { email: 'x' } });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.status, 400);
  r = await c.get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.status, 401);
});

test('form login, the header shows who is logged in, form logout', async () => {
  const c = client();
  let r = await c.get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2Faccount');
  r = await c.post('/login', { form: { ...DEMO.coordinator, next: '/account' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/account');
  const html = await (await c.get('/account')).text();
  assert.match(html, /<h1>Your account<\/h1>/);
  assert.match(html, /action="\/logout"/);
  assert.ok(html.includes('City coordinator (cork)'));
  await c.csrfFrom('/account');
  // An outside "next" is never followed.
  const d = client();
  r = await d.post('/login', { form: { ...DEMO.coordinator, next: '//evil.example/x' } });
  assert.equal(r.headers.get('location'), '/home', 'an outside next lands on the home page');
  r = await c.post('/logout', { form: {} });
  assert.equal(r.status, 303);
  assert.equal(c.session, undefined, 'the cookie is deleted');
  assert.equal((await c.get('/account')).status, 303);
});

test('a wrong password re-renders the form with the error, in French too', async () => {
  const c = client();
  let r = await c.post('/login', { form: { email: DEMO.jury.email, password: 'not the password' } });
  assert.equal(r.status, 401);
  let html = await r.text();
  assert.match(html, /role="alert"[^>]*>The e-mail address or the password is wrong/);
  assert.match(html, /value="jury.2024@example.org"/);
  assert.ok(!html.includes('not the password'), 'a typed password never comes back');
  r = await c.get('/login?lang=fr');
  html = await r.text();
  assert.match(html, /<html lang="fr"/);
  assert.match(html, /Mot de passe/);
});

test('a stolen session id stops working after logout', async () => {
  const victim = client();
  await victim.login(DEMO.natcom);
  const stolen = victim.session;
  const thief = client();
  thief.cookies.set('lc_session', stolen);
  assert.equal((await thief.get('/api/v1/me')).status, 200, 'the stolen id works while the session lives');
  await victim.post('/api/v1/logout', { json: {} });
  assert.equal((await thief.get('/api/v1/me')).status, 401);
  const r = await thief.get('/account');
  assert.equal(r.status, 303, 'pages send the thief to the login page');
});

test('log out everywhere ends the other sessions and keeps this one', async () => {
  const a = client(), b = client();
  await a.login(DEMO.participant);
  await b.login(DEMO.participant);
  const r = await a.post('/account/logout-all', { form: {} });
  assert.equal(r.status, 303);
  assert.equal((await a.get('/api/v1/me')).status, 200);
  assert.equal((await b.get('/api/v1/me')).status, 401);
});

test('missing or wrong CSRF is refused with 403 on every state-changing route', async () => {
  const c = client();
  await c.login(DEMO.admin);
  const good = c.csrf;
  const routes = routeTable().filter((r) => r.methods.some((m) => m !== 'GET'));
  assert.ok(routes.length >= 15, `${routes.length} state-changing routes`);
  for (const r of routes) {
    const p = r.pattern.replace('{id}', '1').replace('{year}', '2027');
    for (const method of r.methods.filter((m) => m !== 'GET')) {
      for (const csrf of [null, 'A'.repeat(43), good.slice(0, 42)]) {
        const res = p.startsWith('/api/')
          ? await c.req(method, p, { json: {}, csrf })
          : await c.req(method, p, { form: { reason: 'x', name: 'x', token: 'x'.repeat(43) }, csrf });
        assert.equal(res.status, 403, `${method} ${p} with csrf=${csrf}`);
      }
    }
  }
  // Still logged in: nothing above ended the session.
  assert.equal((await c.get('/api/v1/me')).status, 200);
  // Without a session, a form posted from another site is refused too (login CSRF).
  const d = client();
  const res = await d.post('/login', { form: DEMO.admin, headers: { Origin: 'http://evil.example' } });
  assert.equal(res.status, 403);
});

test('brute force is throttled: 429 with Retry-After, even with the right password', async () => {
  const c = client();
  const who = { email: DEMO.participant.email, password: 'wrong-password-0' };
  let r;
  for (let i = 0; i < 5; i++) {
    r = await c.post('/api/v1/login', { json: { ...who, password: `wrong-password-${i}` } });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  r = await c.post('/api/v1/login', { json: who });
  assert.equal(r.status, 429);
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
  r = await c.post('/api/v1/login', { json: DEMO.participant });
  assert.equal(r.status, 429, 'the right password waits too');
  r = await c.post('/login', { form: DEMO.participant });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(await r.text(), /Too many failed attempts/);
  // Someone else's guesses do not lock the owner out: from another address it logs in.
  r = await client().post('/api/v1/login', { json: DEMO.participant, headers: { 'X-Forwarded-For': '198.51.100.60' } });
  assert.equal(r.status, 200, 'the owner elsewhere is not locked out');
});

test('one address failing on many accounts is throttled too (behind the proxy)', async () => {
  const c = client();
  const from = (ip) => ({ 'X-Forwarded-For': ip });
  let r;
  for (let i = 0; i < 20; i++) {
    r = await c.post('/api/v1/login', { json: { email: `guess${i}@example.org`, password: 'guess-guess-guess' }, headers: from('192.0.2.7') });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  r = await c.post('/api/v1/login', { json: DEMO.coordinator, headers: from('192.0.2.7') });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  r = await c.post('/api/v1/login', { json: DEMO.coordinator, headers: from('192.0.2.8') });
  assert.equal(r.status, 200, 'another address is not held back');
});

test('Bearer tokens work, need no CSRF, are shown once, and stop after revocation', async () => {
  const c = client();
  await c.login(DEMO.jury);
  let r = await c.post('/api/v1/tokens', { json: { name: 'ci', expires_days: 30 } });
  assert.equal(r.status, 201);
  const tok = await r.json();
  assert.match(tok.token, /^lct_[A-Za-z0-9_-]{43}$/);
  secrets.add(tok.token);
  const list = await (await c.get('/api/v1/tokens')).text();
  assert.ok(!list.includes(tok.token), 'the list never shows the token');
  const bearer = { Authorization: `Bearer ${tok.token}` };
  const api = client();
  r = await api.get('/api/v1/me', { headers: bearer });
  assert.equal(r.status, 200);
  const me = await r.json();
  assert.equal(me.email, DEMO.jury.email);
  assert.equal(me.auth, 'token');
  // A token cannot mint another one (a stolen token would outlive its expiry).
  r = await api.post('/api/v1/tokens', { json: { name: 'minted' }, headers: bearer });
  assert.equal(r.status, 403);
  assert.match((await r.json()).error.message, /cannot create tokens/);
  assert.ok(!(await (await c.get('/api/v1/tokens')).text()).includes('minted'));
  r = await c.post('/api/v1/tokens', { json: { name: 'second' } });
  assert.equal(r.status, 201);
  const second = await r.json();
  secrets.add(second.token);
  r = await api.req('DELETE', `/api/v1/tokens/${tok.id}`, { headers: bearer });
  assert.equal(r.status, 200);
  r = await api.get('/api/v1/me', { headers: bearer });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer');
  r = await api.get('/api/v1/me', { headers: { Authorization: `Bearer ${second.token}` } });
  assert.equal(r.status, 200, 'the other token still works');
  r = await api.get('/api/v1/me', { headers: { Authorization: 'Bearer lct_nonsense' } });
  assert.equal(r.status, 401);
  r = await c.req('DELETE', `/api/v1/tokens/${tok.id}`);
  assert.equal(r.status, 404, 'revoking twice');
});

test('a token made on the account page is shown once, then only its prefix', async () => {
  const c = client();
  await c.post('/login', { form: DEMO.natcom });
  await c.csrfFrom('/account');
  let r = await c.post('/account/tokens', { form: { name: 'laptop', expires_days: '7' } });
  assert.equal(r.status, 201);
  const html = await r.text();
  const m = html.match(/id="new-token"[^>]*value="(lct_[^"]+)"/);
  assert.ok(m, 'the new token is on the page');
  secrets.add(m[1]);
  const again = await (await c.get('/account')).text();
  assert.ok(!again.includes(m[1]), 'never shown again');
  assert.ok(again.includes(`lct_${m[1].slice(4, 12)}`), 'its prefix is listed');
  const id = again.match(/action="\/account\/tokens\/(\d+)\/revoke"/)[1];
  r = await c.post(`/account/tokens/${id}/revoke`, { form: {} });
  assert.equal(r.status, 303);
  r = await client().get('/api/v1/me', { headers: { Authorization: `Bearer ${m[1]}` } });
  assert.equal(r.status, 401);
});

test('an invitation arrives by e-mail; accepting it logs the person in', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  let r = await admin.post('/admin/users/invite', {
    form: { email: 'new.person@example.org', name: 'New Person', language: 'fr', role_kind: 'coordinator', scope: 'cork' },
  });
  assert.equal(r.status, 303);
  const mail = await smtp.waitFor((m) => m.to.includes('new.person@example.org'));
  const link = linkIn(mail, '/invitations');
  assert.ok(link, 'the e-mail holds the link: ' + mail.body);
  secrets.add(link.token);
  const p = client();
  r = await p.get(link.href);
  assert.equal(r.status, 200);
  const form = await r.text();
  assert.match(form, /new.person@example.org/);
  assert.match(form, /<form method="post" action="\/invitations"/, 'the token stays out of the path');
  assert.ok(form.includes(`name="token" value="${link.token}"`));
  r = await p.post(link.path, { form: { token: link.token, name: XSS, password: 'short', password2: 'short' } });
  assert.equal(r.status, 422, 'a weak password is refused next to the field');
  assert.match(await r.text(), /class="field-error" id="password-error"/);
  r = await p.post(link.path, { form: { token: link.token, name: XSS, password: 'a-long-Enough-pass-1', password2: 'a-long-Enough-pass-2' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /The two passwords differ/);
  r = await p.post(link.path, { form: { token: link.token, name: XSS, password: 'a-long-Enough-pass-1', password2: 'a-long-Enough-pass-1' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/account?done=welcome');
  const html = await (await p.get('/account?done=welcome')).text();
  assertEscaped(html, 'account page');
  assert.ok(html.includes(XSS_ESCAPED), 'the invited name comes back escaped');
  assert.ok(html.includes('Coordinateur d’une ville (cork)'), 'the role in the reader\'s words');
  assert.match(html, /<html lang="fr"/, 'the invited language applies without a lang cookie');
  assert.match(await (await p.get('/account?lang=en')).text(), /<html lang="en"/, '?lang= still wins');
  r = await client().get(link.href);
  assert.equal(r.status, 404, 'the link works once');
  const users = await (await admin.get('/admin/users?q=new.person')).text();
  assertEscaped(users, '/admin/users');
  assert.ok(users.includes(XSS_ESCAPED));
});

test('a forgotten password: the same answer for every address, and the reset link works once', async () => {
  const c = client();
  let r = await c.post('/password/forgot', { form: { email: 'nobody@example.org' } });
  const unknown = await r.text();
  r = await c.post('/password/forgot', { form: { email: DEMO.norole.email } });
  assert.equal(r.status, 200);
  const known = await r.text();
  assert.equal(unknown, known, 'pages do not tell which addresses have accounts');
  const mail = await smtp.waitFor((m) => m.to.includes(DEMO.norole.email));
  const link = linkIn(mail, '/password/reset');
  assert.ok(link);
  secrets.add(link.token);
  const other = client();
  await other.login(DEMO.norole);
  r = await other.post('/api/v1/tokens', { json: { name: 'before the reset' } });
  assert.equal(r.status, 201);
  const tok = (await r.json()).token;
  secrets.add(tok);
  const fresh = 'A-new-norole-password-7';
  secrets.add(fresh);
  r = await c.post(link.path, { form: { token: link.token, password: fresh, password2: fresh } });
  assert.equal(r.status, 303);
  const done = await (await c.get(r.headers.get('location'))).text();
  assert.match(done, /personal access tokens revoked/, 'the owner is told');
  assert.equal((await other.get('/api/v1/me')).status, 401, 'a reset ends the other sessions');
  assert.equal((await client().get('/api/v1/me', { headers: { Authorization: `Bearer ${tok}` } })).status,
    401, 'and revokes the tokens');
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal((await client().get(link.href)).status, 404);
  DEMO.norole.password = fresh;
});

test('XSS payloads in display name, token name and audit reason come back escaped everywhere', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  const p = client();
  await p.post('/login', { form: DEMO.norole });
  await p.csrfFrom('/account');
  let r = await p.post('/account/profile', { form: { name: XSS, language: 'en' } });
  assert.equal(r.status, 303);
  r = await p.post('/account/tokens', { form: { name: XSS } });
  assert.equal(r.status, 201);
  const created = await r.text();
  assertEscaped(created, 'token page');
  secrets.add(created.match(/value="(lct_[^"]+)"/)[1]);
  const me = (await (await p.get('/api/v1/me')).json());
  assert.equal(me.name, XSS, 'stored as typed');
  const id = me.id;
  r = await admin.get(`/admin/users/${id}/disable`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /name="reason"/);
  r = await admin.post(`/admin/users/${id}/disable`, { form: { reason: '' } });
  assert.equal(r.status, 422, 'a reason is required');
  r = await admin.post(`/admin/users/${id}/disable`, { form: { reason: XSS } });
  assert.equal(r.status, 303);
  assert.equal((await p.get('/api/v1/me')).status, 401, 'disabling ends the sessions');
  const pages = ['/account', '/admin/users', `/admin/users/${id}`, `/admin/users/${id}/disable`,
    '/admin/audit', `/admin/audit?object_type=account&object_id=${id}`, '/admin/outbox'];
  for (const page of pages) {
    r = await admin.get(page);
    assert.equal(r.status, 200, page);
    assertEscaped(await r.text(), page);
  }
  const audit = await (await admin.get(`/admin/audit?object_type=account&object_id=${id}`)).text();
  assert.ok(audit.includes(XSS_ESCAPED), 'the reason is shown, escaped');
  const exp = await (await admin.get(`/api/v1/audit?export=1&object_type=account&object_id=${id}`)).json();
  assert.ok(exp.items.some((x) => x.reason === XSS));
  r = await admin.post(`/admin/users/${id}/enable`, { form: { reason: 'back' } });
  assert.equal(r.status, 303);
});

test('SQL-injection-looking input changes nothing', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  const before = await (await admin.get('/api/v1/audit?per_page=1')).json();
  const users = (await admin.get('/admin/users'));
  const countBefore = (await users.text()).match(/(\d+) people/)[1];
  let r = await client().post('/api/v1/login', { json: { email: "' OR '1'='1' --", password: "' OR '1'='1" } });
  assert.equal(r.status, 401);
  r = await admin.get(`/admin/users?q=${encodeURIComponent("' OR '1'='1")}`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Nobody matches these filters/);
  r = await admin.get(`/api/v1/audit?person=${encodeURIComponent("x' OR 1=1 --")}`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).total, 0);
  r = await admin.get(`/admin/audit?object_id=${encodeURIComponent('1; DROP TABLE audit; --')}`);
  assert.equal(r.status, 200);
  r = await admin.post('/admin/users/invite', { form: { email: "x'); DROP TABLE accounts; --@example.org", name: 'x' } });
  assert.equal(r.status, 422, 'an address that is not one is refused next to the field');
  assert.match(await r.text(), /id="invite-email-error"/);
  const after = await (await admin.get('/api/v1/audit?per_page=1')).json();
  assert.equal(after.total, before.total, 'no change recorded');
  const countAfter = (await (await admin.get('/admin/users')).text()).match(/(\d+) people/)[1];
  assert.equal(countAfter, countBefore);
});

test('roles: grant and revoke from the account page, with errors next to the field', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  const list = await (await admin.get(`/admin/users?q=participant`)).text();
  const id = list.match(/href="\/admin\/users\/(\d+)"/)[1];
  let r = await admin.post(`/admin/users/${id}/roles`, { form: { role_kind: 'coordinator', scope: 'no-such-city' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /id="grant-error"/);
  r = await admin.post(`/admin/users/${id}/roles`, { form: { role_kind: 'natcom', scope: 'IE' } });
  assert.equal(r.status, 303);
  let page = await (await admin.get(`/admin/users/${id}`)).text();
  assert.ok(page.includes('natcom:IE'));
  r = await admin.post(`/admin/users/${id}/roles/revoke`, { form: { spec: 'natcom:IE' } });
  assert.equal(r.status, 303);
  page = await (await admin.get(`/admin/users/${id}`)).text();
  assert.ok(!page.includes('natcom:IE'));
  // The secretariat cannot lock itself out.
  const self = (await (await admin.get('/api/v1/me')).json()).id;
  r = await admin.post(`/admin/users/${self}/disable`, { form: { reason: 'oops' } });
  assert.equal(r.status, 403);
});

test('the outbox page lists every message with its state, never the link token', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  const html = await (await admin.get('/admin/outbox')).text();
  assert.match(html, /new.person@example.org/);
  assert.match(html, /badge state-sent/);
  for (const s of secrets) assert.ok(!html.includes(s), 'no secret on the outbox page');
});

test('guessing the old password on the account page is throttled like a login', async () => {
  const c = client();
  await c.login(DEMO.natcom);
  let r;
  for (let i = 0; i < 5; i++) {
    r = await c.post('/account/password', { form: { old_password: `guess-${i}-guess`, password: 'A-new-pass-for-natcom', password2: 'A-new-pass-for-natcom' } });
    assert.equal(r.status, 422, `guess ${i + 1}`);
    assert.match(await r.text(), /id="old-error"/);
  }
  r = await c.post('/account/password', { form: { old_password: DEMO.natcom.password, password: 'A-new-pass-for-natcom', password2: 'A-new-pass-for-natcom' } });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(await r.text(), /Too many failed attempts/);
});

test('passwords, tokens and session ids never appear in the server log', async () => {
  const log = srv.stderr;
  assert.ok(log.includes('/api/v1/login'), 'the access log is on');
  for (const s of secrets) assert.ok(!log.includes(s), `a secret leaked into the log`);
  assert.doesNotMatch(log, /lc_session=|lct_[A-Za-z0-9_-]{8}/);
});

test('the people list downloads with roles and states in words, under its filters', async () => {
  const admin = client();
  await admin.login(DEMO.admin);
  const page = await (await admin.get('/admin/users?role=coordinator')).text();
  assert.match(page, /City coordinator \(cork\)/, 'roles are said, not coded');
  assert.doesNotMatch(page, />coordinator:cork</);
  assert.match(page, /href="\/admin\/users\.csv\?role=coordinator"/);
  const total = Number(page.match(/(\d+) (?:people|person)/)[1]);
  let r = await admin.get('/admin/users.csv?role=coordinator');
  assert.equal(r.status, 200);
  let lines = (await r.text()).trimEnd().split('\r\n');
  assert.equal(lines[0], 'Name,E-mail address,Roles,Status,Created');
  assert.equal(lines.length - 1, total);
  assert.ok(lines.slice(1).every((l) => l.includes('City coordinator (')), 'only the filter\'s people');
  const everyone = Number((await (await admin.get('/admin/users')).text()).match(/(\d+) people/)[1]);
  lines = (await (await admin.get('/admin/users.csv?per_page=1')).text()).trimEnd().split('\r\n');
  assert.equal(lines.length - 1, everyone, 'every page of the list, not the one asked');
  const account = await (await admin.get('/account?lang=en')).text();
  assert.match(account, /Secretariat \(admin\)/);
  // Nobody else may download them: the coordinator is refused as on the page.
  const coord = client();
  await coord.login(DEMO.coordinator);
  r = await coord.get('/admin/users.csv');
  assert.equal(r.status, 403);
  assert.doesNotMatch(await r.text(), /@/);
  r = await client().get('/admin/users.xlsx', { redirect: 'manual' });
  assert.equal(r.status, 303);
  r = await admin.get('/admin/outbox.csv?state=sent');
  assert.equal(r.status, 200);
  assert.match((await r.text()).split('\r\n')[0], /^To,Subject,State,/);
  // The audit trail downloads as its page lists it, under the same filters.
  const audited = await (await admin.get('/admin/audit?object_type=account&lang=en')).text();
  const changes = Number(audited.match(/(\d+) changes/)[1]);
  assert.match(audited, /href="\/admin\/audit\.csv\?object_type=account/);
  r = await admin.get('/admin/audit.csv?object_type=account&lang=en');
  assert.equal(r.status, 200);
  lines = (await r.text()).trimEnd().split('\r\n');
  assert.match(lines[0], /^When \(UTC\),Person,Action,Object type,/);
  assert.equal(lines.length - 1, changes);
  r = await coord.get('/admin/audit.xlsx');
  assert.equal(r.status, 403);
});

test('the weekly summary is chosen on the account page, and kept', async () => {
  const coord = client();
  await coord.login(DEMO.coordinator);
  let page = await (await coord.get('/account?lang=en')).text();
  assert.match(page, /<input type="checkbox" id="weekly" name="weekly" value="1">/, 'off until chosen');
  let r = await coord.post('/account/digest', { form: { weekly: '1' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/account?done=digest_saved');
  page = await (await coord.get('/account?done=digest_saved&lang=en')).text();
  assert.match(page, /id="weekly" name="weekly" value="1" checked/);
  assert.match(page, /weekly summary is saved/);
  r = await coord.post('/account/digest', { form: {} });
  assert.equal(r.status, 303);
  assert.doesNotMatch(await (await coord.get('/account')).text(), /id="weekly"[^>]*checked/);
  // Without the form's token nothing changes.
  r = await client().post('/account/digest', { form: { weekly: '1' }, redirect: 'manual' });
  assert.ok([303, 401, 403].includes(r.status));
});
