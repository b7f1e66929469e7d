// SPDX-License-Identifier: AGPL-3.0-or-later
// The library for machines: the JSON-LD of a case page parsed back (and safe
// inside its script element), the Atom feed and the sitemap parsed with lxml,
// and the OAI-PMH repository: the six verbs by GET and POST, every answer
// validated against the vendored OAI-PMH.xsd and oai_dc.xsd (tests/oai/),
// every error code, sets, dates, paging by resumption token, withdrawn cases
// as deleted records; a draft appears in none of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { Client, DEMO } from './client.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VALIDATE = path.join(HERE, '..', 'oai', 'validate.py');
const PY = '/usr/bin/python3';

let srv, admin, coord, anon, dir;
let pub, draft, gone;
const HOSTILE = 'Learning </script><script>alert(1)</script> <!-- & "quoted" hubs';

const FULL = {
  areas: ['community'], primary_area: 'community', sdgs: ['4'], primary_sdg: '4',
  period: { start: 2018, end: null },
};
const TEXT = {
  summary: 'Neighbourhood reading circles for parents.', context: 'A port city.',
  objectives: 'Reading together.', activities: 'Weekly circles in branch libraries.',
  outcomes: 'Four hundred families took part.',
};
const step = (c, id, to, reason) =>
  c.post(`/api/v1/library/${id}/transitions`, { json: reason ? { to, reason } : { to } });

// A case published by the secretariat for Espoo; texts: {lang: {title, ...}}.
async function publish(title, texts = {}, extra = {}) {
  const r = await admin.post('/api/v1/library', {
    json: { city: 'espoo', lang: 'en', title, ...FULL, ...extra, texts: { en: TEXT, ...texts } },
  });
  assert.equal(r.status, 201, await r.clone().text());
  const { id } = await r.json();
  assert.equal((await step(admin, id, 'submitted')).status, 200);
  assert.equal((await step(admin, id, 'published')).status, 200);
  return id;
}

before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  coord = new Client(srv.base);
  await coord.login(DEMO.coordinator);
  anon = new Client(srv.base);
  dir = mkdtempSync(path.join(tmpdir(), 'lc-oai-'));
  pub = await publish(HOSTILE, { fr: { title: 'Des pôles d’apprentissage', summary: 'Résumé.' } });
  const r = await coord.post('/api/v1/library', {
    json: { city: 'cork', lang: 'en', title: 'Zqxjdraft never shown' },
  });
  assert.equal(r.status, 201);
  draft = (await r.json()).id;
  gone = await publish('Withdrawn wvutcase');
  assert.equal((await step(admin, gone, 'withdrawn', 'Duplicate.')).status, 200);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  assert.equal(await srv.stop(), 0, srv.stderr);
});

let nfile = 0;
function save(text) {
  const f = path.join(dir, `a${nfile++}.xml`);
  writeFileSync(f, text);
  return f;
}

// Validates files against the OAI-PMH and oai_dc schemas: [status, output].
function validate(...files) {
  const r = spawnSync(PY, [VALIDATE, ...files], { encoding: 'utf8' });
  return [r.status, r.stdout + r.stderr];
}

// Runs a Python snippet with lxml on a file; it prints JSON.
function py(code, file) {
  return JSON.parse(execFileSync(PY, ['-c', code, file], { encoding: 'utf8' }));
}

// One OAI-PMH request by GET (args: [[name, value]...]) or POST; answers the text, validated.
async function oai(args, method = 'GET') {
  const body = new URLSearchParams(args).toString();
  const r = method === 'GET'
    ? await fetch(`${srv.base}/oai?${body}`)
    : await fetch(`${srv.base}/oai`, {
      method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/xml/);
  const text = await r.text();
  answers.push(save(text));
  return text;
}
// Every OAI answer of the tests, validated in one run of the validator (the last test).
const answers = [];
const errorCode = (x) => (x.match(/<error code="([A-Za-z]+)"/) || [])[1];
const ids = (x) => [...x.matchAll(/<identifier>oai:[^:<]+:library\/(\d+)<\/identifier>/g)].map((m) => +m[1]);

test('the validator refuses what the schema forbids', () => {
  const bad = '<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    + '<responseDate>2024-01-01T00:00:00Z</responseDate><request>http://x/oai</request>'
    + '<error code="notACode">x</error></OAI-PMH>';
  const [status] = validate(save(bad));
  assert.equal(status, 1);
});

test('JSON-LD on the case page parses back, stays inside its script, and links translations', async () => {
  const r = await anon.get(`/library/${pub}`);
  assert.equal(r.status, 200);
  const html = await r.text();
  const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  const raw = scripts[0][1];
  assert.ok(!raw.includes('<') && !raw.includes('>'), raw);
  assert.ok(!raw.includes(':null'), raw);
  const ld = JSON.parse(raw);
  assert.equal(ld['@context'], 'https://schema.org');
  assert.equal(ld['@type'], 'Article');
  assert.equal(ld.headline, HOSTILE);
  assert.equal(ld.inLanguage, 'en');
  assert.equal(ld.url, `${srv.base}/library/${pub}`);
  assert.equal(ld.license, 'https://creativecommons.org/licenses/by/4.0/');
  assert.equal(ld.spatialCoverage['@type'], 'City');
  assert.equal(ld.spatialCoverage.name, 'Espoo');
  assert.equal(ld.spatialCoverage.containedInPlace.identifier, 'FI');
  assert.equal(ld.author.name, 'Espoo');
  assert.ok(ld.datePublished && ld.dateModified);
  assert.deepEqual(ld.about.map((a) => a.termCode).sort(), ['4', 'community']);
  assert.equal(ld.workTranslation.length, 1);
  assert.equal(ld.workTranslation[0].inLanguage, 'fr');
  assert.equal(ld.workTranslation[0].translationOfWork['@id'], ld['@id']);
  // The page's "cite as" line carries the address.
  assert.match(html, new RegExp(`<a href="${srv.base}/library/${pub}">`));
  // A draft's working version says nothing to the world; a tombstone neither.
  const d = await (await coord.get(`/library/${draft}`)).text();
  assert.ok(!d.includes('application/ld+json'));
  const g = await anon.get(`/library/${gone}`);
  assert.equal(g.status, 410);
  assert.ok(!(await g.text()).includes('application/ld+json'));
});

const ATOM = `
import json, sys
from lxml import etree
A = '{http://www.w3.org/2005/Atom}'
X = '{http://www.w3.org/XML/1998/namespace}lang'
root = etree.parse(sys.argv[1], etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
assert root.tag == A + 'feed', root.tag
for req in ('id', 'title', 'updated', 'author'):
    assert root.find(A + req) is not None, req
entries = []
for e in root.findall(A + 'entry'):
    for req in ('id', 'title', 'updated', 'link'):
        assert e.find(A + req) is not None, req
    entries.append({'id': e.findtext(A + 'id'), 'title': e.findtext(A + 'title'),
                    'lang': e.get(X), 'updated': e.findtext(A + 'updated'),
                    'link': e.find(A + 'link').get('href')})
print(json.dumps({'self': [l.get('href') for l in root.findall(A + 'link') if l.get('rel') == 'self'],
                  'entries': entries}))
`;

test('the Atom feed of published cases, linked from /library', async () => {
  const page = await (await anon.get('/library')).text();
  assert.match(page, /<link rel="alternate" type="application\/atom\+xml" href="\/library\/feed\.atom"/);
  const r = await anon.get('/library/feed.atom');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
  const feed = py(ATOM, save(await r.text()));
  assert.deepEqual(feed.self, [`${srv.base}/library/feed.atom`]);
  const mine = feed.entries.find((e) => e.id === `${srv.base}/library/${pub}`);
  assert.ok(mine, JSON.stringify(feed.entries));
  assert.equal(mine.title, HOSTILE);
  assert.equal(mine.lang, 'en');
  assert.match(mine.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(feed.entries.every((e) => e.lang));
  assert.ok(!feed.entries.some((e) => /Zqxjdraft|wvutcase/.test(e.title)));
  assert.ok(!feed.entries.some((e) => e.id.endsWith(`/library/${draft}`)));
});

const SITEMAP = `
import json, sys
from lxml import etree
S = '{http://www.sitemaps.org/schemas/sitemap/0.9}'
H = '{http://www.w3.org/1999/xhtml}'
root = etree.parse(sys.argv[1], etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
assert root.tag == S + 'urlset'
print(json.dumps([{'loc': u.findtext(S + 'loc'), 'lastmod': u.findtext(S + 'lastmod'),
                   'alt': [a.get('hreflang') for a in u.findall(H + 'link')]}
                  for u in root.findall(S + 'url')]))
`;

test('the sitemap lists the public pages and the published cases only', async () => {
  const r = await anon.get('/sitemap.xml');
  assert.equal(r.status, 200);
  const urls = py(SITEMAP, save(await r.text()));
  const locs = urls.map((u) => u.loc);
  assert.ok(locs.includes(`${srv.base}/library`));
  assert.ok(locs.includes(`${srv.base}/cities`));
  const mine = urls.find((u) => u.loc === `${srv.base}/library/${pub}`);
  assert.ok(mine);
  assert.match(mine.lastmod, /^\d{4}-\d\d-\d\d$/);
  assert.deepEqual(mine.alt, ['en', 'fr']);
  assert.ok(!locs.includes(`${srv.base}/library/${draft}`));
  assert.ok(!locs.includes(`${srv.base}/library/${gone}`));
  // Every listed page answers.
  for (const u of urls.slice(0, 8)) assert.equal((await anon.get(new URL(u.loc).pathname)).status, 200, u.loc);
});

test('CSV and JSON exports of a search: every result, the same filters, never a draft', async () => {
  const html = await (await anon.get('/library?q=hubs&sdg=4')).text();
  assert.match(html, /href="\/library\.csv\?q=hubs&amp;sdg=4"/);
  assert.match(html, /href="\/api\/v1\/library\/export\?q=hubs&amp;sdg=4"/);
  let r = await anon.get('/library.csv?q=hubs&sdg=4');
  assert.equal(r.status, 200);
  const csv = await r.text();
  assert.ok(csv.includes(`${pub},"Learning </script><script>alert(1)</script> <!-- & ""quoted"" hubs",en,Espoo,Finland,`), csv);
  assert.ok(!/Zqxjdraft|wvutcase/.test(csv));
  // The JSON export holds every result of the search (all its pages), in its order.
  const search = await (await anon.get('/api/v1/library?sort=city&per_page=5')).json();
  r = await anon.get('/api/v1/library/export?sort=city');
  assert.equal(r.status, 200);
  const all = await r.json();
  assert.equal(all.total, search.total);
  assert.equal(all.items.length, search.total);
  assert.deepEqual(all.items.slice(0, 5).map((i) => i.id), search.items.map((i) => i.id));
  assert.ok(all.items.some((i) => i.id === pub));
  assert.ok(!all.items.some((i) => i.id === draft || i.id === gone));
  // Filters narrow it exactly as the search does.
  const narrow = await (await anon.get('/api/v1/library/export?q=hubs&sdg=4')).json();
  assert.deepEqual(narrow.items.map((i) => i.id), [pub]);
  const none = await (await anon.get('/api/v1/library/export?q=hubs&sdg=13')).json();
  assert.equal(none.total, 0);
  // Too many values of a facet: refused as the search refuses them.
  const many = 'sdg=1&'.repeat(21);
  assert.equal((await anon.get(`/api/v1/library/export?${many}`)).status,
    (await anon.get(`/api/v1/library?${many}`)).status);
  assert.equal((await anon.get(`/api/v1/library/export?${many}`)).status, 400);
});

test('OAI-PMH: the six verbs by GET and POST, valid against the schema', async () => {
  for (const method of ['GET', 'POST']) {
    let x = await oai([['verb', 'Identify']], method);
    assert.match(x, /<deletedRecord>persistent<\/deletedRecord>/);
    assert.match(x, /<request verb="Identify">/);
    x = await oai([['verb', 'ListMetadataFormats']], method);
    assert.match(x, /<metadataPrefix>oai_dc<\/metadataPrefix>/);
    x = await oai([['verb', 'ListSets']], method);
    assert.match(x, /<setSpec>region:EUR<\/setSpec>/);
    assert.match(x, /<setSpec>area:community<\/setSpec>/);
    x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc']], method);
    assert.ok(ids(x).includes(pub));
    x = await oai([['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc']], method);
    assert.ok(ids(x).includes(pub));
    const host = new URL(srv.base).hostname;
    x = await oai([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'],
      ['identifier', `oai:${host}:library/${pub}`]], method);
    // One dc:title per translation, each with its language.
    assert.match(x, /<dc:title xml:lang="en">Learning &lt;\/script&gt;/);
    assert.match(x, /<dc:title xml:lang="fr">Des pôles d’apprentissage<\/dc:title>/);
    for (const el of ['description', 'subject', 'coverage', 'rights', 'language', 'identifier'])
      assert.match(x, new RegExp(`<dc:${el}[ >]`), el);
    assert.match(x, /<setSpec>region:EUR<\/setSpec><setSpec>area:community<\/setSpec>/);
    x = await oai([['verb', 'ListMetadataFormats'], ['identifier', `oai:${host}:library/${pub}`]], method);
    assert.match(x, /oai_dc/);
  }
});

test('OAI-PMH: drafts never appear, withdrawn cases are deleted records', async () => {
  const host = new URL(srv.base).hostname;
  let x = await oai([['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc']]);
  assert.ok(!ids(x).includes(draft));
  assert.ok(!x.includes('Zqxjdraft'));
  assert.match(x, new RegExp(`<header status="deleted"><identifier>oai:${host.replace(/\./g, '\\.')}:library/${gone}<`));
  assert.ok(!x.includes('wvutcase'));
  x = await oai([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', `oai:${host}:library/${draft}`]]);
  assert.equal(errorCode(x), 'idDoesNotExist');
  x = await oai([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', `oai:${host}:library/${gone}`]]);
  assert.match(x, /<header status="deleted">/);
  assert.ok(!x.includes('<metadata>'));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc']]);
  assert.ok(ids(x).includes(gone) && !ids(x).includes(draft));
});

test('OAI-PMH: sets and dates select', async () => {
  let x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'area:community']]);
  assert.ok(ids(x).includes(pub));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'region:EUR']]);
  assert.ok(ids(x).includes(pub));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'area:will']]);
  assert.ok(!ids(x).includes(pub));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'region:AFR']]);
  assert.ok(!ids(x).includes(pub));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'area:nosuch']]);
  assert.equal(errorCode(x), 'noRecordsMatch');
  const today = new Date().toISOString().slice(0, 10);
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['from', today], ['until', today]]);
  assert.ok(ids(x).includes(pub));
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['from', '2999-01-01']]);
  assert.equal(errorCode(x), 'noRecordsMatch');
  x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['until', '1999-12-31T23:59:59Z']]);
  assert.equal(errorCode(x), 'noRecordsMatch');
});

test('OAI-PMH: every error code, by GET and POST', async () => {
  const cases = [
    [[], 'badVerb'],
    [[['verb', 'Dance']], 'badVerb'],
    [[['verb', 'Identify'], ['verb', 'Identify']], 'badVerb'],
    [[['verb', 'Identify'], ['colour', 'red']], 'badArgument'],
    [[['verb', 'Identify'], ['metadataPrefix', 'oai_dc']], 'badArgument'],
    [[['verb', 'ListRecords']], 'badArgument'],
    [[['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['metadataPrefix', 'oai_dc']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['from', '2024-02-30']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['from', 'yesterday']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['from', '2024-01-01'], ['until', '2024-02-01T00:00:00Z']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['from', '2024-02-01'], ['until', '2024-01-01']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['set', 'bad set']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['resumptionToken', 'lc1.0.0.0.0.']], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'x'.repeat(300)]], 'badArgument'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'marc21']], 'cannotDisseminateFormat'],
    [[['verb', 'GetRecord'], ['metadataPrefix', 'marc21'], ['identifier', `oai:127.0.0.1:library/${pub}`]], 'cannotDisseminateFormat'],
    [[['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', 'oai:elsewhere.org:library/1']], 'idDoesNotExist'],
    [[['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', 'oai:127.0.0.1:library/999999']], 'idDoesNotExist'],
    [[['verb', 'ListMetadataFormats'], ['identifier', 'oai:127.0.0.1:library/0']], 'idDoesNotExist'],
    [[['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['from', '2999-01-01']], 'noRecordsMatch'],
    [[['verb', 'ListIdentifiers'], ['resumptionToken', 'garbage']], 'badResumptionToken'],
    [[['verb', 'ListIdentifiers'], ['resumptionToken', 'lc1.999999.0.0.0.']], 'badResumptionToken'],
    [[['verb', 'ListRecords'], ['resumptionToken', 'lc1.0.0.5.1.']], 'badResumptionToken'],
    [[['verb', 'ListSets'], ['resumptionToken', 'lc1.0.0.0.0.']], 'badResumptionToken'],
  ];
  for (const method of ['GET', 'POST'])
    for (const [args, code] of cases) {
      const x = await oai(args, method);
      assert.equal(errorCode(x), code, `${method} ${JSON.stringify(args)}\n${x}`);
      // After badVerb and badArgument the request element holds the base URL alone.
      if (code === 'badVerb' || code === 'badArgument') assert.match(x, /<request>http:/);
    }
});

test('OAI-PMH: long lists come in pages with a resumption token', async () => {
  // Enough published cases for a second page.
  const before = ids(await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc']]));
  const need = 130 - before.length;
  for (let i = 0; i < need; i += 10)
    await Promise.all(Array.from({ length: Math.min(10, need - i) }, (_, k) => publish(`Paging case ${i + k}`)));
  for (const method of ['GET', 'POST']) {
    let x = await oai([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc']], method);
    const seen = ids(x);
    assert.equal(seen.length, 100);
    let m = x.match(/<resumptionToken completeListSize="(\d+)" cursor="0">([^<]+)<\/resumptionToken>/);
    assert.ok(m, x.slice(-500));
    const size = +m[1];
    assert.ok(size >= 130);
    x = await oai([['verb', 'ListIdentifiers'], ['resumptionToken', m[2]]], method);
    seen.push(...ids(x));
    m = x.match(/<resumptionToken completeListSize="(\d+)" cursor="100"\/?>(<\/resumptionToken>)?/);
    assert.ok(m, x.slice(-500)); // the last page ends the list with an empty token
    assert.equal(seen.length, size);
    assert.equal(new Set(seen).size, size);
    assert.ok(!seen.includes(draft));
  }
  // ListRecords pages the same way, with the set kept in the token.
  let x = await oai([['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc'], ['set', 'region:EUR']]);
  const m = x.match(/<resumptionToken[^>]*>([^<]+)</);
  assert.ok(m);
  x = await oai([['verb', 'ListRecords'], ['resumptionToken', m[1]]]);
  assert.ok(ids(x).length > 0);
  assert.ok(!x.includes('<setSpec>region:AFR</setSpec>'));
});

test('OAI-PMH: every answer above is valid against OAI-PMH.xsd and oai_dc.xsd', () => {
  assert.ok(answers.length > 50, `${answers.length}`);
  const [status, out] = validate(...answers);
  assert.equal(status, 0, out);
});
