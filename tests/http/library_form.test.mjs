// SPDX-License-Identifier: AGPL-3.0-or-later
// The case-study library's people's side through the pages: the author's
// form (a new draft, the parts, a language at a time, the checks shown,
// submission), the curator's queue and steps with comments, the "featured"
// label, and every forbidden step refused for every role, with the
// database left as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

let srv;
let admin;
let coord;
let norole;
let anon;
let natcom;

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  norole = new Client(srv.base);
  await norole.login(DEMO.norole);
  natcom = new Client(srv.base);
  await natcom.login(DEMO.natcom);
  anon = new Client(srv.base);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.stderr);
});

const json = async (c, p) => (await c.get(p)).json();
const idOf = (r) => Number(r.headers.get('location').match(/\/library\/(\d+)/)[1]);

async function newDraft(title = 'Street libraries for every district') {
  const r = await coord.post('/library/new', { form: { city: 'cork', original: 'en', title } });
  assert.equal(r.status, 303, await r.text());
  return idOf(r);
}

test('a new draft from the form; refused to those who may not write', async () => {
  assert.equal((await anon.get('/library/new')).status, 303);
  assert.equal((await norole.get('/library/new')).status, 403);
  let r = await coord.get('/library/new');
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /name="csrf"/);
  assert.match(html, /value="cork"/);
  // Only its own city is offered to a coordinator.
  assert.equal((html.match(/<option value="[a-z-]+"/g) || []).filter((o) => !/"(ar|zh|en|fr|ru|es)"/.test(o)).length, 1);
  // No CSRF token: refused, nothing written.
  r = await coord.post('/library/new', { form: { city: 'cork', original: 'en', title: 'X' }, csrf: false });
  assert.equal(r.status, 403);
  r = await norole.post('/library/new', { form: { city: 'cork', original: 'en', title: 'X' } });
  assert.equal(r.status, 403);
  // An empty title: 422 with the message, no draft.
  r = await coord.post('/library/new', { form: { city: 'cork', original: 'en', title: '' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /class="field-error"/);
  const id = await newDraft();
  r = await coord.get(`/library/${id}/edit?part=text&done=created`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Street libraries for every district/);
});

test('the parts save a partial draft; the checks are shown; a typo is said next to its field', async () => {
  const id = await newDraft('Learning festivals in the parks');
  let page = await (await coord.get(`/library/${id}/edit`)).text();
  assert.match(page, /Checks before submission/);
  assert.match(page, /at least one/i);
  // Period and areas, without the rest: saved.
  let r = await coord.post(`/library/${id}/edit?part=about`, {
    form: { action: 'save', start: '2017', end: '', areas: 'community', primary_area: 'community', sdgs: '4', primary_sdg: '4', targets: '4.6, 4.a', licence: 'CC-BY-4.0' },
  });
  assert.equal(r.status, 303, await r.text());
  let c = await json(coord, `/api/v1/library/${id}`);
  assert.deepEqual(c.areas, ['community']);
  assert.deepEqual(c.targets, ['4.6', '4.a']);
  assert.deepEqual(c.period, { start: 2017, end: null });
  // A bad year: 422, what was typed shown again, nothing written.
  r = await coord.post(`/library/${id}/edit?part=about`, {
    form: { action: 'save', start: 'twenty', areas: 'culture', primary_area: 'culture' },
  });
  assert.equal(r.status, 422);
  page = await r.text();
  assert.match(page, /value="twenty"/);
  assert.match(page, /a year of four digits/);
  assert.deepEqual((await json(coord, `/api/v1/library/${id}`)).areas, ['community']);
  // People and evidence: lines become records.
  r = await coord.post(`/library/${id}/edit?part=people`, {
    form: {
      action: 'save', target_groups: 'families', settings: 'community',
      partners: 'City library | public | host\nParents’ network | NGO | outreach',
      funding: 'City budget', reached_number: '1200', reached_year: '2019', evaluation: 'internal',
      indicators: 'Families taking part | 100 | 400 | 2019 | Library records', related: 'case 1',
    },
  });
  assert.equal(r.status, 303, await r.text());
  c = await json(coord, `/api/v1/library/${id}`);
  assert.deepEqual(c.partners[1], { name: 'Parents’ network', type: 'NGO', role: 'outreach' });
  assert.deepEqual(c.reached, { number: 1200, year: 2019 });
  assert.equal(c.evidence.indicators[0].value, 400);
  assert.deepEqual(c.related, [{ kind: 'case', id: 1 }]);
  // The form shows them back as lines.
  page = await (await coord.get(`/library/${id}/edit?part=people`)).text();
  assert.match(page, /City library \| public \| host/);
  // A related line that is not a kind and a number: refused.
  r = await coord.post(`/library/${id}/edit?part=people`, { form: { action: 'save', related: 'see the other one' } });
  assert.equal(r.status, 422);
  assert.deepEqual((await json(coord, `/api/v1/library/${id}`)).related, [{ kind: 'case', id: 1 }]);
  // Submitting an incomplete draft: 422 with the checks, still a draft.
  r = await coord.post(`/library/${id}/edit?part=text&tl=en`, { form: { action: 'submit', title: 'Learning festivals in the parks', summary: 'Festivals.' } });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /“context” is required|context/);
  assert.equal((await json(coord, `/api/v1/library/${id}`)).state, 'draft');
  // The summary was saved even so (a draft takes partial text).
  assert.equal((await json(coord, `/api/v1/library/${id}`)).texts.en.summary, 'Festivals.');
});

test('a second language in its own tab, word counts, then submission and curation', async () => {
  const id = await newDraft('Family reading weekends');
  await coord.post(`/library/${id}/edit?part=about`, {
    form: { action: 'save', start: '2019', areas: 'community', primary_area: 'community', sdgs: '4', primary_sdg: '4' },
  });
  let r = await coord.post(`/library/${id}/edit?part=text&tl=en`, {
    form: {
      action: 'save', title: 'Family reading weekends', summary: 'Weekends of reading for families in five districts.',
      context: 'A city of readers.', objectives: 'Reading together.', activities: 'Weekend sessions.', outcomes: 'Many families.',
    },
  });
  assert.equal(r.status, 303);
  let page = await (await coord.get(`/library/${id}/edit?part=text&tl=en`)).text();
  assert.match(page, /<span class="words">8<\/span> \/ 300/);
  r = await coord.post(`/library/${id}/edit?part=text&tl=fr`, {
    form: { action: 'save', title: 'Week-ends de lecture en famille', summary: 'Des week-ends de lecture.' },
  });
  assert.equal(r.status, 303);
  page = await (await coord.get(`/library/${id}/edit?part=text&tl=fr`)).text();
  assert.match(page, /lang="fr"/);
  assert.match(page, /Week-ends de lecture en famille/);
  assert.match(page, /Every check passes/);
  // Submit from the form.
  r = await coord.post(`/library/${id}/edit?part=text&tl=fr`, { form: { action: 'submit', title: 'Week-ends de lecture en famille', summary: 'Des week-ends de lecture.' } });
  assert.equal(r.status, 303, await r.text());
  assert.equal((await json(coord, `/api/v1/library/${id}`)).state, 'submitted');
  // The queue: submitted first; refused to everyone but the secretariat.
  for (const c of [coord, norole, natcom]) assert.equal((await c.get('/admin/library')).status, 403);
  assert.equal((await anon.get('/admin/library')).status, 303);
  page = await (await admin.get('/admin/library')).text();
  const first = page.match(/href="\/library\/(\d+)"/);
  assert.ok(first);
  assert.match(page.slice(page.indexOf('<tbody>'), page.indexOf('</tr>', page.indexOf('<tbody>'))), /Submitted/);
  assert.match(await (await admin.get('/admin/library?state=declined')).text(), /No case study in this state/);
  assert.equal((await admin.get('/admin/library?state=nonsense')).status, 400);
  // The coordinator cannot request changes nor publish its own case.
  r = await coord.post(`/library/${id}/transitions`, { form: { to: 'changes_requested', reason: 'x' } });
  assert.equal(r.status, 403);
  r = await coord.post(`/library/${id}/transitions`, { form: { to: 'published' } });
  assert.equal(r.status, 403);
  // A comment without its text is refused; with it, it is the thread the author reads.
  r = await admin.post(`/library/${id}/transitions`, { form: { to: 'changes_requested' } });
  assert.ok(r.status === 422 || r.status === 400, String(r.status));
  r = await admin.post(`/library/${id}/transitions`, { form: { to: 'changes_requested', reason: 'Please add the number of volunteers.' } });
  assert.equal(r.status, 303);
  page = await (await coord.get(`/library/${id}/edit?part=people`)).text();
  assert.match(page, /Please add the number of volunteers\./);
  page = await (await admin.get(`/library/${id}`)).text();
  assert.match(page, /Please add the number of volunteers\./);
  // The author revises and resubmits; the curator publishes; the featured label.
  r = await coord.post(`/library/${id}/edit?part=people`, { form: { action: 'submit', reached_number: '300', reached_year: '2020' } });
  assert.equal(r.status, 303, await r.text());
  assert.equal((await admin.post(`/library/${id}/featured`, { form: { on: '1' } })).status, 409);
  r = await admin.post(`/api/v1/library/${id}/featured`, { json: { featured: true } });
  assert.equal(r.status, 409);
  assert.match((await r.json()).error.message, /Only a published case study/);
  r = await admin.post(`/library/${id}/transitions`, { form: { to: 'published' } });
  assert.equal(r.status, 303);
  assert.equal((await anon.get(`/library/${id}`)).status, 200);
  for (const c of [coord, norole, natcom]) assert.equal((await c.post(`/library/${id}/featured`, { form: { on: '1' } })).status, 403);
  assert.ok([303, 401].includes((await anon.post(`/library/${id}/featured`, { form: { on: '1' }, csrf: false })).status));
  assert.equal((await admin.post(`/library/${id}/featured`, { form: { on: '1' }, csrf: false })).status, 403);
  assert.equal((await admin.post(`/library/${id}/featured`, { form: { on: '1' } })).status, 303);
  assert.match(await (await anon.get(`/library/${id}`)).text(), /badge featured/);
  assert.equal((await json(anon, '/api/v1/library?q=lecture')).items.find((x) => x.id === id)?.featured, true);
  // The API twin, and its refusals.
  assert.equal((await coord.post(`/api/v1/library/${id}/featured`, { json: { featured: false } })).status, 403);
  assert.equal((await anon.post(`/api/v1/library/${id}/featured`, { json: { featured: false } })).status, 401);
  assert.equal((await admin.post(`/api/v1/library/${id}/featured`, { json: { featured: 'no' } })).status, 400);
  r = await admin.post(`/api/v1/library/${id}/featured`, { json: { featured: false } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).featured, false);
  // The label is audited.
  const audit = await (await admin.get('/api/v1/audit?per_page=50')).text();
  assert.match(audit, /library\.unfeature/);
});

test('a draft and its form answer 404 to the public and to another city', async () => {
  const id = await newDraft('Not yet for the public');
  assert.equal((await anon.get(`/library/${id}`)).status, 404);
  assert.equal((await norole.get(`/library/${id}`)).status, 404);
  assert.equal((await natcom.get(`/library/${id}/edit`)).status, 403);
  assert.equal((await norole.get(`/library/${id}/edit`)).status, 403);
  assert.equal((await anon.get(`/library/${id}/edit`)).status, 303);
  let r = await norole.post(`/library/${id}/edit?part=about`, { form: { action: 'save', start: '2000' } });
  assert.equal(r.status, 403);
  r = await natcom.post(`/library/${id}/edit?part=about`, { form: { action: 'save', start: '2000' } });
  assert.equal(r.status, 403);
  assert.equal((await json(coord, `/api/v1/library/${id}`)).period, undefined);
});

// A 1x1 PNG, and bytes that only claim to be one.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const FAKE = Buffer.from('<html><script>alert(1)</script></html>');

async function upload(c, p, fields, bytes, filename = 'photo.png') {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (c.csrf) f.set('csrf', c.csrf);
  if (bytes) f.set('file', new Blob([bytes]), filename);
  const headers = {};
  const jar = c.cookieHeader();
  if (jar) headers.Cookie = jar;
  if (c.csrf) headers['X-CSRF-Token'] = c.csrf;
  return fetch(c.base + p, { method: 'POST', body: f, headers, redirect: 'manual' });
}

test('files: checked by content, alt text checked, a draft\'s files never served to the public', async () => {
  const id = await newDraft('Photographs of the reading boats');
  const base = `/library/${id}`;
  // Refused: not an image, the wrong kind, another role, no CSRF token.
  let r = await upload(coord, `${base}/files`, { kind: 'image', file_lang: 'en', alt: 'x' }, FAKE, 'photo.png');
  assert.equal(r.status, 422);
  assert.match(await r.text(), /PNG or JPEG image/);
  r = await upload(coord, `${base}/files`, { kind: 'document', file_lang: 'en' }, PNG);
  assert.equal(r.status, 422);
  r = await upload(norole, `${base}/files`, { kind: 'image', file_lang: 'en' }, PNG);
  assert.equal(r.status, 403);
  r = await upload(natcom, `/api/v1/library/${id}/files`, { kind: 'image', file_lang: 'en' }, PNG);
  assert.equal(r.status, 403);
  r = await upload(anon, `/api/v1/library/${id}/files`, { kind: 'image', file_lang: 'en' }, PNG);
  assert.equal(r.status, 401);
  assert.deepEqual((await json(coord, `/api/v1/library/${id}`)).images, undefined);
  // An image without alt text: stored, and the checks say so.
  r = await upload(coord, `${base}/files`, { kind: 'image', file_lang: 'en', credit: 'City archive', licence: 'CC-BY-4.0' }, PNG);
  assert.equal(r.status, 303, await r.text());
  let c = await json(coord, `/api/v1/library/${id}`);
  assert.equal(c.images.length, 1);
  assert.ok(c.checks.some((x) => x.code === 'err_library_check_alt'));
  const src1 = c.images[0].src;
  assert.match(src1, new RegExp(`^/library/${id}/files/\\d+$`));
  // Through the API with its alt text.
  r = await upload(coord, `/api/v1/library/${id}/files`, { kind: 'image', file_lang: 'en', alt: 'A boat moored by the quay, its shelves full of books' }, PNG);
  assert.equal(r.status, 201, await r.clone().text());
  const src2 = (await r.json()).src;
  // The writer sees both; the public and another role see neither while it is a draft.
  r = await coord.get(src2);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), PNG);
  for (const cl of [anon, norole, natcom]) assert.equal((await cl.get(src2)).status, 404);
  // Remove the image without alt text, complete and publish.
  r = await coord.req('PUT', `/api/v1/library/${id}`, {
    json: {
      images: [{ src: src2, alt: { en: 'A boat moored by the quay, its shelves full of books' } }],
      areas: ['community'], primary_area: 'community', sdgs: ['4'], primary_sdg: '4',
      texts: { en: { summary: 'Boats.', context: 'A river.', objectives: 'Reading.', activities: 'Sailing.', outcomes: 'Readers.' } },
    },
  });
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).checks, []);
  assert.equal((await coord.post(`/api/v1/library/${id}/transitions`, { json: { to: 'submitted' } })).status, 200);
  assert.equal((await admin.post(`/api/v1/library/${id}/transitions`, { json: { to: 'published' } })).status, 200);
  // Published: the named image is served to all and shown with its alt text; the other not.
  assert.equal((await anon.get(src2)).status, 200);
  assert.equal((await anon.get(src1)).status, 404);
  const page = await (await anon.get(base)).text();
  assert.match(page, new RegExp(`<img src="${src2}" alt="A boat moored by the quay, its shelves full of books"`));
  // A file added to the next draft stays unseen while the public reads the published version.
  r = await upload(coord, `/api/v1/library/${id}/files`, { kind: 'image', file_lang: 'en', alt: 'A second boat' }, PNG);
  assert.equal(r.status, 201);
  const src3 = (await r.json()).src;
  assert.equal((await coord.get(src3)).status, 200);
  assert.equal((await anon.get(src3)).status, 404);
  assert.equal((await anon.get(src2)).status, 200);
  // Another case's path does not reach this case's file.
  assert.equal((await coord.get(src2.replace(`/library/${id}/`, '/library/1/'))).status, 404);
});
