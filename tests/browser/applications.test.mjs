// SPDX-License-Identifier: AGPL-3.0-or-later
// A membership application in real Chromium, with four people in four
// browsers: a new applicant signs up, applies for a city in Ireland, fills
// the form, uploads the signed pledge and submits; the National Commission
// of Ireland endorses; the secretariat asks for information; the applicant
// answers; the secretariat passes it to the expert jury; the expert
// recommends; the secretariat approves; the city appears in the directory.
// Then the membership's first duty: the secretariat opens a report cohort
// for the new city; the applicant, now its coordinator, fills and submits
// the biennial progress report; the secretariat returns it with a comment;
// the coordinator reads the comment, corrects and resubmits; the
// secretariat accepts, and the city's pages show the accepted report and
// the membership. Screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { DEMO, startSmtp, linkIn } from '../http/client.mjs';
import { launch, newPage, login, shot } from './harness.mjs';

let srv, smtp, browser;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082', 'hex');

before(async () => {
  smtp = await startSmtp();
  srv = await startServer(['--smtp', smtp.url, '--mail-from', 'learncity@example.org',
    '--outbox-interval', '1']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  const code = await srv?.stop();
  await smtp?.stop();
  assert.equal(code, 0);
});

const person = () => newPage(browser);

// Opens a step's confirmation, gives the reason, confirms, and waits for the result.
async function takeStep(page, label, reason) {
  await page.locator('summary', { hasText: new RegExp(`^${label}$`) }).click();
  const form = page.locator('details[open] form');
  if (reason) await form.locator('textarea').fill(reason);
  await form.getByRole('button', { name: `Confirm: ${label}` }).click();
  await page.waitForURL(/\?done=/);
}

test('apply, endorse, ask, answer, recommend, approve; the new member files its first report', async () => {
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
  // Not logged in yet: the address must be confirmed by the e-mailed link first.
  await ann.getByRole('heading', { name: 'Check your mailbox' }).waitFor();
  await shot(ann, 'app-signup-sent.png');
  await ann.goto(srv.base + '/login');
  await ann.locator('#email').fill('mayor.office@westport.example');
  await ann.locator('#password').fill('Westport-learns-2026');
  await ann.getByRole('button', { name: 'Log in' }).click();
  await ann.getByText(/confirm your e-mail address first/).waitFor();
  await shot(ann, 'app-login-unconfirmed.png');
  const mail = await smtp.waitFor((m) => m.to.includes('mayor.office@westport.example'));
  assert.match(mail.subject, /Confirm your e-mail address/);
  const link = linkIn(mail, '/signup/verify');
  assert.ok(link, mail.body);
  await ann.goto(srv.base + link.href);
  await ann.locator('#password').fill('Westport-learns-2026');
  await shot(ann, 'app-signup-verify.png');
  await ann.getByRole('button', { name: 'Confirm and activate my account' }).click();
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
  assert.equal(await ann.locator('#links').inputValue(), 'https://westport.example/learning-plan');

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
  await login(nat, srv.base, DEMO.natcom);
  await nat.goto(srv.base + '/natcom/applications');
  await shot(nat, 'app-natcom-queue.png');
  await nat.getByRole('link', { name: 'Westport' }).click();
  await takeStep(nat, 'Endorse');
  await nat.getByText('the application is with the secretariat').waitFor();

  // 5. The secretariat asks for information.
  const adm = await person();
  await login(adm, srv.base, DEMO.admin);
  await adm.goto(srv.base + '/admin/applications');
  await shot(adm, 'app-pipeline.png');
  await adm.getByRole('link', { name: 'Westport' }).click();
  await takeStep(adm, 'Ask for information', 'How will the town fund the learning festival?');
  await adm.getByText('The question was sent to the applicant.').waitFor();

  // 6. The applicant sees the question and answers it.
  await ann.goto(appUrl);
  assert.match(await ann.locator('table.history').textContent(), /How will the town fund the learning festival\?/);
  await takeStep(ann, 'Answer', 'The town council has set aside EUR 40,000 a year, with the county library.');
  await ann.getByText('with the secretariat').first().waitFor();

  // 7. The secretariat passes it to the jury; the expert recommends.
  await adm.goto(appUrl);
  await takeStep(adm, 'Pass to the expert jury');
  const exp = await person();
  await login(exp, srv.base, DEMO.expert);
  await exp.goto(srv.base + '/expert/applications');
  await exp.getByRole('link', { name: 'Westport' }).click();
  // The read-only answers name the language, as the form's select does.
  assert.match(await exp.locator('dl.facts').textContent(), /English/);
  await shot(exp, 'app-expert.png');
  await takeStep(exp, 'Recommend', 'A clear plan with a budget and partners.');

  // 8. The secretariat approves with its reason.
  await adm.goto(appUrl);
  await takeStep(adm, 'Approve', 'Endorsed, recommended by the jury, and complete.');
  await adm.getByText('The application was approved: the city is a member.').waitFor();
  // The notice links to the new member's page by its name.
  assert.equal(await adm.locator('p.notice.ok a[href="/cities/westport"]').textContent(), 'Westport');
  const history = await adm.locator('table.history tbody tr').allTextContents();
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

  // The applicant now coordinates the city: the approval gave the role to
  // the account, and the next page the applicant opens knows it.
  await ann.goto(srv.base + '/account');
  assert.match(await ann.locator('main').textContent(), /City coordinator \(westport\)/);

  // 10. The secretariat opens a report cohort for the new member.
  await adm.goto(srv.base + '/admin/reports/cohorts');
  await adm.locator('#c-year').fill('2026');
  await adm.locator('#c-deadline').fill('2027-06-30');
  await adm.locator('input[name=scope][value=list]').check();
  await adm.locator('#c-cities').fill('westport');
  await adm.getByLabel(/I confirm: each city gets a report/).check();
  await shot(adm, 'app-report-cohort-form.png');
  await adm.getByRole('button', { name: 'Open a cohort' }).click();
  await adm.waitForURL(/cohorts\?done=/);
  assert.match(await adm.locator('table').textContent(), /2027-06-30/);

  // 11. The coordinator finds the report from the city's page, fills and submits it.
  await ann.goto(srv.base + '/cities/westport');
  await ann.getByRole('link', { name: 'Biennial progress reports of this city' }).click();
  await ann.waitForURL(/\/cities\/westport\/reports/);
  await shot(ann, 'app-report-list.png');
  await ann.getByRole('link', { name: 'Open' }).click();
  await ann.waitForURL(/\/reports\/\d+$/);
  const reportUrl = ann.url();
  await ann.locator('#q-contact_name').fill('Aoife Walsh, learning town coordinator');
  await ann.getByRole('radio', { name: 'Yes' }).check();
  await ann.locator('#q-progress_planning').fill('The town council adopted the learning plan of the application and funds the festival.');
  await ann.locator('#q-progress_involvement').fill('The county library, the schools and the chamber of commerce meet every season.');
  await ann.getByLabel(/I confirm that the report is complete/).check();
  await ann.getByRole('button', { name: 'Submit the report' }).click();
  await ann.waitForURL(/done=submit/);
  assert.match(await ann.locator('.report-status').textContent(), /submitted/);
  await shot(ann, 'app-report-submitted.png');

  // 12. The secretariat finds it in its list and returns it with a comment.
  await adm.goto(srv.base + '/admin/reports');
  const row = adm.locator('table.reports tr', { has: adm.getByRole('link', { name: 'Westport' }) });
  await row.getByRole('link', { name: 'Open' }).click();
  await adm.waitForURL(reportUrl);
  await adm.getByLabel('Comments for the city').fill('Please give the share of the town budget spent on lifelong learning.');
  const returnForm = adm.locator('form', { has: adm.getByRole('button', { name: 'Return with comments' }) });
  await returnForm.getByLabel('I confirm this decision').check();
  await returnForm.getByRole('button', { name: 'Return with comments' }).click();
  await adm.waitForURL(/done=returned/);

  // 13. The coordinator sees the comment, corrects and resubmits.
  await ann.goto(reportUrl);
  assert.match(await ann.locator('#review-comment').textContent(), /share of the town budget/);
  assert.equal(await ann.locator('#q-contact_name').inputValue(), 'Aoife Walsh, learning town coordinator');
  await shot(ann, 'app-report-returned.png');
  await ann.locator('#q-budget_share').fill('3.5');
  await ann.getByLabel(/I confirm that the report is complete/).check();
  await ann.getByRole('button', { name: 'Submit the report' }).click();
  await ann.waitForURL(/done=submit/);

  // 14. The secretariat accepts.
  await adm.goto(reportUrl);
  const acceptForm = adm.locator('form', { has: adm.getByRole('button', { name: 'Accept the report' }) });
  await acceptForm.getByLabel('I confirm this decision').check();
  await acceptForm.getByRole('button', { name: 'Accept the report' }).click();
  await adm.waitForURL(/done=accepted/);
  assert.match(await adm.locator('.report-status').textContent(), /accepted/);
  await shot(adm, 'app-report-accepted.png');

  // 15. The city's pages: the accepted report in its list, the membership on its page.
  await ann.goto(srv.base + '/cities/westport/reports');
  assert.match(await ann.locator('table.reports').textContent(), /Westport[\s\S]*2026[\s\S]*accepted/i);
  await shot(ann, 'app-report-city-list.png');
  await anon.goto(srv.base + '/cities/westport');
  assert.match(await anon.locator('#h-membership + *').textContent(), /member/i);
  await shot(anon, 'app-city-after-report.png');
});

test('an application naming a city that is already a member says so from its first page', async () => {
  const eve = await person();
  await eve.goto(srv.base + '/signup');
  await eve.locator('#email').fill('cork.fan@example.net');
  await eve.locator('#name').fill('Eve Byrne');
  await eve.locator('#password').fill('Cork-learns-again-2026');
  await eve.locator('#password2').fill('Cork-learns-again-2026');
  await eve.getByRole('button', { name: 'Create my account' }).click();
  await eve.getByRole('heading', { name: 'Check your mailbox' }).waitFor();
  const mail = await smtp.waitFor((m) => m.to.includes('cork.fan@example.net'));
  await eve.goto(srv.base + linkIn(mail, '/signup/verify').href);
  await eve.locator('#password').fill('Cork-learns-again-2026');
  await eve.getByRole('button', { name: 'Confirm and activate my account' }).click();
  await eve.waitForURL(/\/apply$/);
  await eve.getByLabel(/Call for applications 2026/).check();
  await eve.locator('#country').selectOption('IE');
  await eve.locator('#city_name').fill('Córk');
  await eve.getByRole('button', { name: 'Start the application' }).click();
  await eve.waitForURL(/\/applications\/\d+$/);
  const warning = eve.locator('#existing-city');
  await warning.waitFor();
  assert.match(await warning.textContent(), /Cork/);
  assert.equal(await warning.locator('a').getAttribute('href'), '/cities/cork');
  await shot(eve, 'app-existing-city.png');
  await eve.setViewportSize({ width: 390, height: 844 });
  await shot(eve, 'app-existing-city-mobile.png');
});
