// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers for the accounts tests: a client with its own cookie jar (one per
// person, like one browser each), the route table with its access rules as
// `learncity serve --routes` prints it, the demo accounts, and a real local
// SMTP server (Debian's python3-aiosmtpd writing a Maildir) whose messages
// the tests read back.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { BIN } from './server.mjs';

// One account per role, created by `learncity demo` (see README).
export const DEMO = {
  admin: { email: 'admin@example.org', password: 'Secretariat-demo-2024' },
  coordinator: { email: 'coordinator.cork@example.org', password: 'Cork-coordinator-demo' },
  natcom: { email: 'natcom.ie@example.org', password: 'Natcom-Ireland-demo' },
  jury: { email: 'jury.2024@example.org', password: 'Jury-2024-demo-pass' },
  participant: { email: 'participant@example.org', password: 'Participant-demo-pass' },
  expert: { email: 'expert@example.org', password: 'Expert-jury-demo-pass' },
  norole: { email: 'norole@example.org', password: 'No-role-demo-pass' },
};

// The routes with their rules: [{methods, pattern, login, action}].
export function routeTable() {
  return JSON.parse(execFileSync(BIN, ['serve', '--routes'], { encoding: 'utf8' }));
}

export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // Sends a request without following redirects. form: an object sent as
  // x-www-form-urlencoded (the CSRF token added unless csrf === false or a
  // string replacing it); json: a body sent as JSON (X-CSRF-Token added the
  // same way when a session is held).
  async req(method, p, { form, json, headers = {}, csrf } = {}) {
    const h = { ...headers };
    const jar = this.cookieHeader();
    if (jar) h.Cookie = jar;
    const token = csrf === undefined ? this.csrf : csrf;
    let body;
    if (form) {
      const f = new URLSearchParams(form);
      if (token) f.set('csrf', token);
      body = f.toString();
      h['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (json !== undefined) {
      body = JSON.stringify(json);
      h['Content-Type'] = 'application/json';
      if (token) h['X-CSRF-Token'] = token;
    } else if (method !== 'GET' && token) {
      h['X-CSRF-Token'] = token;
    }
    const r = await fetch(this.base + p, { method, headers: h, body, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return r;
  }

  get(p, opts) { return this.req('GET', p, opts); }
  post(p, opts) { return this.req('POST', p, opts); }

  // Logs in through the JSON API; keeps the session cookie and the CSRF token.
  async login(who) {
    const r = await this.post('/api/v1/login', { json: { email: who.email, password: who.password }, csrf: null });
    if (r.status !== 200) throw new Error(`login ${who.email}: ${r.status} ${await r.text()}`);
    this.csrf = (await r.json()).csrf_token;
    return r;
  }

  // The CSRF token of the forms of a page (after a form login).
  async csrfFrom(p = '/account') {
    const html = await (await this.get(p)).text();
    const m = html.match(/name="csrf" value="([^"]*)"/);
    this.csrf = m ? m[1] : null;
    return this.csrf;
  }

  get session() { return this.cookies.get('lc_session'); }
}

const PYTHON = process.env.PYTHON || '/usr/bin/python3';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Starts aiosmtpd on a free port, delivering into a Maildir. Returns
// { url, messages(), waitFor(pred), stop() }.
export async function startSmtp() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-mail-'));
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c',
    'aiosmtpd.handlers.Mailbox', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  for (let i = 0; ; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 100 || child.exitCode !== null) throw new Error('aiosmtpd did not start: ' + err);
    await new Promise((r) => setTimeout(r, 50));
  }
  const messages = () => readdirSync(path.join(dir, 'new')).sort().map((f) => decodeMail(
    readFileSync(path.join(dir, 'new', f), 'latin1')));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(pred, ms = 20000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = messages().find(pred);
        if (m) return m;
        if (Date.now() > end) throw new Error('no such e-mail arrived; got ' + messages().map((x) => x.subject).join(', '));
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A MIME entity: its headers (unfolded, names in lower case) and either its
// parts (multipart) or its body decoded (quoted-printable or base64, UTF-8).
function parseEntity(raw) {
  const i = raw.search(/\r?\n\r?\n/);
  const head = (i < 0 ? raw : raw.slice(0, i)).replace(/\r?\n[ \t]+/g, ' ');
  const rest = i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  const type = headers['content-type'] || 'text/plain';
  const b = type.match(/^multipart\/[^;]+;.*boundary="?([^";]+)"?/i);
  if (b) {
    const chunks = rest.split(new RegExp(`\r?\n?--${b[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \t]*\r?\n?`));
    const parts = chunks.slice(1).filter((x) => x.trim() !== '').map(parseEntity);
    return { headers, type, parts };
  }
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  let bytes;
  if (cte === 'quoted-printable') {
    bytes = Buffer.from(rest.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi,
      (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else if (cte === 'base64') {
    bytes = Buffer.from(rest.replace(/\s+/g, ''), 'base64');
  } else {
    bytes = Buffer.from(rest, 'latin1');
  }
  return { headers, type, body: bytes.toString('utf8').replace(/\r\n/g, '\n').trim() };
}

// RFC 2047 encoded words (B or Q, UTF-8) decoded; white space between two words dropped.
export function decodeWords(s) {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc, text) =>
    (enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi,
        (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1')).toString('utf8'));
}

// The leaves of a MIME tree, depth first.
function leaves(e) {
  return e.parts ? e.parts.flatMap(leaves) : [e];
}

// A delivered message: headers, the decoded subject, the text part as
// `body`, the HTML part as `html`, and the content types of the tree.
function decodeMail(raw) {
  const top = parseEntity(raw);
  const all = leaves(top);
  const text = all.find((p) => /^text\/plain/i.test(p.type));
  const html = all.find((p) => /^text\/html/i.test(p.type));
  const types = [];
  const walk = (e) => { types.push(e.type.split(';')[0].toLowerCase()); (e.parts || []).forEach(walk); };
  walk(top);
  return { headers: top.headers, to: top.headers.to || '', subject: decodeWords(top.headers.subject || ''),
    rawSubject: top.headers.subject || '', body: text ? text.body : '', html: html ? html.body : '',
    parts: all, types };
}

export function linkIn(mail, path) {
  const m = mail.body.match(/https?:\/\/[^\s/]+(\/[^\s?]*)\?token=([A-Za-z0-9_-]+)/);
  if (!m || m[1] !== path) return null;
  return { path: m[1], token: m[2], href: `${m[1]}?token=${m[2]}` };
}
