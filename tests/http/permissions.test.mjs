// SPDX-License-Identifier: AGPL-3.0-or-later
// THE permission matrix over HTTP: every role of the demo database, and no
// login, against every protected route, expecting allow or deny from the
// table below. The routes come from the server itself (`learncity serve
// --routes`), so a new protected route without its row here fails the test,
// and so does a row whose route is gone.
//
// "Protected" = the route needs a login or performs an authz action other
// than the public ones (view_directory, login). Deny means 401 or 403 (or,
// for a page, 303 to the login page); allow means anything else that is not
// a server error (a 404 for an id that does not exist, a 422 for a form the
// test leaves half empty, are past the permission check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO, routeTable } from './client.mjs';

const ROLES = ['anonymous', 'admin', 'coordinator', 'natcom', 'jury', 'participant', 'expert', 'norole'];
const ACCOUNTS = ROLES.filter((r) => r !== 'anonymous');
const ADMIN = ['admin'];
const REPORTERS = ['admin', 'coordinator'];
const NOMINATORS = ['admin', 'coordinator', 'natcom'];

// route -> who may; and the request that exercises it (harmless for every role:
// `target` is an invited account made for the test, ids that do not exist are 404).
const MATRIX = {
  'GET /account': { allow: ACCOUNTS },
  'POST /account/profile': { allow: ACCOUNTS, form: (ctx) => ({ name: ctx.name }) },
  'POST /account/digest': { allow: ACCOUNTS, form: () => ({ weekly: '1' }) },
  'POST /account/password': { allow: ACCOUNTS, form: () => ({ old_password: 'x', password: 'a', password2: 'b' }) },
  'POST /account/logout-all': { allow: ACCOUNTS, form: () => ({}) },
  'POST /account/tokens': { allow: ACCOUNTS, form: () => ({ name: 'matrix', expires_days: '1' }) },
  'POST /account/tokens/{id}/revoke': { allow: ACCOUNTS, id: () => 999999, form: () => ({}) },
  'GET /admin/users': { allow: ADMIN },
  'GET /admin/users.csv': { allow: ADMIN },
  'GET /admin/users.xlsx': { allow: ADMIN },
  'POST /admin/users/invite': { allow: ADMIN, form: (ctx) => ({ email: `matrix-${ctx.role}@example.org`, name: 'Matrix' }) },
  'GET /admin/users/{id}': { allow: ADMIN, id: (ctx) => ctx.target },
  'GET /admin/users/{id}/disable': { allow: ADMIN, id: (ctx) => ctx.target },
  'POST /admin/users/{id}/disable': { allow: ADMIN, id: (ctx) => ctx.target, form: () => ({ reason: 'matrix' }) },
  'POST /admin/users/{id}/enable': { allow: ADMIN, id: (ctx) => ctx.target, form: () => ({ reason: 'matrix' }) },
  'POST /admin/users/{id}/roles': { allow: ADMIN, id: (ctx) => ctx.target, form: () => ({ role_kind: 'participant' }) },
  'POST /admin/users/{id}/roles/revoke': { allow: ADMIN, id: (ctx) => ctx.target, form: () => ({ spec: 'participant' }) },
  'GET /admin/audit': { allow: ADMIN },
  'GET /admin/audit.csv': { allow: ADMIN },
  'GET /admin/audit.xlsx': { allow: ADMIN },
  'GET /admin/outbox': { allow: ADMIN },
  'GET /admin/outbox.csv': { allow: ADMIN },
  'GET /admin/outbox.xlsx': { allow: ADMIN },
  'POST /admin/outbox/{id}/retry': { allow: ADMIN, id: () => 999999, form: () => ({}) },
  'GET /api/v1/me': { allow: ACCOUNTS },
  'GET /api/v1/tokens': { allow: ACCOUNTS },
  'POST /api/v1/tokens': { allow: ACCOUNTS, json: () => ({ name: 'matrix', expires_days: 1 }) },
  'DELETE /api/v1/tokens/{id}': { allow: ACCOUNTS, id: () => 999999 },
  'GET /api/v1/audit': { allow: ADMIN },
  'POST /api/v1/index-runs': { allow: ADMIN, json: () => ({ year: 2031, runs: 0 }) },
  'GET /api/v1/index-runs': { allow: ADMIN },
  'GET /api/v1/index-runs/{id}': { allow: ADMIN, id: () => 999999 },
  'POST /api/v1/index-specs': { allow: ADMIN, json: () => ({ name: 'matrix', spec: { steps: 1 } }) },
  'GET /api/v1/jobs/{id}': { allow: ADMIN, id: () => 999999 },
  'POST /api/v1/jobs/{id}/cancel': { allow: ADMIN, id: () => 999999 },
  'GET /admin/index-runs': { allow: ADMIN },
  'POST /admin/index-runs': { allow: ADMIN, form: () => ({ year: 'x' }) },
  'GET /admin/jobs/{id}': { allow: ADMIN, id: () => 999999 },
  'POST /admin/jobs/{id}/cancel': { allow: ADMIN, id: () => 999999, form: () => ({}) },
  'GET /admin/review': { allow: ADMIN },
  'GET /api/v1/review': { allow: ADMIN },
  'GET /admin/review/{slug}/{year}': { allow: ADMIN, path: () => '/admin/review/cork/2031?step=return' },
  // A year's history: whoever may see its values (every account on the demo); 2031 has none: 404.
  'GET /cities/{slug}/data/{year}/history': { allow: ACCOUNTS, path: () => '/cities/cork/data/2031/history' },
  'GET /api/v1/cities/{slug}/years/{year}/history': { allow: ACCOUNTS, path: () => '/api/v1/cities/cork/years/2031/history' },
  'POST /admin/review/{slug}/{year}/approve': { allow: ADMIN, path: () => '/admin/review/cork/2031/approve', form: () => ({}) },
  'POST /admin/review/{slug}/{year}/return': { allow: ADMIN, path: () => '/admin/review/cork/2031/return', form: () => ({ comment: 'matrix' }) },
  'GET /api/v1/framework/versions': { allow: ADMIN },
  'POST /api/v1/framework/versions': { allow: ADMIN, json: () => ({}) },
  'GET /api/v1/framework/versions/{code}': { allow: ADMIN },
  'POST /api/v1/framework/versions/{code}/publish': { allow: ADMIN },
  'GET /admin/framework': { allow: ADMIN },
  'POST /admin/framework/drafts': { allow: ADMIN, form: (ctx) => ({ version_code: `matrix-${ctx.role}` }) },
  'POST /admin/framework/import': { allow: ADMIN, form: () => ({ content: 'not a framework' }) },
  'GET /admin/framework/{version}': { allow: ADMIN },
  'GET /admin/framework/{version}/measurements/new': { allow: ADMIN },
  'POST /admin/framework/{version}/measurements': { allow: ADMIN, form: () => ({ feature: '1.1.1' }) },
  'GET /admin/framework/{version}/measurements/{id}': { allow: ADMIN, id: () => 999999 },
  'POST /admin/framework/{version}/measurements/{id}': { allow: ADMIN, id: () => 999999, form: () => ({}) },
  'GET /admin/framework/{version}/measurements/{id}/remove': { allow: ADMIN, id: () => 999999 },
  'POST /admin/framework/{version}/measurements/{id}/remove': { allow: ADMIN, id: () => 999999, form: () => ({}) },
  'GET /admin/framework/{version}/publish': { allow: ADMIN },
  'POST /admin/framework/{version}/publish': { allow: ADMIN, form: () => ({}) },
  // Membership applications and calls (applications.c): id 999999 does not exist (404 past the check).
  'GET /apply': { allow: ACCOUNTS },
  'POST /apply': { allow: ACCOUNTS, form: () => ({ country: 'IE', city_name: 'Matrix' }) },
  'GET /applications': { allow: ACCOUNTS },
  'GET /applications/{id}': { allow: ACCOUNTS, id: () => 999999 },
  'POST /applications/{id}': { allow: ACCOUNTS, id: () => 999999, form: () => ({ city_name: 'Matrix' }) },
  'POST /applications/{id}/transitions': { allow: ACCOUNTS, id: () => 999999, form: () => ({ to: 'submitted' }) },
  'POST /applications/{id}/pledge': { allow: ACCOUNTS, id: () => 999999, json: () => ({}) },
  'GET /applications/{id}/pledge': { allow: ACCOUNTS, id: () => 999999 },
  'GET /natcom/applications': { allow: ['admin', 'natcom'] },
  'GET /expert/applications': { allow: ['admin', 'expert'] },
  'GET /admin/applications': { allow: ADMIN },
  'GET /admin/calls': { allow: ADMIN },
  'POST /admin/calls': { allow: ADMIN, form: () => ({ title: 'Matrix' }) },
  'POST /admin/calls/{id}': { allow: ADMIN, id: () => 999999, form: () => ({ title: 'Matrix' }) },
  'POST /api/v1/calls': { allow: ADMIN, json: () => ({}) },
  'PUT /api/v1/calls/{id}': { allow: ADMIN, id: () => 999999, json: () => ({}) },
  'GET /api/v1/applications': { allow: ACCOUNTS },
  'POST /api/v1/applications': { allow: ACCOUNTS, json: () => ({ country: 'IE' }) },
  'GET /api/v1/applications/{id}': { allow: ACCOUNTS, id: () => 999999 },
  'GET /api/v1/applications/{id}/history': { allow: ACCOUNTS, id: () => 999999 },
  'GET /applications/{id}/history': { allow: ACCOUNTS, id: () => 999999 },
  'PUT /api/v1/applications/{id}': { allow: ACCOUNTS, id: () => 999999, json: () => ({ city_name: 'x' }) },
  'POST /api/v1/applications/{id}/transitions': { allow: ACCOUNTS, id: () => 999999, json: () => ({ to: 'submitted' }) },
  'POST /api/v1/applications/{id}/pledge': { allow: ACCOUNTS, id: () => 999999, json: () => ({}) },
  'GET /api/v1/applications/{id}/pledge': { allow: ACCOUNTS, id: () => 999999 },
  // Progress reports: ctx.report is Cork's (opened in before()); its coordinator and the
  // secretariat may see and fill it, nobody else. Submitting it incomplete is a 422.
  'GET /api/v1/reports': { allow: REPORTERS },
  'POST /api/v1/reports': { allow: ADMIN, json: () => ({}) },
  'GET /api/v1/reports/{id}': { allow: REPORTERS, id: (ctx) => ctx.report },
  'PUT /api/v1/reports/{id}': { allow: REPORTERS, id: (ctx) => ctx.report, json: () => ({ answers: {} }) },
  'POST /api/v1/reports/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.report, json: () => ({ to: 'submitted' }) },
  'POST /api/v1/cities/{slug}/membership/transitions': { allow: ADMIN, slug: () => 'cork', json: () => ({ to: 'nowhere', reason: 'matrix' }) },
  'GET /reports/{id}': { allow: REPORTERS, id: (ctx) => ctx.report },
  'GET /reports/{id}/history': { allow: REPORTERS, id: (ctx) => ctx.report },
  'GET /api/v1/reports/{id}/history': { allow: REPORTERS, id: (ctx) => ctx.report },
  'POST /reports/{id}': { allow: REPORTERS, id: (ctx) => ctx.report, form: () => ({ action: 'save' }) },
  'POST /reports/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.report, form: () => ({ to: 'submitted' }) },
  'GET /cities/{slug}/reports': { allow: REPORTERS, slug: () => 'cork' },
  'POST /cities/{slug}/membership': { allow: ADMIN, slug: () => 'cork', form: () => ({ to: 'suspended', reason: 'matrix' }) },
  'GET /admin/reports': { allow: ADMIN },
  'GET /admin/reports/cohorts': { allow: ADMIN },
  'POST /admin/reports/cohorts': { allow: ADMIN, form: () => ({}) },
  'GET /admin/pipeline': { allow: ADMIN },
  // Every person's home; a city's data years for who may see its unapproved values.
  'GET /home': { allow: ACCOUNTS },
  'GET /api/v1/home': { allow: ACCOUNTS },
  'GET /cities/{slug}/data': { allow: REPORTERS, slug: () => 'cork' },
  'GET /api/v1/cities/{slug}/years': { allow: REPORTERS, slug: () => 'cork' },
  // The award (award_rounds.c): ctx.nomination is Cork's 2027 nomination (started in
  // before()), a draft: its coordinator and the secretariat write it, its National
  // Commission reads it. Id 999999 does not exist; an empty or incomplete body is a 422.
  // The conference programme (programme.c): stars for every account, the editor for the
  // secretariat. Session 999999 does not exist (404); an empty release is a 422.
  'GET /conferences/{slug}/my-programme': { allow: ACCOUNTS, slug: () => 'demo-conference' },
  'GET /conferences/{slug}/my-programme.ics': { allow: ACCOUNTS, slug: () => 'demo-conference' },
  'POST /conferences/{slug}/sessions/{id}/star': { allow: ACCOUNTS, slug: () => 'demo-conference', id: () => 999999, form: () => ({ on: '1' }) },
  // Session sign-up: any account may try (session 999999 does not exist: 404); the list is the secretariat's.
  'POST /conferences/{slug}/sessions/{id}/signup': { allow: ACCOUNTS, slug: () => 'demo-conference', id: () => 999999, form: () => ({}) },
  'POST /api/v1/conferences/{slug}/sessions/{id}/signup': { allow: ACCOUNTS, slug: () => 'demo-conference', id: () => 999999, json: () => ({}) },
  'DELETE /api/v1/conferences/{slug}/sessions/{id}/signup': { allow: ACCOUNTS, slug: () => 'demo-conference', id: () => 999999 },
  'GET /conferences/{slug}/sessions/{id}/signups': { allow: ADMIN, slug: () => 'demo-conference', id: () => 999999 },
  'GET /api/v1/conferences/{slug}/sessions/{id}/signups': { allow: ADMIN, slug: () => 'demo-conference', id: () => 999999 },
  'GET /conferences/{slug}/programme/edit': { allow: ADMIN, slug: () => 'demo-conference' },
  'POST /conferences/{slug}/programme/sessions/{id}': { allow: ADMIN, slug: () => 'demo-conference', id: () => 999999, form: () => ({ duration: '30' }) },
  'POST /conferences/{slug}/programme/sessions': { allow: ADMIN, slug: () => 'demo-conference', form: () => ({ title_en: '' }) },
  'POST /conferences/{slug}/programme/release': { allow: ADMIN, slug: () => 'demo-conference', form: () => ({ name: '' }) },
  'GET /api/v1/conferences/{slug}/programme/draft': { allow: ADMIN, slug: () => 'demo-conference' },
  'POST /api/v1/conferences/{slug}/programme/sessions': { allow: ADMIN, slug: () => 'demo-conference', json: () => ({}) },
  'PUT /api/v1/conferences/{slug}/programme/sessions/{id}': { allow: ADMIN, slug: () => 'demo-conference', id: () => 999999, json: () => ({}) },
  'POST /api/v1/conferences/{slug}/programme/releases': { allow: ADMIN, slug: () => 'demo-conference', json: () => ({}) },
  // The organisers' downloads of the programme (programme_export.c).
  'GET /conferences/{slug}/programme/sessions.csv': { allow: ADMIN, slug: () => 'demo-conference' },
  'GET /conferences/{slug}/programme/sessions.xlsx': { allow: ADMIN, slug: () => 'demo-conference' },
  'POST /api/v1/award-rounds': { allow: ADMIN, json: () => ({}) },
  // A juror lists what it was assigned (none here: the demo juror is of 2024).
  'GET /api/v1/award-rounds/{year}/nominations': { allow: [...NOMINATORS, 'jury'], path: () => '/api/v1/award-rounds/2027/nominations' },
  'POST /api/v1/award-rounds/{year}/nominations': { allow: NOMINATORS, path: () => '/api/v1/award-rounds/2027/nominations', json: () => ({ city: 'cork' }) },
  // The jury (award_jury.c): the demo juror is of 2024, not 2027; empty bodies are 422s.
  'GET /api/v1/award-rounds/{year}/conflicts': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/conflicts' },
  'POST /api/v1/award-rounds/{year}/conflicts': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/conflicts', json: () => ({}) },
  'POST /api/v1/award-rounds/{year}/jurors': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/jurors', json: () => ({}) },
  'POST /api/v1/award-rounds/{year}/assignments': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/assignments', json: () => ({}) },
  'GET /api/v1/award-rounds/{year}/ranking': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/ranking' },
  // A juror's pages: any account reads its own /jury (no rounds for a non-juror); a sheet
  // nobody here reads is 404 past the check; only a juror of 2027 declares (none here).
  'GET /jury': { allow: ACCOUNTS },
  'POST /jury/conflicts': { allow: [], form: () => ({ year: '2027', nomination: '999999', action: 'declare', type: 'other' }) },
  'GET /jury/{id}': { allow: ACCOUNTS, id: () => 999999 },
  'POST /jury/{id}': { allow: ACCOUNTS, id: () => 999999, form: () => ({ action: 'save' }) },
  // A sheet is a juror's of the round who reads the nomination: 404 for everyone here.
  'GET /api/v1/nominations/{id}/scores/me': { allow: ACCOUNTS, id: (ctx) => ctx.nomination },
  'PUT /api/v1/nominations/{id}/scores/me': { allow: ACCOUNTS, id: (ctx) => ctx.nomination, json: () => ({}) },
  'GET /api/v1/nominations/{id}': { allow: NOMINATORS, id: (ctx) => ctx.nomination },
  'PUT /api/v1/nominations/{id}': { allow: REPORTERS, id: (ctx) => ctx.nomination, json: () => ({ links: 'ftp://x' }) },
  'POST /api/v1/nominations/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.nomination, json: () => ({ to: 'submitted' }) },
  'GET /api/v1/nominations/{id}/history': { allow: NOMINATORS, id: (ctx) => ctx.nomination },
  'POST /api/v1/nominations/{id}/files/{kind}': { allow: REPORTERS, path: (ctx) => `/api/v1/nominations/${ctx.nomination}/files/consent`, json: () => ({}) },
  'GET /api/v1/nominations/{id}/files/{kind}': { allow: NOMINATORS, path: (ctx) => `/api/v1/nominations/${ctx.nomination}/files/consent` },
  'GET /admin/awards': { allow: ADMIN },
  'POST /admin/awards': { allow: ADMIN, form: () => ({ year: 'x' }) },
  'GET /admin/awards/{year}': { allow: ADMIN, path: () => '/admin/awards/2027' },
  // The decision: a nomination that does not exist (404), a publication without its box ticked
  // or without an awardee (422): past the check, nothing changed.
  'POST /admin/awards/{year}/decisions': { allow: ADMIN, path: () => '/admin/awards/2027/decisions', form: () => ({ nomination: '999999', decision: 'none' }) },
  'POST /admin/awards/{year}/publish': { allow: ADMIN, path: () => '/admin/awards/2027/publish', form: () => ({}) },
  'GET /api/v1/award-rounds/{year}/decisions': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/decisions' },
  'POST /api/v1/award-rounds/{year}/decisions': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/decisions', json: () => ({}) },
  'POST /api/v1/award-rounds/{year}/publish': { allow: ADMIN, path: () => '/api/v1/award-rounds/2027/publish', json: () => ({}) },
  'GET /natcom/nominations': { allow: [...NOMINATORS, 'jury'] },
  'POST /natcom/nominations': { allow: NOMINATORS, form: () => ({ year: '2027', city: 'cork' }) },
  'GET /nominations/{id}': { allow: NOMINATORS, id: (ctx) => ctx.nomination },
  'POST /nominations/{id}': { allow: REPORTERS, id: (ctx) => ctx.nomination, form: () => ({ links: 'ftp://x' }) },
  'POST /nominations/{id}/override': { allow: ADMIN, id: (ctx) => ctx.nomination, form: () => ({ reason: '' }) },
  'POST /nominations/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.nomination, form: () => ({ to: 'submitted', confirm: '1' }) },
  'GET /nominations/{id}/history': { allow: NOMINATORS, id: (ctx) => ctx.nomination },
  'POST /nominations/{id}/files/{kind}': { allow: REPORTERS, path: (ctx) => `/nominations/${ctx.nomination}/files/consent`, form: () => ({}) },
  'GET /nominations/{id}/files/{kind}': { allow: NOMINATORS, path: (ctx) => `/nominations/${ctx.nomination}/files/consent` },
  'POST /api/v1/library': { allow: REPORTERS, json: () => ({ city: 'cork', lang: 'en', title: '' }) },
  'PUT /api/v1/library/{id}': { allow: REPORTERS, id: (ctx) => ctx.libcase, json: () => ({ licence: 'none' }) },
  'POST /api/v1/library/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.libcase, json: () => ({ to: 'submitted' }) },
  'GET /api/v1/library/{id}/history': { allow: REPORTERS, id: (ctx) => ctx.libcase },
  // The library's pages (library_form.c, library.c): the author's form, the steps, the queue, the label.
  'GET /library/new': { allow: REPORTERS },
  'POST /library/new': { allow: REPORTERS, form: () => ({ city: 'cork', original: 'en', title: '' }) },
  'GET /library/{id}/edit': { allow: REPORTERS, id: (ctx) => ctx.libcase },
  'POST /library/{id}/edit': { allow: REPORTERS, path: (ctx) => `/library/${ctx.libcase}/edit?part=about`, form: () => ({ action: 'save', start: 'x' }) },
  'POST /library/{id}/transitions': { allow: REPORTERS, id: (ctx) => ctx.libcase, form: () => ({ to: 'submitted' }) },
  'GET /library/{id}/history': { allow: REPORTERS, id: (ctx) => ctx.libcase },
  'GET /admin/library': { allow: ADMIN },
  'POST /library/{id}/files': { allow: REPORTERS, id: (ctx) => ctx.libcase, form: () => ({ kind: 'image' }) },
  'POST /api/v1/library/{id}/files': { allow: REPORTERS, id: (ctx) => ctx.libcase, json: () => ({}) },
  'POST /library/{id}/featured': { allow: ADMIN, id: (ctx) => ctx.libcase, form: () => ({ on: '1' }) },
  'POST /api/v1/library/{id}/featured': { allow: ADMIN, id: (ctx) => ctx.libcase, json: () => ({ featured: true }) },
  // Monitoring uploads: a login first (an anonymous upload is refused from its head), then
  // the domain decides on the city (Cork: its coordinator and the secretariat; the values'
  // own tests cover it). The right to enter data on the city is checked before the body,
  // so even an empty PUT is refused to everyone else.
  'PUT /api/v1/cities/{slug}/observations': { allow: REPORTERS, path: () => '/api/v1/cities/cork/observations?year=2031', json: () => ({ values: [] }) },
  'POST /cities/{slug}/data/{year}/upload': { allow: REPORTERS, path: () => '/cities/cork/data/2031/upload', form: () => ({}) },
  // Conference registration (conference_admin.c, conference_registration.c): the
  // secretariat sets conferences up; any account registers itself. Id 999999 does not
  // exist (404), category "nope" neither; an empty conference body is a 422.
  'POST /api/v1/conferences': { allow: ADMIN, json: () => ({}) },
  'PUT /api/v1/conferences/{slug}': { allow: ADMIN, path: () => '/api/v1/conferences/demo-conference', json: () => ({}) },
  'GET /admin/conferences': { allow: ADMIN },
  'POST /admin/conferences': { allow: ADMIN, form: () => ({ slug: 'x' }) },
  'GET /api/v1/conferences/{slug}/registrations': { allow: ADMIN, path: () => '/api/v1/conferences/demo-conference/registrations' },
  'GET /admin/conferences/{slug}': { allow: ADMIN, path: () => '/admin/conferences/demo-conference' },
  'GET /admin/conferences/{slug}/registrations.csv': { allow: ADMIN, path: () => '/admin/conferences/demo-conference/registrations.csv' },
  'POST /api/v1/conferences/{slug}/registrations': { allow: ACCOUNTS, path: () => '/api/v1/conferences/demo-conference/registrations', json: () => ({ category: 'nope', answers: {} }) },
  'GET /api/v1/conferences/{slug}/registrations/{id}': { allow: ACCOUNTS, path: () => '/api/v1/conferences/demo-conference/registrations/999999' },
  'PUT /api/v1/conferences/{slug}/registrations/{id}': { allow: ACCOUNTS, path: () => '/api/v1/conferences/demo-conference/registrations/999999', json: () => ({ answers: {} }) },
  'GET /api/v1/conferences/{slug}/registrations/{id}/badge.pdf': { allow: ACCOUNTS, path: () => '/api/v1/conferences/demo-conference/registrations/999999/badge.pdf' },
  'POST /api/v1/conferences/{slug}/registrations/{id}/transitions': { allow: ACCOUNTS, path: () => '/api/v1/conferences/demo-conference/registrations/999999/transitions', json: () => ({ to: 'withdrawn' }) },
  'GET /conferences/{slug}/register/{category}': { allow: ACCOUNTS, path: () => '/conferences/demo-conference/register/nope' },
  'POST /conferences/{slug}/register/{category}': { allow: ACCOUNTS, path: () => '/conferences/demo-conference/register/nope', form: () => ({}) },
  'GET /conferences/{slug}/registrations/{id}': { allow: ACCOUNTS, path: () => '/conferences/demo-conference/registrations/999999' },
  'POST /conferences/{slug}/registrations/{id}': { allow: ACCOUNTS, path: () => '/conferences/demo-conference/registrations/999999', form: () => ({}) },
  'POST /conferences/{slug}/registrations/{id}/transitions': { allow: ACCOUNTS, path: () => '/conferences/demo-conference/registrations/999999/transitions', form: () => ({ to: 'withdrawn', confirm: '1' }) },
  // Check-in at a conference's door (checkin.c): the role checkin:SLUG, which no demo account
  // holds (tests/http/checkin.test.mjs grants it), and the secretariat.
  'GET /conferences/{slug}/checkin': { allow: ADMIN, slug: () => 'demo-conference' },
  'GET /api/v1/conferences/{slug}/checkin-keys': { allow: ADMIN, slug: () => 'demo-conference' },
  'GET /api/v1/conferences/{slug}/checkins': { allow: ADMIN, slug: () => 'demo-conference' },
  'POST /api/v1/conferences/{slug}/checkins': { allow: ADMIN, slug: () => 'demo-conference', json: () => ({ scans: [] }) },
};

const PUBLIC_ACTIONS = new Set(['view_directory', 'login']);
const isProtected = (r) => r.login || (r.action && !PUBLIC_ACTIONS.has(r.action));

let srv;
const clients = {};
const ctx = {};

before(async () => {
  srv = await startServer();
  for (const role of ROLES) {
    clients[role] = new Client(srv.base);
    if (role !== 'anonymous') await clients[role].login(DEMO[role]);
  }
  const admin = clients.admin;
  const r = await admin.post('/admin/users/invite', { form: { email: 'matrix-target@example.org', name: 'Target' } });
  assert.equal(r.status, 303);
  const list = await (await admin.get('/admin/users?q=matrix-target')).text();
  ctx.target = Number(list.match(/href="\/admin\/users\/(\d+)"/)[1]);
  const rep = await admin.post('/api/v1/reports', { json: { year: 2026, deadline: '2099-12-31', cities: ['cork'] } });
  assert.equal(rep.status, 201);
  ctx.report = (await rep.json()).reports[0];
  const nom = await admin.post('/api/v1/award-rounds/2027/nominations', { json: { city: 'cork', override: 'The permission matrix needs a nomination.' } });
  assert.equal(nom.status, 201);
  ctx.nomination = (await nom.json()).id;
  const lib = await admin.post('/api/v1/library', { json: { city: 'cork', lang: 'en', title: 'The permission matrix needs a case.' } });
  assert.equal(lib.status, 201);
  ctx.libcase = (await lib.json()).id;
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test('every protected route has its row in the matrix, and every row a route', () => {
  const routes = routeTable();
  const keys = new Set();
  for (const r of routes) {
    for (const m of r.methods) {
      const key = `${m} ${r.pattern}`;
      if (isProtected(r)) {
        keys.add(key);
        assert.ok(MATRIX[key], `protected route ${key} (${r.action}) has no row in the permission matrix`);
      } else {
        assert.ok(!MATRIX[key], `${key} is public but has a row`);
      }
    }
  }
  for (const key of Object.keys(MATRIX)) assert.ok(keys.has(key), `row ${key} has no route`);
});

for (const [key, row] of Object.entries(MATRIX)) {
  test(`matrix: ${key}`, async () => {
    const [method, pattern] = key.split(' ');
    for (const role of ROLES) {
      const c = clients[role];
      const me = role === 'anonymous' ? null : DEMO[role];
      const local = { ...ctx, role, name: me ? `Demo ${role}` : 'x' };
      let p = row.path ? row.path(local) : row.id ? pattern.replace('{id}', String(row.id(local))) : pattern;
      if (row.slug) p = p.replace('{slug}', row.slug(local));
      let res;
      if (row.form) res = await c.req(method, p, { form: row.form(local) });
      else if (row.json || method !== 'GET') res = await c.req(method, p, { json: row.json ? row.json(local) : {} });
      else res = await c.req(method, p);
      const loc = res.headers.get('location') || '';
      const denied = res.status === 401 || res.status === 403 || (res.status === 303 && loc.startsWith('/login'));
      const expected = row.allow.includes(role) ? 'allow' : 'deny';
      assert.ok(res.status < 500, `${role} ${key}: ${res.status}`);
      assert.equal(denied ? 'deny' : 'allow', expected, `${role} ${method} ${p}: status ${res.status} ${loc}`);
      if (expected === 'deny' && role === 'anonymous' && pattern.startsWith('/api/'))
        assert.equal(res.status, 401, `${key}: the API answers anonymous callers 401`);
      if (expected === 'deny' && role !== 'anonymous')
        assert.equal(res.status, 403, `${role} ${key}: a logged-in person is refused with 403`);
    }
  });
}

test('after the matrix every demo account is still logged in and active', async () => {
  for (const role of ACCOUNTS) {
    const r = await clients[role].get('/api/v1/me');
    assert.equal(r.status, 200, role);
  }
});

test('the header offers administration only to whom may use it', async () => {
  for (const role of ACCOUNTS) {
    const html = await (await clients[role].get('/')).text();
    assert.equal(html.includes('href="/admin/users"'), role === 'admin', role);
    assert.match(html, /action="\/logout"/);
  }
  const anon = await (await clients.anonymous.get('/')).text();
  assert.match(anon, /href="\/login"/);
  assert.doesNotMatch(anon, /action="\/logout"/);
});
