// SPDX-License-Identifier: AGPL-3.0-or-later
// The API's description against real answers: GET /api/v1/openapi.json serves
// the document the build made from docs/openapi.yaml (public, ETag, 304); every
// $ref in it resolves; then a demo server is walked as its people use it, every
// documented GET and a representative set of writes and refusals, and each
// answer's status must be one the operation documents and its body must
// validate against that status's schema (ajv, JSON Schema 2020-12 as OpenAPI
// 3.1 uses it). The test fails when a documented GET was never answered 2xx.
// (test_openapi checks the description against the route table itself.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, BIN } from './server.mjs';
import { Client, DEMO } from './client.mjs';

// ajv lives with the other Node test dependencies in tests/browser
// (scripts/install-deps.sh test runs npm ci there).
const require = createRequire(new URL('../browser/package.json', import.meta.url));
let Ajv2020, addFormats;
try {
  Ajv2020 = require('ajv/dist/2020').default;
  addFormats = require('ajv-formats').default;
} catch {
  throw new Error('ajv is missing: run scripts/install-deps.sh test (npm ci in tests/browser)');
}

// The document's own keywords, outside any schema: annotations for ajv.
const OPENAPI_KEYWORDS = ['openapi', 'jsonSchemaDialect', 'info', 'servers', 'tags', 'security',
  'paths', 'components', 'webhooks', 'externalDocs'];

// A one-pixel PNG (signature, IHDR, IDAT, IEND): a pledge the server accepts.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');

let srv, spec, ajv;
const c = {};
const seen = new Set(); // "GET /api/v1/x 200" of every validated answer

const esc = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

function resolve(ref) {
  assert.ok(ref.startsWith('#/'), `external $ref ${ref}`);
  let at = spec;
  for (const seg of ref.slice(2).split('/')) {
    at = at?.[seg.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return at;
}

// The JSON pointer of the schema of an operation's answer, or null when it has none.
function schemaPointer(method, template, status, type) {
  let ptr = `/paths/${esc(template)}/${method}/responses/${status}`;
  let response = spec.paths[template][method].responses[status];
  if (response.$ref) {
    ptr = response.$ref.slice(1);
    response = resolve(response.$ref);
  }
  if (!response.content) return null;
  assert.ok(response.content[type], `${method.toUpperCase()} ${template} ${status}: no ${type} answer documented`);
  return `${ptr}/content/${esc(type)}/schema`;
}

// Sends a request for the operation (method, template) with path parameters
// filled from `params`, checks the status is `expect` (a number or a list) and
// documented, and validates the answer's body (and, for a request expected to
// succeed, the JSON body sent). Returns { status, body, headers }.
async function call(client, method, template, params = {}, opts = {}) {
  const { expect = 200, query = '', ...reqOpts } = opts;
  const op = spec.paths[template]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${template} is not documented`);
  const expected = [expect].flat();
  // A body the server is expected to accept must be one the description allows.
  if (reqOpts.json !== undefined && expected.some((s) => s < 300)) {
    assert.ok(op.requestBody?.content?.['application/json'], `${method} ${template}: no JSON body documented`);
    const validate = ajv.getSchema(`openapi.json#/paths/${esc(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`);
    if (!validate(reqOpts.json)) {
      assert.fail(`${method} ${template}: the body sent does not match its requestBody:\n` +
        ajv.errorsText(validate.errors.slice(0, 8), { separator: '\n' }));
    }
  }
  const url = template.replace(/\{(\w+)\}/g, (_, k) => {
    assert.ok(params[k] !== undefined, `no value for {${k}}`);
    return encodeURIComponent(params[k]);
  }) + query;
  const r = reqOpts.raw ? await reqOpts.raw(srv.base + url) : await client.req(method, url, reqOpts);
  const text = await r.text();
  const what = `${method} ${url} -> ${r.status}`;
  assert.ok(expected.includes(r.status), `${what}, expected ${expected}: ${text.slice(0, 400)}`);
  assert.ok(op.responses[String(r.status)], `${what}: status not documented`);
  const type = (r.headers.get('content-type') || '').split(';')[0].trim();
  const ptr = schemaPointer(method.toLowerCase(), template, String(r.status), type);
  let body = text;
  if (type === 'application/json') {
    body = JSON.parse(text);
    if (ptr) {
      const validate = ajv.getSchema(`openapi.json#${ptr}`);
      assert.ok(validate, `${what}: no schema at ${ptr}`);
      if (!validate(body)) {
        assert.fail(`${what}: the answer does not match ${ptr}:\n` +
          ajv.errorsText(validate.errors.slice(0, 8), { separator: '\n' }) + '\n' + text.slice(0, 400));
      }
    }
  }
  seen.add(`${method} ${template} ${r.status}`);
  return { status: r.status, body, headers: r.headers };
}

before(async () => {
  srv = await startServer();
  for (const who of ['admin', 'coordinator', 'natcom', 'norole']) {
    c[who] = new Client(srv.base);
    await c[who].login(DEMO[who]);
  }
  c.anonymous = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

test('the description is served, public and revalidated, and every $ref resolves', async () => {
  const r = await fetch(srv.base + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.match(r.headers.get('cache-control'), /^public\b/);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
  const text = await r.text();
  spec = JSON.parse(text);
  assert.match(spec.openapi, /^3\.1\./);
  // The bytes are the build's conversion of docs/openapi.yaml, not a copy kept by hand.
  const built = path.join(path.dirname(BIN), 'generated', 'docs', 'openapi.json');
  if (existsSync(built)) assert.equal(text, readFileSync(built, 'utf8'));
  const again = await fetch(srv.base + '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  // Public: a logged-in caller gets the same document.
  assert.equal(await (await c.admin.get('/api/v1/openapi.json')).text(), text);

  const refs = [];
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.$ref === 'string') refs.push(v.$ref);
      Object.values(v).forEach(walk);
    }
  })(spec);
  assert.ok(refs.length > 100);
  for (const ref of refs) assert.ok(resolve(ref) !== undefined, `unresolved ${ref}`);

  ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  ajv.addSchema(spec, 'openapi.json');
  // Every schema of every answer compiles (a typo in a keyword fails here, strict mode).
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const status of Object.keys(op.responses)) {
        const content = (op.responses[status].$ref ? resolve(op.responses[status].$ref) : op.responses[status]).content || {};
        for (const type of Object.keys(content)) {
          const ptr = schemaPointer(method, template, status, type);
          assert.ok(ajv.getSchema(`openapi.json#${ptr}`), `${method} ${template} ${status} ${type}`);
        }
      }
    }
  }
});

test('public reads answer as described', async () => {
  const anon = c.anonymous;
  await call(anon, 'GET', '/api/v1/health');
  await call(anon, 'GET', '/api/v1/openapi.json');
  await call(anon, 'GET', '/api/v1/network');
  await call(anon, 'GET', '/api/v1/cities');
  const page = await call(anon, 'GET', '/api/v1/cities', {}, { query: '?region=EUR&sort=-award_year&per_page=5&page=2' });
  assert.equal(page.body.items.length, 5);
  await call(anon, 'GET', '/api/v1/cities', {}, { query: '?q=medellin&lang=fr' });
  await call(anon, 'GET', '/api/v1/cities/{slug}', { slug: 'cork' });
  await call(anon, 'GET', '/api/v1/cities/{slug}/monitoring', { slug: 'cork' });
  await call(anon, 'GET', '/api/v1/cities/{slug}/monitoring', { slug: 'cork' }, { query: '?year=2022' });
  await call(anon, 'GET', '/api/v1/monitoring');
  await call(anon, 'GET', '/api/v1/monitoring', {}, { query: '?year=2022&city=cork' });
  await call(anon, 'GET', '/api/v1/awards');
  await call(anon, 'GET', '/api/v1/conferences');
  await call(anon, 'GET', '/api/v1/framework');
  const file = await call(anon, 'GET', '/api/v1/framework', {}, { query: '?format=json' });
  assert.equal(file.body.format, 'learncity-framework/1');
  const csv = await call(anon, 'GET', '/api/v1/framework', {}, { query: '?format=csv' });
  assert.match(csv.body, /^part_code,.*,code,/);
  await call(anon, 'GET', '/api/v1/observations.json', {}, { query: '?year=2024' });
  await call(anon, 'GET', '/api/v1/observations.json', {}, { query: '?year=2024&city=cork' });
  await call(anon, 'GET', '/api/v1/observations.csv', {}, { query: '?year=2024' });
  await call(anon, 'GET', '/api/v1/calls');
});

test('refusals answer the shared error shape', async () => {
  const anon = c.anonymous;
  await call(anon, 'GET', '/api/v1/cities/{slug}', { slug: 'atlantis' }, { expect: 404 });
  await call(anon, 'GET', '/api/v1/cities', {}, { query: '?per_page=1000', expect: 400 });
  await call(anon, 'GET', '/api/v1/cities', {}, { query: '?region=XX', expect: 400 });
  await call(anon, 'GET', '/api/v1/observations.json', {}, { expect: 400 });
  await call(anon, 'GET', '/api/v1/me', {}, { expect: 401 });
  await call(anon, 'GET', '/api/v1/audit', {}, { expect: 401 });
  await call(anon, 'POST', '/api/v1/login', {}, { json: { email: DEMO.admin.email, password: 'wrong-password-1' }, expect: 401 });
  await call(anon, 'POST', '/api/v1/login', {}, { json: { email: 1 }, expect: 400 });
  await call(c.coordinator, 'GET', '/api/v1/audit', {}, { expect: 403 });
  await call(c.coordinator, 'POST', '/api/v1/index-runs', {}, { json: { year: 2024 }, expect: 403 });
  await call(c.admin, 'GET', '/api/v1/jobs/{id}', { id: 999999 }, { expect: 404 });
  await call(c.admin, 'GET', '/api/v1/index-runs/{id}', { id: 0 }, { expect: 400 });
  // A session's write without its CSRF token is refused.
  await call(c.admin, 'POST', '/api/v1/index-specs', {}, { json: { name: 'x', spec: {} }, csrf: null, expect: 403 });
});

test('accounts: me, tokens (a bearer token works), audit', async () => {
  const me = await call(c.admin, 'GET', '/api/v1/me');
  assert.equal(me.body.auth, 'session');
  const made = await call(c.admin, 'POST', '/api/v1/tokens', {}, { json: { name: 'openapi test', expires_days: 7 }, expect: 201 });
  const bearer = new Client(srv.base);
  const viaToken = await call(bearer, 'GET', '/api/v1/me', {}, { headers: { Authorization: `Bearer ${made.body.token}` } });
  assert.equal(viaToken.body.auth, 'token');
  // A token carries no ambient authority: its writes need no CSRF token, but it cannot make tokens.
  await call(bearer, 'POST', '/api/v1/tokens', {}, { json: { name: 'x' }, headers: { Authorization: `Bearer ${made.body.token}` }, expect: 403 });
  await call(c.admin, 'GET', '/api/v1/tokens');
  await call(c.admin, 'DELETE', '/api/v1/tokens/{id}', { id: made.body.id });
  await call(bearer, 'GET', '/api/v1/me', {}, { headers: { Authorization: `Bearer ${made.body.token}` }, expect: 401 });
  await call(c.admin, 'GET', '/api/v1/audit');
  await call(c.admin, 'GET', '/api/v1/audit', {}, { query: '?action=token.&per_page=3' });
});

test('monitoring: data entry, review, index runs and jobs', async () => {
  const { coordinator: coord, admin } = c;
  const slug = 'cork';
  const year = 2025;
  const values = [{ code: '1.1.1.a', value: 92.5, source: 'City statistics office' }];
  await call(coord, 'PUT', '/api/v1/cities/{slug}/observations', { slug }, { json: { year, values } });
  await call(coord, 'PUT', '/api/v1/cities/{slug}/observations', { slug }, { json: { year, values: [{ code: 'nope', value: 'x' }] }, expect: 422 });
  await call(c.natcom, 'PUT', '/api/v1/cities/{slug}/observations', { slug }, { json: { year, values }, expect: 403 });
  await call(coord, 'GET', '/api/v1/cities/{slug}/observations', { slug }, { query: `?year=${year}` });
  await call(coord, 'GET', '/api/v1/cities/{slug}/observations/{code}/versions', { slug, code: values[0].code }, { query: `?year=${year}&per_page=5` });
  await call(coord, 'GET', '/api/v1/cities/{slug}/observations/{code}/versions', { slug, code: 'nope' }, { query: `?year=${year}`, expect: 404 });
  await call(c.natcom, 'GET', '/api/v1/cities/{slug}/observations/{code}/versions', { slug, code: values[0].code }, { query: `?year=${year}`, expect: 403 });
  await call(coord, 'POST', '/api/v1/cities/{slug}/years/{year}/submit', { slug, year });
  await call(coord, 'POST', '/api/v1/cities/{slug}/years/{year}/approve', { slug, year }, { expect: 403 });
  await call(admin, 'GET', '/api/v1/review');
  await call(admin, 'GET', '/api/v1/review', {}, { query: '?status=all&per_page=5' });
  await call(admin, 'POST', '/api/v1/cities/{slug}/years/{year}/return', { slug, year }, { json: { comment: 'Please give the source of 1.1.1.a.' } });
  await call(coord, 'POST', '/api/v1/cities/{slug}/years/{year}/submit', { slug, year });
  await call(admin, 'POST', '/api/v1/cities/{slug}/years/{year}/approve', { slug, year });
  await call(admin, 'POST', '/api/v1/cities/{slug}/years/{year}/approve', { slug, year }, { expect: 409 });
  await call(coord, 'GET', '/api/v1/cities/{slug}/years/{year}/history', { slug, year }, { query: '?per_page=2' });
  await call(coord, 'GET', '/api/v1/cities/{slug}/years/{year}/history', { slug, year: 2999 }, { expect: 404 });

  const runs = await call(admin, 'GET', '/api/v1/index-runs');
  await call(admin, 'GET', '/api/v1/index-runs', {}, { query: '?year=2024' });
  await call(admin, 'GET', '/api/v1/index-runs/{id}', { id: runs.body.items[0].id });
  await call(admin, 'POST', '/api/v1/index-specs', {}, { json: { name: 'openapi-spec', spec: { steps: [] } }, expect: 201 });
  const queued = await call(admin, 'POST', '/api/v1/index-runs', {}, { json: { year: 2024, runs: 10 }, expect: 202 });
  assert.equal(queued.headers.get('location'), queued.body.href);
  await call(admin, 'GET', '/api/v1/jobs/{id}', { id: queued.body.id });
  // Cancelled while queued or running; 409 when it finished first.
  await call(admin, 'POST', '/api/v1/jobs/{id}/cancel', { id: queued.body.id }, { expect: [200, 409] });
  await call(admin, 'GET', '/api/v1/jobs/{id}', { id: queued.body.id });
});

test('applications: a call, a draft, its form and pledge, a step', async () => {
  const { admin, norole: applicant, natcom } = c;
  const thisYear = new Date().getUTCFullYear();
  const input = { year: thisYear + 3, title: 'Call for the description test', opens: day(-1), closes: day(60), cap: 3 };
  const made = await call(admin, 'POST', '/api/v1/calls', {}, { json: input, expect: 201 });
  await call(admin, 'PUT', '/api/v1/calls/{id}', { id: made.body.id }, { json: { ...input, cap: 2 } });
  await call(admin, 'PUT', '/api/v1/calls/{id}', { id: made.body.id }, { json: { ...input, title: '' }, expect: 422 });
  await call(natcom, 'POST', '/api/v1/calls', {}, { json: input, expect: 403 });

  const app = await call(applicant, 'POST', '/api/v1/applications', {},
    { json: { call: made.body.id, country: 'IE', city_name: 'Letterkenny' }, expect: 201 });
  const id = app.body.id;
  const form = {
    mayor_name: 'Máire Ní Bhriain', mayor_title: 'Mayor', contact_name: 'Seán Ó Dálaigh',
    contact_email: 'contact@example.net', language: 'en', data_year: 2025, population: 45000,
    area_km2: 28.5, gdp_city_usd: 51000, gdp_country_usd: 47000, schooling_men: 12.4,
    schooling_women: 13.1, motivation: 'We want to learn with the network. '.repeat(10),
    implementation: 'A city learning plan with libraries and schools. '.repeat(5),
    links: ['https://example.net/plan'],
    challenges: { inclusion: 1, literacy: 2, employability: 3, health: 4, sustainability: 5, citizenship: 1, digital: 2, governance: 3 },
  };
  await call(applicant, 'PUT', '/api/v1/applications/{id}', { id }, { json: { contact_email: 'nope' }, expect: 422 });
  await call(applicant, 'PUT', '/api/v1/applications/{id}', { id }, { json: form });
  const upload = (url) => {
    const fd = new FormData();
    fd.append('pledge', new Blob([PNG], { type: 'image/png' }), 'pledge.png');
    return fetch(url, { method: 'POST', body: fd, headers: { Cookie: applicant.cookieHeader(), 'X-CSRF-Token': applicant.csrf } });
  };
  const withPledge = await call(applicant, 'POST', '/api/v1/applications/{id}/pledge', { id }, { raw: upload });
  assert.equal(withPledge.body.pledge.content_type, 'image/png');
  const file = await call(applicant, 'GET', '/api/v1/applications/{id}/pledge', { id });
  assert.equal(file.headers.get('content-type'), 'image/png');
  await call(applicant, 'POST', '/api/v1/applications/{id}/transitions', { id }, { json: { to: 'approved' }, expect: 409 });
  await call(applicant, 'POST', '/api/v1/applications/{id}/transitions', { id }, { json: { to: 'submitted' } });
  await call(natcom, 'GET', '/api/v1/applications/{id}', { id });
  await call(natcom, 'GET', '/api/v1/applications/{id}/history', { id });
  await call(c.anonymous, 'GET', '/api/v1/applications/{id}/history', { id }, { expect: 401 });
  await call(natcom, 'GET', '/api/v1/applications');
  await call(admin, 'GET', '/api/v1/applications', {}, { query: `?state=submitted&country=IE&year=${thisYear + 3}` });
  await call(c.coordinator, 'GET', '/api/v1/applications/{id}', { id }, { expect: 403 });
  await call(c.anonymous, 'GET', '/api/v1/applications/{id}', { id }, { expect: 401 });
});

test('reports and membership: a cohort, a report saved and refused, a suspension', async () => {
  const { admin, coordinator: coord } = c;
  const opened = await call(admin, 'POST', '/api/v1/reports', {},
    { json: { year: new Date().getUTCFullYear(), deadline: day(120), cities: ['cork'] }, expect: 201 });
  const id = opened.body.reports[0];
  await call(coord, 'GET', '/api/v1/reports/{id}', { id });
  await call(coord, 'GET', '/api/v1/reports/{id}/history', { id }, { query: '?per_page=2' });
  await call(coord, 'PUT', '/api/v1/reports/{id}', { id }, { json: { answers: { case_title: 'Learning festivals in every district' } } });
  // Incomplete: refused with the fields it lacks.
  const refused = await call(coord, 'POST', '/api/v1/reports/{id}/transitions', { id }, { json: { to: 'submitted' }, expect: 422 });
  assert.ok(refused.body.problems.length > 0);
  await call(coord, 'PUT', '/api/v1/reports/{id}', { id }, {
    json: { answers: { contact_name: 'Jane Murphy, learning city coordinator', plan_adopted: true, progress_planning: 'The plan was renewed.', progress_involvement: 'Partners meet quarterly.', learners_reached: 12000 } },
  });
  await call(coord, 'POST', '/api/v1/reports/{id}/transitions', { id }, { json: { to: 'submitted' } });
  await call(admin, 'POST', '/api/v1/reports/{id}/transitions', { id }, { json: { to: 'returned', reason: 'Please add the budget share.' } });
  await call(admin, 'POST', '/api/v1/reports/{id}/transitions', { id }, { json: { to: 'accepted' }, expect: 409 });
  await call(coord, 'GET', '/api/v1/reports');
  await call(admin, 'GET', '/api/v1/reports', {}, { query: '?city=cork&per_page=5' });
  await call(c.natcom, 'GET', '/api/v1/reports/{id}', { id }, { expect: 403 });
  await call(admin, 'GET', '/api/v1/reports/{id}', { id: 999999 }, { expect: 404 });
  const item = await call(admin, 'POST', '/api/v1/cities/{slug}/membership/transitions', { slug: 'espoo' },
    { json: { to: 'suspended', reason: 'The description test suspends a member.' } });
  assert.equal(item.body.state, 'suspended');
  await call(coord, 'POST', '/api/v1/cities/{slug}/membership/transitions', { slug: 'espoo' },
    { json: { to: 'member', reason: 'x' }, expect: 403 });
});

test('check-in: the offline bundle, an upload, the counts', async () => {
  const { admin } = c;
  const slug = { slug: 'demo-conference' };
  const bundle = await call(admin, 'GET', '/api/v1/conferences/{slug}/checkin-keys', slug);
  assert.ok(bundle.body.keys.length >= 1);
  const scans = [{ ticket: 'LCT1.not-a-ticket', device: 'door-1', nonce: 'openapi-walk-nonce-1', scanned_at: 1790000000 }];
  const up = await call(admin, 'POST', '/api/v1/conferences/{slug}/checkins', slug, { json: { scans } });
  assert.equal(up.body.results[0].status, 'refused');
  await call(admin, 'POST', '/api/v1/conferences/{slug}/checkins', slug, { json: { scans: [] }, expect: 422 });
  await call(admin, 'GET', '/api/v1/conferences/{slug}/checkins', slug);
  await call(admin, 'GET', '/api/v1/conferences/{slug}/checkins', { slug: 'no-such-conference' }, { expect: 404 });
  await call(c.norole, 'GET', '/api/v1/conferences/{slug}/checkins', slug, { expect: 403 });
  await call(c.anonymous, 'GET', '/api/v1/letters/verify/{code}', { code: 'AAAAAAAAAAAAAAAAAAAA' }, { expect: 404 });
  // An issued certificate (the registration side's request flow is not in this tree yet): its row
  // written with the sqlite3 tool, then checked by its code like anyone would.
  execFileSync('sqlite3', [srv.db, "INSERT INTO letters (conference_id, registration_id, kind, state, details, code," +
    " requested_at, decided_at) SELECT id, 5, 'certificate', 'issued', '{\"name\": \"Wang Fang\"}'," +
    " 'ABCDEFGHIJKLMNOPQRST', 1790000000, 1790000000 FROM conference_events WHERE slug = 'demo-conference'"]);
  const letter = await call(c.anonymous, 'GET', '/api/v1/letters/verify/{code}', { code: 'ABCDEFGHIJKLMNOPQRST' });
  assert.equal(letter.body.name, 'Wang Fang');
  assert.equal(letter.body.passport, null);
});

test('the conference programme: released versions, speakers, changelog, the editor', async () => {
  // The conference programme (programme.c).
  const slug = 'demo-conference';
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/programme', { slug });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/programme', { slug }, { query: '?version=v1&track=green' });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/programme', { slug }, { query: '?version=v9', expect: 404 });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/changelog', { slug });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/speakers', { slug });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/speakers/{id}', { slug, id: 1 });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/speakers/{id}', { slug, id: 999999 }, { expect: 404 });
  const draft = await call(c.admin, 'GET', '/api/v1/conferences/{slug}/programme/draft', { slug });
  const sid = draft.body.sessions[0].id;
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/sessions/{id}', { slug, id: sid });
  await call(c.admin, 'PUT', '/api/v1/conferences/{slug}/programme/sessions/{id}', { slug, id: sid }, { json: { duration: 95 } });
  await call(c.admin, 'PUT', '/api/v1/conferences/{slug}/programme/sessions/{id}', { slug, id: sid }, { json: { duration: 1 }, expect: 422 });
  await call(c.admin, 'POST', '/api/v1/conferences/{slug}/programme/sessions', { slug }, { json: { title: { en: 'Walk' }, type: 'plenary', start: draft.body.sessions[0].start, duration: 30 }, expect: 201 });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/now', { slug });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/now', { slug }, { query: '?at=bad', expect: 400 });
  // Sign-up: the demo's study visits take it; norole has no approved registration.
  const visit = draft.body.sessions.find((s) => s.capacity);
  await call(c.norole, 'POST', '/api/v1/conferences/{slug}/sessions/{id}/signup', { slug, id: visit.id }, { expect: 409 });
  await call(c.norole, 'DELETE', '/api/v1/conferences/{slug}/sessions/{id}/signup', { slug, id: visit.id }, { expect: 404 });
  await call(c.admin, 'GET', '/api/v1/conferences/{slug}/sessions/{id}/signups', { slug, id: visit.id });
  const reg = await c.norole.post(`/api/v1/conferences/${slug}/registrations`, { json: { category: 'delegation', answers: { name: 'No Role', organisation: 'Cork', country: 'IE', privacy: true } } });
  assert.equal(reg.status, 201, await reg.clone().text());
  await call(c.norole, 'POST', '/api/v1/conferences/{slug}/sessions/{id}/signup', { slug, id: visit.id }, { expect: 201 });
  await call(c.norole, 'DELETE', '/api/v1/conferences/{slug}/sessions/{id}/signup', { slug, id: visit.id });
  await call(c.admin, 'POST', '/api/v1/conferences/{slug}/programme/releases', { slug }, { json: { name: 'v3', note: 'API walk' }, expect: 201 });
  await call(c.admin, 'POST', '/api/v1/conferences/{slug}/programme/releases', { slug }, { json: { name: 'v3' }, expect: 422 });
});

test('award: rounds, a nomination, its dossier, forms and steps', async () => {
  const { admin, coordinator: coord, natcom } = c;
  const rounds = await call(c.anonymous, 'GET', '/api/v1/award-rounds');
  assert.ok(rounds.body.items.some((r) => r.year === 2027 && r.settings.demo));
  await call(c.anonymous, 'GET', '/api/v1/award-rounds/{year}', { year: 2027 });
  await call(c.anonymous, 'GET', '/api/v1/award-rounds/{year}', { year: 2015 });
  await call(c.anonymous, 'GET', '/api/v1/award-rounds/{year}', { year: 1999 }, { expect: 404 });
  await call(admin, 'POST', '/api/v1/award-rounds', {}, { json: { year: 2033, nominations_open: '2032-09-01', nominations_close: '2033-01-31', natcom_deadline: '2033-02-28', scoring_open: '2033-03-01', scoring_close: '2033-05-31', cap_per_natcom: 3, cap_per_region: null }, expect: 201 });
  await call(admin, 'POST', '/api/v1/award-rounds', {}, { json: { year: 2033, nominations_open: '2032-09-01', nominations_close: '2033-01-31', natcom_deadline: '2033-02-28', scoring_open: '2033-03-01', scoring_close: '2033-05-31' }, expect: 422 });
  await call(natcom, 'POST', '/api/v1/award-rounds/{year}/nominations', { year: 2027 }, { json: { city: 'cork' }, expect: 422 });
  const made = await call(admin, 'POST', '/api/v1/award-rounds/{year}/nominations', { year: 2027 }, { json: { city: 'cork', override: 'The description test overrides the bar.' }, expect: 201 });
  const id = made.body.id;
  await call(natcom, 'GET', '/api/v1/award-rounds/{year}/nominations', { year: 2027 });
  await call(c.norole, 'GET', '/api/v1/award-rounds/{year}/nominations', { year: 2027 }, { expect: 403 });
  await call(coord, 'GET', '/api/v1/nominations/{id}', { id });
  await call(coord, 'PUT', '/api/v1/nominations/{id}', { id }, { json: { links: ['ftp://x'] }, expect: 422 });
  await call(coord, 'PUT', '/api/v1/nominations/{id}', { id }, { json: { general: 'Cork.', plan: 'A plan.', answers: { plan: 'Adopted 2023.' }, links: 'https://example.org' } });
  await call(coord, 'POST', '/api/v1/nominations/{id}/transitions', { id }, { json: { to: 'submitted' }, expect: 422 });
  const upload = (url) => {
    const fd = new FormData();
    fd.append('file', new Blob([PNG], { type: 'image/png' }), 'mayor.png');
    return fetch(url, { method: 'POST', body: fd, headers: { Cookie: coord.cookieHeader(), 'X-CSRF-Token': coord.csrf } });
  };
  const files = await call(coord, 'POST', '/api/v1/nominations/{id}/files/{kind}', { id, kind: 'mayor_form' }, { raw: upload });
  assert.equal(files.body.mayor_form.content_type, 'image/png');
  await call(natcom, 'GET', '/api/v1/nominations/{id}/files/{kind}', { id, kind: 'mayor_form' });
  await call(natcom, 'GET', '/api/v1/nominations/{id}/files/{kind}', { id, kind: 'consent' }, { expect: 404 });
  await call(coord, 'POST', '/api/v1/nominations/{id}/transitions', { id }, { json: { to: 'nominated' }, expect: 409 });
  await call(c.norole, 'POST', '/api/v1/nominations/{id}/transitions', { id }, { json: { to: 'withdrawn' }, expect: 403 });
  await call(admin, 'POST', '/api/v1/nominations/{id}/transitions', { id }, { json: { to: 'withdrawn' } });
  await call(admin, 'PUT', '/api/v1/nominations/{id}', { id }, { json: { eligibility_override: 'Too late.' }, expect: 409 });
  await call(coord, 'GET', '/api/v1/nominations/{id}/history', { id }, { query: '?per_page=2' });
});

test('award jury: jurors, assignments and conflicts', async () => {
  const { admin } = c;
  const made = await call(admin, 'POST', '/api/v1/award-rounds/{year}/nominations', { year: 2027 }, { json: { city: 'dublin', override: 'The description test needs a second nomination.' }, expect: 201 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/jurors', { year: 2027 }, { json: { juror: DEMO.jury.email, load: 3 }, expect: 422 });
  const inv = await admin.post('/admin/users/invite', { form: { email: 'juror.2027@example.net', name: 'Juror', role_kind: 'jury', scope: '2027' } });
  assert.equal(inv.status, 303);
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/jurors', { year: 2027 }, { json: { juror: 'juror.2027@example.net', country: 'FR', panel: 'EUR', load: 3 }, expect: 201 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/assignments', { year: 2027 }, { json: { juror: 'juror.2027@example.net', nomination: made.body.id }, expect: 201 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { json: { nomination: made.body.id, action: 'set', type: 'personal', juror: 'juror.2027@example.net', reason: 'Told by phone.' } });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/assignments', { year: 2027 }, { json: { juror: DEMO.jury.email, nomination: made.body.id }, expect: 422 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/assignments', { year: 2027 }, { json: { juror: DEMO.jury.email, nomination: 999999 }, expect: 404 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { json: { nomination: made.body.id, action: 'set', type: 'other', juror: DEMO.jury.email }, expect: 422 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { json: { nomination: made.body.id, action: 'confirm', juror: DEMO.jury.email }, expect: 422 });
  await call(c.norole, 'POST', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { json: { nomination: made.body.id, action: 'declare', type: 'other' }, expect: 403 });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 });
  await call(c.norole, 'GET', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { expect: 403 });
  await call(c.anonymous, 'GET', '/api/v1/award-rounds/{year}/conflicts', { year: 2027 }, { expect: 401 });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/conflicts', { year: 1999 }, { expect: 404 });
  // Scoring: a round whose every window is today, a juror of it, a sheet.
  const today = day(0);
  await call(admin, 'POST', '/api/v1/award-rounds', {}, { json: { year: 2034, nominations_open: today, nominations_close: today, natcom_deadline: today, scoring_open: today, scoring_close: today }, expect: 201 });
  const n34 = await call(admin, 'POST', '/api/v1/award-rounds/{year}/nominations', { year: 2034 }, { json: { city: 'cork', override: 'The description test scores Cork.' }, expect: 201 });
  const J = { email: 'juror.2034@example.net', password: 'Juror-2034-walk-pass' };
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', J.email, '--name', 'Juror', '--role', 'jury:2034'], { input: `${J.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  const juror = new Client(srv.base);
  await juror.login(J);
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/jurors', { year: 2034 }, { json: { juror: J.email, load: 1 }, expect: 201 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/assignments', { year: 2034 }, { json: { juror: J.email, nomination: n34.body.id }, expect: 201 });
  await call(juror, 'GET', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id });
  await call(juror, 'PUT', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { json: { scores: { plan: 11 } }, expect: 422 });
  await call(juror, 'PUT', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { json: { scores: { plan: 7 }, comment: 'A clear plan.' } });
  await call(juror, 'PUT', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { json: { submit: true }, expect: 422 });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 2034 }, { expect: 422 });
  await call(juror, 'PUT', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { json: { scores: Object.fromEntries(['plan', 'coordination', 'resources', 'monitoring', 'access', 'culture', 'innovation', 'gnlc'].map((k) => [k, 5])), submit: true } });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 2034 });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 2034 }, { query: '?format=csv' });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 2034 }, { query: '?format=xml', expect: 400 });
  await call(c.natcom, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 2034 }, { expect: 403 });
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/ranking', { year: 1999 }, { expect: 404 });
  await call(admin, 'GET', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { expect: 404 });
  await call(c.anonymous, 'GET', '/api/v1/nominations/{id}/scores/me', { id: n34.body.id }, { expect: 401 });
  // The decision: only of a nomination screened complete (set here with the sqlite3 tool), then
  // published once.
  await call(admin, 'GET', '/api/v1/award-rounds/{year}/decisions', { year: 2034 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/decisions', { year: 2034 }, { json: { nomination: n34.body.id, decision: 'awardee' }, expect: 409 });
  execFileSync('sqlite3', [srv.db, `UPDATE wf_items SET state = 'complete' WHERE id = ${n34.body.id}`]);
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/decisions', { year: 2034 }, { json: { nomination: n34.body.id, decision: 'awardee' } });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/decisions', { year: 2034 }, { json: { nomination: n34.body.id, decision: 'maybe' }, expect: 422 });
  await call(c.natcom, 'GET', '/api/v1/award-rounds/{year}/decisions', { year: 2034 }, { expect: 403 });
  await call(c.natcom, 'POST', '/api/v1/award-rounds/{year}/publish', { year: 2034 }, { expect: 403 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/publish', { year: 1999 }, { expect: 404 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/publish', { year: 2034 });
  await call(admin, 'POST', '/api/v1/award-rounds/{year}/publish', { year: 2034 }, { expect: 409 });
});

test('library: a draft, its checks, curation, search, versions and the tombstone', async () => {
  const { admin, coordinator: coord } = c;
  await call(coord, 'POST', '/api/v1/library', {}, { json: { city: 'cork', lang: 'xx', title: 'x' }, expect: 422 });
  const made = await call(coord, 'POST', '/api/v1/library', {}, { json: { city: 'cork', lang: 'en', title: 'Described reading circles' }, expect: 201 });
  const { id } = made.body;
  await call(coord, 'POST', '/api/v1/library/{id}/transitions', { id }, { json: { to: 'submitted' }, expect: 422 });
  const libUpload = (url) => {
    const fd = new FormData();
    fd.append('kind', 'image');
    fd.append('file_lang', 'en');
    fd.append('alt', 'A reading circle');
    fd.append('file', new Blob([PNG], { type: 'image/png' }), 'circle.png');
    return fetch(url, { method: 'POST', body: fd, headers: { Cookie: coord.cookieHeader(), 'X-CSRF-Token': coord.csrf } });
  };
  await call(coord, 'POST', '/api/v1/library/{id}/files', { id }, { raw: libUpload, expect: 201 });
  await call(coord, 'PUT', '/api/v1/library/{id}', { id }, { json: { areas: ['community'], primary_area: 'community', sdgs: ['4'], primary_sdg: '4', texts: { en: { summary: 's', context: 'c', objectives: 'o', activities: 'a', outcomes: 'r' } } } });
  await call(coord, 'POST', '/api/v1/library/{id}/transitions', { id }, { json: { to: 'submitted' } });
  await call(admin, 'POST', '/api/v1/library/{id}/transitions', { id }, { json: { to: 'published' } });
  await call(c.anonymous, 'GET', '/api/v1/library/{id}', { id });
  await call(c.anonymous, 'GET', '/api/v1/library/{id}/v/{n}', { id, n: 1 });
  await call(c.anonymous, 'GET', '/api/v1/library/{id}/v/{n}', { id, n: 9 }, { expect: 404 });
  await call(c.anonymous, 'GET', '/api/v1/library', {}, { query: '?q=reading%20%22C%2B%2B&sdg=4&sdg=5&sort=city' });
  await call(c.anonymous, 'GET', '/api/v1/library/suggest', {}, { query: '?q=descr' });
  await call(c.anonymous, 'GET', '/api/v1/library/export', {}, { query: '?q=reading&sdg=4&sort=city' });
  await call(coord, 'GET', '/api/v1/library/{id}/history', { id });
  await call(coord, 'POST', '/api/v1/library/{id}/featured', { id }, { json: { featured: true }, expect: 403 });
  await call(admin, 'POST', '/api/v1/library/{id}/featured', { id }, { json: { featured: true } });
  await call(admin, 'POST', '/api/v1/library/{id}/transitions', { id }, { json: { to: 'withdrawn', reason: 'Described, then withdrawn.' } });
  await call(c.anonymous, 'GET', '/api/v1/library/{id}', { id }, { expect: 410 });
});

test('framework versions: list, file, import as a draft, publish', async () => {
  const { admin } = c;
  await call(admin, 'GET', '/api/v1/framework/versions');
  await call(admin, 'GET', '/api/v1/framework/versions/{code}', { code: 'kflc-2013' });
  const csv = await call(admin, 'GET', '/api/v1/framework/versions/{code}', { code: 'kflc-2013.csv' });
  assert.match(csv.body, /^part_code,.*,code,/);
  await call(admin, 'GET', '/api/v1/framework/versions/{code}', { code: 'nope' }, { expect: 404 });
  const file = (await call(c.anonymous, 'GET', '/api/v1/framework', {}, { query: '?format=json' })).body;
  await call(admin, 'POST', '/api/v1/framework/versions', {}, { query: '?code=bad', json: { format: 'nope' }, expect: 422 });
  await call(admin, 'POST', '/api/v1/framework/versions', {}, { query: '?code=kflc-openapi&title=Description%20test', json: file, expect: 201 });
  await call(admin, 'GET', '/api/v1/framework', {}, { query: '?version=kflc-openapi' });
  await call(admin, 'POST', '/api/v1/framework/versions/{code}/publish', { code: 'kflc-openapi' });
  await call(admin, 'POST', '/api/v1/framework/versions/{code}/publish', { code: 'kflc-openapi' }, { expect: [409, 422] });
  await call(c.coordinator, 'GET', '/api/v1/framework/versions', {}, { expect: 403 });
});

test('a person\'s home and a city\'s data years', async () => {
  await call(c.coordinator, 'GET', '/api/v1/home');
  await call(c.admin, 'GET', '/api/v1/home');
  await call(c.anonymous, 'GET', '/api/v1/home', {}, { expect: 401 });
  await call(c.coordinator, 'GET', '/api/v1/cities/{slug}/years', { slug: 'cork' });
  await call(c.natcom, 'GET', '/api/v1/cities/{slug}/years', { slug: 'cork' }, { expect: 403 });
  await call(c.admin, 'GET', '/api/v1/cities/{slug}/years', { slug: 'nowhere' }, { expect: 404 });
});

test('conferences: one created, its categories edited, a registration and its steps', async () => {
  const { admin, norole: part } = c;
  const conf = {
    slug: 'openapi-conf', title: 'OpenAPI conference', start_date: '2027-06-01', end_date: '2027-06-02',
    timezone: 'Europe/Paris', venue: { name: 'Hall', address: null }, languages: ['en', 'fr'],
  };
  await call(admin, 'POST', '/api/v1/conferences', {}, { json: conf, expect: 201 });
  await call(admin, 'POST', '/api/v1/conferences', {}, { json: { ...conf, slug: 'X' }, expect: 422 });
  await call(part, 'POST', '/api/v1/conferences', {}, { json: conf, expect: 403 });
  const v = await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}', { slug: 'openapi-conf' });
  assert.equal(v.body.categories.length, 8);
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}', { slug: 'nope' }, { expect: 404 });
  await call(admin, 'PUT', '/api/v1/conferences/{slug}', { slug: 'openapi-conf' }, {
    json: { ...conf, slug: undefined, categories: [{ code: 'expert', name: 'Expert', capacity: 1, opens: '2026-01-01', closes: '2027-05-31', visibility: 'public', moderated: false }] },
  });
  const answers = { name: 'Participant', organisation: 'Org', country: 'IE', privacy: true };
  const reg = await call(part, 'POST', '/api/v1/conferences/{slug}/registrations', { slug: 'openapi-conf' }, { json: { category: 'expert', answers }, expect: 201 });
  await call(part, 'POST', '/api/v1/conferences/{slug}/registrations', { slug: 'openapi-conf' }, { json: { category: 'expert', answers }, expect: 409 });
  await call(part, 'POST', '/api/v1/conferences/{slug}/registrations', { slug: 'openapi-conf' }, { json: { category: 'expert', answers: {} }, expect: [409, 422] });
  const id = reg.body.id;
  await call(part, 'GET', '/api/v1/conferences/{slug}/registrations/{id}', { slug: 'openapi-conf', id });
  await call(part, 'PUT', '/api/v1/conferences/{slug}/registrations/{id}', { slug: 'openapi-conf', id }, { json: { answers: { ...answers, position: 'Adviser' } } });
  await call(part, 'PUT', '/api/v1/conferences/{slug}/registrations/{id}', { slug: 'openapi-conf', id }, { json: { answers: { country: 'ZZ' } }, expect: 422 });
  const badge = await call(part, 'GET', '/api/v1/conferences/{slug}/registrations/{id}/badge.pdf', { slug: 'openapi-conf', id });
  assert.ok(badge.body.startsWith('%PDF'));
  await call(c.coordinator, 'GET', '/api/v1/conferences/{slug}/registrations/{id}/badge.pdf', { slug: 'openapi-conf', id }, { expect: 404 });
  await call(c.anonymous, 'GET', '/api/v1/conferences/{slug}/registrations/{id}/badge.pdf', { slug: 'openapi-conf', id }, { expect: 401 });
  await call(admin, 'POST', '/api/v1/conferences/{slug}/registrations/{id}/transitions', { slug: 'openapi-conf', id }, { json: { to: 'cancelled' }, expect: 422 });
  await call(part, 'POST', '/api/v1/conferences/{slug}/registrations/{id}/transitions', { slug: 'openapi-conf', id }, { json: { to: 'withdrawn' } });
  await call(part, 'POST', '/api/v1/conferences/{slug}/registrations/{id}/transitions', { slug: 'openapi-conf', id }, { json: { to: 'approved' }, expect: 409 });
  await call(part, 'GET', '/api/v1/conferences/{slug}/registrations/{id}/badge.pdf', { slug: 'openapi-conf', id }, { expect: 409 });
  const list = await call(admin, 'GET', '/api/v1/conferences/{slug}/registrations', { slug: 'demo-conference' }, { query: '?category=expert&per_page=5' });
  assert.equal(list.body.items.length, 4);
  await call(admin, 'GET', '/api/v1/conferences/{slug}/registrations', { slug: 'demo-conference' }, { query: '?state=bogus', expect: 400 });
  await call(part, 'GET', '/api/v1/conferences/{slug}/registrations', { slug: 'demo-conference' }, { expect: 403 });
});

test('logging in and out, then every documented operation was answered and validated', async () => {
  const again = new Client(srv.base);
  const login = await call(again, 'POST', '/api/v1/login', {}, { json: DEMO.natcom, csrf: null });
  assert.ok(login.body.csrf_token && again.session);
  again.csrf = login.body.csrf_token;
  await call(again, 'POST', '/api/v1/logout');
  await call(again, 'GET', '/api/v1/me', {}, { expect: 401 });
  const missing = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!item.get) continue;
    if (![...seen].some((s) => s.startsWith(`GET ${template} 2`))) missing.push(template);
  }
  assert.deepEqual(missing, [], 'documented GET routes the walk never answered 2xx');
  const unwritten = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of Object.keys(item).filter((m) => m !== 'get')) {
      const key = `${method.toUpperCase()} ${template} 2`;
      if (![...seen].some((s) => s.startsWith(key))) unwritten.push(`${method.toUpperCase()} ${template}`);
    }
  }
  assert.deepEqual(unwritten, [], 'documented writes the walk never answered 2xx');
});
