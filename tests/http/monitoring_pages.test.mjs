// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring pages against a live server: the profile and the dashboard
// agree with their JSON twins, say when figures are synthetic, give a useful
// empty state, show rank intervals that bracket ranks, and escape names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { assert.equal(await srv.stop(), 0, 'server exits cleanly on SIGTERM'); });

const get = (p, init) => fetch(srv.base + p, init);
const json = async (p) => { const r = await get(p); assert.equal(r.status, 200, p); return r.json(); };
const html = async (p) => { const r = await get(p); assert.equal(r.status, 200, p); return r.text(); };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const SYNTHETIC = 'synthetic demonstration data, not statistics';

test('the network dashboard and its API agree', async () => {
  const vm = await json('/api/v1/monitoring');
  const page = await html('/monitoring');
  assert.match(page, /<h1>Monitoring the network<\/h1>/);
  assert.match(page, /<a href="\/monitoring" aria-current="page">Monitoring<\/a>/, 'main navigation entry');
  assert.equal(typeof vm.has_scores, 'boolean');
  if (!vm.has_scores) {
    assert.ok(page.includes('No approved monitoring data yet'), 'empty state');
    return;
  }
  for (const c of vm.cities) assert.ok(page.includes(esc(c.name)), `lists ${c.name}`);
  for (const y of vm.years) assert.ok(page.includes(`>${y}</a>`), `year selector offers ${y}`);
  assert.equal(page.includes('synthetic demonstration data, not statistics'), vm.synthetic,
    'the synthetic notice is shown exactly when the run is synthetic');
  // Every chart has a text alternative.
  const svgs = page.match(/<svg[^>]*>/g) || [];
  for (const s of svgs) assert.match(s, /role="img"[^>]*aria-describedby=|aria-describedby=[^>]*role="img"/);
  for (const c of vm.cities) {
    if (c.rank_q5 == null) continue;
    assert.ok(c.rank_q5 <= c.rank && c.rank <= c.rank_q95, `${c.slug}: interval brackets rank`);
  }
});

test('a city profile and its API agree; ranks come with their interval', async () => {
  const net = await json('/api/v1/monitoring');
  const slugs = net.has_scores ? net.cities.map((c) => c.slug) : ['cork'];
  for (const slug of slugs.slice(0, 5)) {
    const vm = await json(`/api/v1/cities/${slug}/monitoring`);
    const page = await html(`/cities/${slug}/monitoring`);
    assert.equal(vm.city.slug, slug);
    assert.ok(page.includes(`Monitoring profile: ${esc(vm.city.name)}`));
    assert.equal(page.includes(SYNTHETIC), vm.synthetic, `${slug}: synthetic notice iff synthetic`);
    if (!vm.has_data) {
      assert.ok(page.includes('No approved monitoring data yet'));
      continue;
    }
    for (const a of vm.areas) if (a.score != null) assert.ok(page.includes(`>${a.code} `), a.code);
    if (vm.rank && vm.rank.q5 != null) {
      assert.ok(vm.rank.q5 <= vm.rank.rank && vm.rank.rank <= vm.rank.q95, `${slug}: brackets`);
      assert.ok(page.includes(`<span class="rank-lo">${vm.rank.q5}</span>–<span class="rank-hi">${vm.rank.q95}</span>`));
      assert.ok(page.indexOf('Rank, with its uncertainty') > page.indexOf('Progress across the areas'),
        'the rank comes after the city\'s own progress');
    }
    for (const p of vm.peers.cities) assert.notEqual(p.slug, slug, 'a city is not its own peer');
    if (vm.peers.cities.length) assert.ok(page.includes('Peers used for the median'), 'says which peers');
    for (const v of vm.values) {
      assert.ok(page.includes(esc(v.label)), `${slug}: value ${v.code} listed`);
      assert.ok(page.includes(`All versions (${v.versions.length})`), `${slug}: versions of ${v.code}`);
      for (const ver of v.versions) {
        assert.ok(page.includes(esc(ver.author)), 'who');
        assert.doesNotMatch(ver.author, /@/, 'the public never sees an author\'s e-mail address');
      }
      if (v.source && v.source.includes(SYNTHETIC)) assert.equal(vm.synthetic, true);
    }
  }
});

test('every area has its 90 % intervals, in the JSON twin, the table and the trend bands', async () => {
  const net = await json('/api/v1/monitoring');
  if (!net.has_scores) return;
  const slug = net.cities[0].slug;
  const vm = await json(`/api/v1/cities/${slug}/monitoring`);
  const page = await html(`/cities/${slug}/monitoring`);
  const one = (x) => String(Math.round(x * 10) / 10);
  let shown = 0;
  for (const a of vm.areas) {
    if (a.score == null || a.score_q5 == null) continue;
    assert.ok(a.score_q5 <= a.score + 1e-6 && a.score <= a.score_q95 + 1e-6, `${a.code}: score in its interval`);
    assert.ok(a.rank_q5 <= a.rank && a.rank <= a.rank_q95, `${a.code}: rank in its interval`);
    assert.ok(page.includes(`<td class="mon-interval">${one(a.score_q5)}–${one(a.score_q95)}</td>`),
      `${a.code}: the table prints the score interval`);
    assert.ok(page.includes(`(${one(a.rank_q5)}–${one(a.rank_q95)})`), `${a.code}: and the rank interval`);
    shown++;
  }
  assert.ok(shown > 0, 'the demo runs have uncertainty runs');
  // One band per area with intervals in at least two years, drawn inside the trend chart.
  for (const s of vm.trend.series) {
    assert.equal(s.lo.length, vm.trend.years.length);
    assert.equal(s.hi.length, vm.trend.years.length);
  }
  // Small multiples: one trend chart per area, each with its own band.
  const charts = page.split(/<svg [^>]*aria-labelledby="lc-mon-trend-\d+-t"/).slice(1).map((c) => c.slice(0, c.indexOf('</svg>')));
  assert.equal(charts.length, vm.trend.series.length, 'one small chart per area');
  const banded = charts.filter((c) => /class="lc-band"/.test(c)).length;
  assert.ok(banded >= shown, `a band in each area's chart (${banded} of ${shown})`);
});

test('a city without approved data gets the empty state, not an error', async () => {
  const list = await json('/api/v1/cities?per_page=100');
  const net = await json('/api/v1/monitoring');
  const scored = new Set(net.has_scores ? net.cities.map((c) => c.slug) : []);
  const city = list.items.find((c) => !scored.has(c.slug));
  // A city outside the scored runs, or else a year nobody reported (2001).
  let q = city ? `${city.slug}/monitoring` : 'cork/monitoring?year=2001';
  let vm = await json(`/api/v1/cities/${q}`);
  if (vm.has_data) { // values without a run: the table shows, no empty state
    q = 'cork/monitoring?year=2001';
    vm = await json(`/api/v1/cities/${q}`);
  }
  assert.equal(vm.has_data, false);
  assert.equal(vm.has_scores, false);
  assert.equal(vm.rank, null);
  const page = await html(`/cities/${q}`);
  assert.ok(page.includes('No approved monitoring data yet'));
  assert.ok(page.includes('coordinator enters the values'), 'says who enters data');
  assert.ok(page.includes('href="/framework"'));
  assert.ok(!page.includes('Rank, with its uncertainty'));
});

test('the city page links to its monitoring profile; unknown cities are 404', async () => {
  assert.ok((await html('/cities/cork')).includes('href="/cities/cork/monitoring"'));
  assert.equal((await get('/cities/no-such-city/monitoring')).status, 404);
  assert.equal((await get('/api/v1/cities/no-such-city/monitoring')).status, 404);
  assert.equal((await get('/api/v1/monitoring?year=1')).status, 400, 'a year out of range is refused');
});

test('names are escaped in both languages', async () => {
  const net = await json('/api/v1/monitoring');
  for (const lang of ['en', 'fr']) {
    const page = await html(`/monitoring?lang=${lang}`);
    assert.ok(!/<b>|<script>/i.test(page), 'no raw markup from data');
    if (net.has_scores)
      for (const c of net.cities) assert.ok(page.includes(esc(c.name)), `${lang}: ${c.name} escaped`);
  }
  const fr = await html('/cities/cork/monitoring?lang=fr');
  assert.match(fr, /Profil de suivi/);
});

test('numbers print with the reader\'s decimal mark; the API keeps JSON numbers', async () => {
  const en = await (await fetch(srv.base + '/cities/cork/monitoring')).text();
  const fr = await (await fetch(srv.base + '/cities/cork/monitoring?lang=fr')).text();
  const cells = (html) => [...html.matchAll(/<td[^>]*>(\d+[.,]\d+)/g)].map((m) => m[1]);
  assert.ok(cells(en).length > 5, 'the profile prints decimals');
  assert.ok(cells(en).every((n) => n.includes('.')), 'English: a point');
  assert.ok(cells(fr).length === cells(en).length && cells(fr).every((n) => n.includes(',')), 'French: a comma');
  assert.deepEqual(cells(fr), cells(en).map((n) => n.replace('.', ',')));
  const api = await (await fetch(srv.base + '/api/v1/cities/cork/monitoring?lang=fr')).json();
  assert.equal(typeof api.areas[0].score, 'number');
});

test('areas come with their names from the framework, in the reader\'s language', async () => {
  const fw = { en: await json('/api/v1/framework?lang=en'), fr: await json('/api/v1/framework?lang=fr') };
  for (const lang of ['en', 'fr']) {
    const title = new Map(fw[lang].parts.flatMap((p) => p.areas).map((a) => [a.code, a.title]));
    for (const p of ['/api/v1/cities/cork/monitoring', '/api/v1/monitoring']) {
      const vm = await json(`${p}?lang=${lang}`);
      assert.ok(vm.areas.length > 0, `${p} has areas`);
      for (const a of vm.areas) assert.equal(a.name, title.get(a.code), `${p} (${lang}) names ${a.code}`);
    }
    for (const p of ['/cities/cork/monitoring', '/monitoring']) {
      const page = await html(`${p}?lang=${lang}`);
      const bare = page.match(/<th scope="row">\d\.\d+ ?<\/th>/g);
      assert.equal(bare, null, `${p} (${lang}) shows no area by its code alone`);
    }
  }
});

test('the heat map lists the cities by name, not by rank: the page says it is not a league table', async () => {
  const vm = await json('/api/v1/monitoring');
  if (!vm.has_scores) return;
  const page = await html('/monitoring');
  const heat = page.slice(page.indexOf('lc-chart-heatmap'), page.indexOf('</svg>', page.indexOf('lc-chart-heatmap')));
  const shown = [...heat.matchAll(/<text [^>]*text-anchor="end">\u2068([^<]*)\u2069<\/text>/g)].map((m) => m[1]);
  // As lc_text_fold: accents off, ø as o, apostrophes dropped, lower case.
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ø/gi, 'o').replace(/['’]/g, '').toLowerCase();
  const byName = vm.cities.map((c) => c.name).sort((a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0)).map(esc);
  assert.deepEqual(shown, byName);
  const byRank = [...vm.cities].sort((a, b) => a.rank - b.rank).map((c) => esc(c.name));
  assert.notDeepEqual(shown, byRank, 'the demo ranks differ from the alphabet');
});
