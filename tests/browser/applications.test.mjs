// SPDX-License-Identifier: AGPL-3.0-or-later
// A membership application in real Chromium, with four people in four
// browsers: a new applicant signs up, applies for a city in Ireland, fills
// the form, uploads the signed pledge and submits; the National Commission
// of Ireland endorses; the secretariat asks for information; the applicant
// answers; the secretariat passes it to the expert jury; the expert
// recommends; the secretariat approves; the city appears in the directory.
// Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, 'screenshots');
const shot = (page, name) => page.screenshot({ path: path.join(shots, name), fullPage: true });
let srv, browser;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');

before(async () => {
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function person() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  page.on('pageerror', (e) => { throw e; });
  return page;
}

async function login(page, who) {
  await page.goto(srv.base + '/login');
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/account/);
}

// Opens a step's confirmation, gives the reason, confirms, and waits for the result.
async function takeStep(page, label, reason) {
  await page.locator('summary', { hasText: new RegExp(`^${label}$`) }).click();
  const form = page.locator('details[open] form');
  if (reason) await form.locator('textarea').fill(reason);
  await form.getByRole('button', { name: `Confirm: ${label}` }).click();
  await page.waitForURL(/\?done=/);
}

test('apply, endorse, ask, answer, recommend, approve: the city joins the directory', async () => {
  // 1. The applicant signs up and starts the application.
  const ann = await person();
  await ann.goto(srv.base + '/');
  await ann.getByRole('link', { name: 'Sign up' }).click();
  await ann.waitForURL(/\/signup$/);
  await ann.locator('#email').fill('mayor.office@westport.example');
  await ann.locator('#name').fill('Aoife Walsh');
  await ann.locator('#password').fill('Westport-learns-2026');
  await ann.locator('#password2').fill('Westport-learns-2026');
  await shot(ann, 'app-signup.png');
  await ann.getByRole('button', { name: 'Create my account' }).click();
  await ann.waitForURL(/\/apply$/);
  await ann.getByLabel(/Call for applications 2026/).check();
  await ann.locator('#country').selectOption('IE');
  await ann.locator('#city_name').fill('Westport');
  await shot(ann, 'app-apply.png');
  await ann.getByRole('button', { name: 'Start the application' }).click();
  await ann.waitForURL(/\/applications\/\d+$/);
  const appUrl = ann.url();

  // 2. The form: a motivation over the limit is refused with the count, then fixed.
  await ann.locator('#mayor_name').fill('Brendan Mulroy');
  await ann.locator('#mayor_title').fill('Cathaoirleach');
  await ann.locator('#contact_name').fill('Aoife Walsh');
  await ann.locator('#contact_email').fill('aoife.walsh@westport.example');
  await ann.locator('#language').selectOption('en');
  await ann.locator('#data_year').fill('2025');
  await ann.locator('#population').fill('12500');
  await ann.locator('#area_km2').fill('30.4');
  await ann.locator('#gdp_city_usd').fill('52000');
  await ann.locator('#gdp_country_usd').fill('48000');
  await ann.locator('#schooling_men').fill('12.6');
  await ann.locator('#schooling_women').fill('13,2');
  await ann.locator('#motivation').fill('learning '.repeat(210));
  assert.equal(await ann.locator('.words[data-for=motivation]').textContent(), '210');
  await ann.locator('#implementation').fill('Libraries, schools and the town council will build a learning festival and a plan for adult learning across the town. '.repeat(4));
  await ann.locator('#links').fill('https://westport.example/learning-plan');
  for (const code of ['inclusion', 'literacy', 'employability', 'health', 'sustainability', 'citizenship', 'digital', 'governance'])
    await ann.locator(`input[name=challenge_${code}][value="3"]`).check();
  await ann.getByRole('button', { name: 'Save the draft' }).click();
  await ann.locator('#motivation[aria-invalid=true]').waitFor();
  assert.match(await ann.locator('.field-error').first().textContent(), /210 words; at most 200/);
  await shot(ann, 'app-form-errors.png');
  await ann.locator('#motivation').fill('Westport wants to become a town where everyone learns, at every age. '.repeat(8));
  await ann.getByRole('button', { name: 'Save the draft' }).click();
  await ann.getByText('The draft was saved.').waitFor();

  // 3. The pledge: an HTML page called .pdf is refused, the signed scan accepted.
  await ann.locator('#pledge').setInputFiles({ name: 'pledge.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>not a pledge</body></html>') });
  await ann.getByRole('button', { name: 'Upload the pledge' }).click();
  await ann.locator('#pledge-error').waitFor();
  assert.match(await ann.locator('#pledge-error').textContent(), /not a PDF document, a PNG image or a JPEG image/);
  await ann.locator('#pledge').setInputFiles({ name: 'pledge-signed.png', mimeType: 'image/png', buffer: PNG });
  await ann.getByRole('button', { name: 'Upload the pledge' }).click();
  await ann.getByText('The pledge was uploaded.').waitFor();
  assert.match(await ann.locator('#pledge-h + p + p').textContent(), /pledge-signed\.png/);
  await shot(ann, 'app-form.png');
  await takeStep(ann, 'Submit');
  await ann.getByText('The application was submitted.').waitFor();
  assert.match(await ann.locator('main').textContent(), /awaiting the National Commission/);

  // 4. The National Commission of Ireland endorses from its queue.
  const nat = await person();
  await login(nat, DEMO.natcom);
  await nat.goto(srv.base + '/natcom/applications');
  await shot(nat, 'app-natcom-queue.png');
  await nat.getByRole('link', { name: 'Westport' }).click();
  await takeStep(nat, 'Endorse');
  await nat.getByText('the application is with the secretariat').waitFor();

  // 5. The secretariat asks for information.
  const adm = await person();
  await login(adm, DEMO.admin);
  await adm.goto(srv.base + '/admin/applications');
  await shot(adm, 'app-pipeline.png');
  await adm.getByRole('link', { name: 'Westport' }).click();
  await takeStep(adm, 'Ask for information', 'How will the town fund the learning festival?');
  await adm.getByText('The question was sent to the applicant.').waitFor();

  // 6. The applicant sees the question and answers it.
  await ann.goto(appUrl);
  assert.match(await ann.locator('ol.timeline').textContent(), /How will the town fund the learning festival\?/);
  await takeStep(ann, 'Answer', 'The town council has set aside EUR 40,000 a year, with the county library.');
  await ann.getByText('with the secretariat').first().waitFor();

  // 7. The secretariat passes it to the jury; the expert recommends.
  await adm.goto(appUrl);
  await takeStep(adm, 'Pass to the expert jury');
  const exp = await person();
  await login(exp, DEMO.expert);
  await exp.goto(srv.base + '/expert/applications');
  await exp.getByRole('link', { name: 'Westport' }).click();
  await shot(exp, 'app-expert.png');
  await takeStep(exp, 'Recommend', 'A clear plan with a budget and partners.');

  // 8. The secretariat approves with its reason.
  await adm.goto(appUrl);
  await takeStep(adm, 'Approve', 'Endorsed, recommended by the jury, and complete.');
  await adm.getByText('The application was approved: the city is a member.').waitFor();
  const history = await adm.locator('ol.timeline li').allTextContents();
  assert.equal(history.length, 8);
  await shot(adm, 'app-approved.png');

  // 9. The city is in the public directory, as a member.
  const anon = await person();
  await anon.goto(srv.base + '/cities?q=westport');
  await anon.getByRole('link', { name: 'Westport' }).waitFor();
  await shot(anon, 'app-directory.png');
  await anon.getByRole('link', { name: 'Westport' }).click();
  await anon.waitForURL(/\/cities\/westport$/);
  assert.match(await anon.locator('main').textContent(), /member/i);
  await shot(anon, 'app-city.png');

  // The applicant now coordinates the city.
  await ann.goto(srv.base + '/account');
  assert.match(await ann.locator('main').textContent(), /coordinator:westport/);
});
