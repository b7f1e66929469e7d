// SPDX-License-Identifier: AGPL-3.0-or-later
// A look at every page: each page of the site, public and as each demo role
// (city coordinator, National Commission, juror, expert, participant,
// secretariat), at 1280 and 390 px,
// in English and French. On each: axe-core finds no violation, the page does
// not scroll sideways, no SVG text renders under 10 px, and no area,
// measurement, status or provenance is shown by its code alone. A screenshot
// of each lands in tests/browser/screenshots/every-*.png for a human to look
// at. One browser, one context per role, pages in sequence: it runs on a
// 2-core CI.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { launch, login, shot } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WIDTHS = [1280, 390];
const LANGS = ['en', 'fr'];
const MIN_SVG_TEXT_PX = 10;

// Every GET page of `learncity serve --routes` that answers HTML, with the
// demo's own ids, under the first role that can open it, with the status it
// answers when not 200 (the demo's years are approved and its framework
// published, so their review and edit pages answer 409 with an explanation).
// A page another role sees differently (the header, its actions) is listed
// again there.
const ROLES = [
  {
    name: 'public', who: null, pages: [
      '/', '/cities', '/cities?region=EUR&sort=name', '/cities?view=map', '/cities/cork', '/awards/2027',
      '/cities/cork/monitoring', '/monitoring', '/awards', '/conferences', '/framework',
      '/conferences/demo-conference',
      '/conferences/demo-conference/programme', '/conferences/demo-conference/sessions/14',
      '/conferences/demo-conference/speakers', '/conferences/demo-conference/speakers/1',
      '/conferences/demo-conference/changelog',
      '/conferences/demo-conference/now',
      '/login', '/signup', '/password/forgot',
      '/library', '/library?q=learning&sdg=4', '/library/5', '/library/8', '/library/9', '/library/5/v/1',
      ['/password/reset?token=x', 404], ['/invitations?token=x', 404], ['/signup/verify?token=x', 404],
      ['/no/such/page', 404],
      ['/letters/verify/AAAAAAAAAAAAAAAAAAAA', 404],
    ],
  },
  {
    name: 'coordinator', who: DEMO.coordinator, pages: [
      '/home', '/account', '/cities/cork', '/cities/cork/data', '/cities/cork/data/2024', '/cities/cork/data/2026',
      '/cities/cork/data/2026/1.1', '/cities/cork/data/2026/upload',
      '/cities/cork/data/2024/versions/1.1.1.a', '/cities/cork/data/2024/history', '/cities/cork/reports', '/apply', '/applications',
      '/conferences/demo-conference/register/expert',
      '/conferences/demo-conference/programme', '/conferences/demo-conference/my-programme',
      '/library/new',
    ],
  },
  { name: 'natcom', who: DEMO.natcom, pages: ['/home', '/account', '/natcom/applications', '/natcom/nominations'] },
  { name: 'expert', who: DEMO.expert, pages: ['/home', '/account', '/expert/applications'] },
  {
    name: 'participant', who: DEMO.participant, pages: [
      '/home', '/account', '/conferences/demo-conference', '/conferences/demo-conference/my-programme',
    ],
  },
  // The demo's 2027 juror: its home, its work, the scoring form of its first nomination (a demo
  // nomination's id: the first workflow item of the demo) and that dossier as a juror reads it.
  {
    name: 'jury', who: { email: 'jury.2027@example.org', password: 'Jury-2027-demo-pass' },
    pages: ['/home', '/account', '/jury', '/jury/1', '/nominations/1'],
  },
  {
    name: 'admin', who: DEMO.admin, pages: [
      '/home', '/account', '/admin/pipeline', '/admin/awards', '/admin/awards/2027', '/admin/users', '/admin/users/2', '/admin/users/2/disable',
      '/admin/audit', '/admin/outbox', '/admin/index-runs', '/admin/review',
      ['/admin/review/cork/2024', 409], '/admin/calls', '/admin/applications', '/admin/reports',
      '/admin/reports/cohorts', '/admin/framework', '/admin/framework/kflc-2013',
      ['/admin/framework/kflc-2013/measurements/1', 409], '/cities/cork/monitoring', '/monitoring',
      '/admin/conferences', '/admin/conferences/demo-conference', '/conferences/demo-conference/registrations/12',
      '/conferences/demo-conference/checkin',
      '/conferences/demo-conference/programme/edit',
      '/admin/library', '/admin/library?state=declined', '/library/new', '/library/5/edit',
      '/library/5/edit?part=people', '/library/5/edit?part=text&tl=fr', '/library/5/edit?part=files',
      '/conferences/demo-conference/sessions/30/signups',
    ],
  },
];

// Codes that name something a person should read by its name: the states of
// every process and the provenance levels. Shown alone in French they are an
// untranslated code; with an underscore they are a code in any language.
const CODE_WORDS = new Set(['draft', 'submitted', 'approved', 'returned', 'rejected', 'withdrawn',
  'published', 'verified', 'secondary', 'provisional', 'synthetic', 'screening', 'endorsed',
  'recommended', 'accepted', 'admitted', 'lapsed', 'member', 'pending', 'active', 'disabled']);

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv.stop(), 0);
});

// What a page shows that a person cannot use, as a list of sentences (empty when fine).
async function findings(page, width, lang) {
  const problems = [];
  await page.evaluate(AXE);
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3)
      .map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` +${v.nodes.length - 3}` : ''}`);
  });
  problems.push(...axe);
  const geo = await page.evaluate((min) => {
    const out = { scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, small: [] };
    for (const t of document.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !r.height || !t.textContent.trim()) continue;
      const ctm = t.getScreenCTM();
      const scale = ctm ? Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c)) : 1;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < min) out.small.push(`${t.textContent.trim().slice(0, 20)} ${px.toFixed(1)}px`);
    }
    return out;
  }, MIN_SVG_TEXT_PX);
  if (width < 1000 && geo.scrollWidth > geo.innerWidth)
    problems.push(`scrolls sideways: ${geo.scrollWidth} px in ${geo.innerWidth} px`);
  if (geo.small.length)
    problems.push(`SVG text under ${MIN_SVG_TEXT_PX} px: ${geo.small.slice(0, 4).join('; ')}` +
      (geo.small.length > 4 ? ` +${geo.small.length - 4}` : ''));
  problems.push(...await codesAlone(page, lang));
  return problems;
}

// Cells, list items, legends and badges whose visible text is a code and
// nothing else: an area or measurement code ("2.6", "1.1.1.a") with no name
// beside it, or a state or provenance code instead of its label.
async function codesAlone(page, lang) {
  const words = [...CODE_WORDS];
  return page.evaluate(({ words, lang }) => {
    // "2.6", "1.1.1.a", with or without the bidi isolates the charts put around codes.
    const codeRe = /^[\u2066-\u2069]*\d{1,2}(\.\d{1,2}){1,2}(\.[a-z])?[\u2066-\u2069:]*$/;
    const wordSet = new Set(words);
    const bad = new Set();
    // Not td: a cell beside the row's name may hold a code, and numbers look like codes.
    const sel = 'th, li, dd, dt, caption, legend, label, option, .badge, summary, h2, h3, svg title';
    for (const el of document.querySelectorAll(sel)) {
      if (el.tagName === 'TH' && el.getAttribute('scope') === 'col') continue;
      if (!el.closest('svg') && el.tagName !== 'OPTION' && !el.checkVisibility()) continue;
      const text = el.textContent.replace(/\s+/g, ' ').trim();
      if (!text && el.classList.contains('badge')) bad.add('an empty badge');
      if (!text) continue;
      if (codeRe.test(text)) bad.add(`code alone: "${text}" in <${el.tagName.toLowerCase()}>`);
      else if (/^[a-z]+(_[a-z0-9]+)+$/.test(text)) bad.add(`code alone: "${text}" in <${el.tagName.toLowerCase()}>`);
      else if (lang === 'fr' && wordSet.has(text)) bad.add(`English code "${text}" in <${el.tagName.toLowerCase()}>`);
    }
    return [...bad].slice(0, 6);
  }, { words, lang });
}

const slugOf = (p) => (p === '/' ? 'home' : p.slice(1).replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, ''));

for (const role of ROLES) {
  describe(`every page: ${role.name}`, () => {
    let context, page;
    before(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(90000); // ASan builds are slow
      page.on('pageerror', (e) => { throw e; });
      if (role.who) await login(page, srv.base, role.who);
    });
    after(async () => { await context?.close(); });

    for (const lang of LANGS) {
      for (const width of WIDTHS) {
        for (const entry of role.pages) {
          const [path, status] = Array.isArray(entry) ? entry : [entry, 200];
          test(`${role.name} ${lang} ${width} ${path}`, async () => {
            await context.addCookies([{ name: 'lang', value: lang, url: srv.base }]);
            await page.setViewportSize({ width, height: 900 });
            const res = await page.goto(srv.base + path);
            assert.equal(res.status(), status, `${path} answers ${status}`);
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            await shot(page, `every-${role.name}-${lang}-${width}-${slugOf(path)}.png`);
            const problems = await findings(page, width, lang);
            assert.deepEqual(problems, [], `${path} (${lang}, ${width} px)`);
          });
        }
      }
    }
  });
}
