// SPDX-License-Identifier: AGPL-3.0-or-later
// The biennial progress report in real Chromium: the secretariat opens a
// cohort for Cork from its form; Cork's coordinator fills the questionnaire
// (the live word count, a draft saved, an error named next to its question),
// submits with the confirmation box; the secretariat returns it with a
// comment; the coordinator sees the comment at the top, corrects and
// resubmits; the secretariat accepts. Then the pipeline, the secretariat's
// list and the membership override form. Screenshots in screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});


test('open a cohort, fill, submit, return with a comment, correct, resubmit, accept', async () => {
  const admin = await loggedIn(browser, srv.base, DEMO.admin);
  await admin.goto(srv.base + '/admin/reports/cohorts');
  await admin.locator('#c-year').fill('2026');
  await admin.locator('#c-deadline').fill('2027-06-30');
  await admin.locator('input[name=scope][value=list]').check();
  await admin.locator('#c-cities').fill('cork');
  await admin.getByLabel(/I confirm: each city gets a report/).check();
  await shot(admin, 'report-cohort-form.png');
  await admin.getByRole('button', { name: 'Open a cohort' }).click();
  await admin.waitForURL(/cohorts\?done=/);
  assert.match(await admin.locator('table').textContent(), /2027-06-30/);
  await shot(admin, 'report-cohorts.png');

  const coord = await loggedIn(browser, srv.base, DEMO.coordinator);
  await coord.goto(srv.base + '/cities/cork');
  await coord.getByRole('link', { name: 'Biennial progress reports of this city' }).click();
  await coord.waitForURL(/\/cities\/cork\/reports/);
  await coord.getByRole('link', { name: 'Open' }).click();
  await coord.waitForURL(/\/reports\/\d+$/);
  const reportUrl = coord.url();
  // A fresh draft announces no lapse; each section is one click away; a short answer
  // gets a one-line box; a draft saves itself a few seconds after typing stops.
  assert.doesNotMatch(await coord.locator('.report-status').textContent(), /lapses/);
  assert.ok((await coord.locator('nav.report-sections a').count()) >= 3);
  assert.equal(await coord.locator('#q-contact_name').evaluate((e) => e.tagName), 'INPUT');
  await coord.locator('#q-progress_planning').fill('Words kept without pressing Save.');
  await coord.locator('.autosave-status', { hasText: 'Draft saved automatically at' }).waitFor({ timeout: 20000 });
  await coord.reload();
  assert.equal(await coord.locator('#q-progress_planning').inputValue(), 'Words kept without pressing Save.');
  await coord.locator('#q-contact_name').fill('Jane Murphy, learning city coordinator');
  await coord.getByRole('radio', { name: 'Yes' }).check();
  await coord.locator('#q-cluster').selectOption('equity');
  await coord.locator('#q-progress_planning').fill('The city renewed its lifelong learning plan with the council.');
  // The word count follows the typing, and flags an answer over its limit.
  await coord.locator('#q-challenges').fill('word '.repeat(205));
  assert.equal(await coord.locator('#q-challenges-count .words').textContent(), '205');
  assert.match(await coord.locator('#q-challenges-count').getAttribute('class'), /over/);
  await coord.locator('#q-budget_share').fill('lots');
  await coord.getByRole('button', { name: 'Save draft' }).click();
  await coord.locator('#q-challenges-error').waitFor();
  assert.match(await coord.locator('#q-challenges-error').textContent(), /205 words, at most 200/);
  assert.match(await coord.locator('#q-budget_share-error').textContent(), /not a number/);
  assert.equal(await coord.locator('#q-contact_name').inputValue(), 'Jane Murphy, learning city coordinator');
  await shot(coord, 'report-errors.png');
  await coord.locator('#q-challenges').fill('Reaching adults outside work.');
  await coord.locator('#q-budget_share').fill('');
  await coord.getByRole('button', { name: 'Save draft' }).click();
  await coord.waitForURL(/done=save/);
  // Submitting without a required answer keeps the answers and names the question.
  await coord.getByLabel(/I confirm that the report is complete/).check();
  await coord.getByRole('button', { name: 'Submit the report' }).click();
  await coord.locator('#q-progress_involvement-error').waitFor();
  assert.match(await coord.locator('#q-progress_involvement-error').textContent(), /required/);
  await coord.locator('#q-progress_involvement').fill('Libraries, universities and employers meet every quarter.');
  await coord.getByLabel(/I confirm that the report is complete/).check();
  await coord.getByRole('button', { name: 'Submit the report' }).click();
  await coord.waitForURL(/done=submit/);
  assert.match(await coord.locator('.report-status').textContent(), /submitted/);
  await shot(coord, 'report-submitted.png');

  await admin.goto(srv.base + '/admin/reports');
  await shot(admin, 'report-admin-list.png');
  await admin.goto(reportUrl);
  await admin.getByLabel('Comments for the city').fill('Please add the share of the city budget spent on lifelong learning.');
  const returnForm = admin.locator('form', { has: admin.getByRole('button', { name: 'Return with comments' }) });
  await returnForm.getByLabel('I confirm this decision').check();
  await shot(admin, 'report-review.png');
  await returnForm.getByRole('button', { name: 'Return with comments' }).click();
  await admin.waitForURL(/done=returned/);

  await coord.goto(reportUrl);
  const comment = coord.locator('#review-comment');
  assert.match(await comment.textContent(), /Please add the share of the city budget/);
  await shot(coord, 'report-returned.png');
  // The same page in French: the questionnaire's labels and the interface.
  await coord.goto(reportUrl + '?lang=fr');
  assert.match(await coord.locator('main').textContent(), /Informations générales[\s\S]*Commentaires du secrétariat|Commentaires du secrétariat[\s\S]*Informations générales/);
  await shot(coord, 'report-returned-fr.png');
  await coord.goto(reportUrl + '?lang=en');
  await coord.locator('#q-budget_share').fill('4.5');
  await coord.getByLabel(/I confirm that the report is complete/).check();
  await coord.getByRole('button', { name: 'Submit the report' }).click();
  await coord.waitForURL(/done=submit/);

  await admin.goto(reportUrl);
  const acceptForm = admin.locator('form', { has: admin.getByRole('button', { name: 'Accept the report' }) });
  await acceptForm.getByLabel('I confirm this decision').check();
  await acceptForm.getByRole('button', { name: 'Accept the report' }).click();
  await admin.waitForURL(/done=accepted/);
  assert.match(await admin.locator('.report-status').textContent(), /accepted/);
  assert.match(await admin.locator('dl.answers').first().textContent(), /Jane Murphy/);
  await shot(admin, 'report-accepted.png');

  await admin.goto(srv.base + '/admin/pipeline');
  assert.match(await admin.locator('#p-report').textContent(), /Biennial progress reports/);
  await shot(admin, 'pipeline.png');

  await admin.goto(srv.base + '/cities/cork');
  await admin.locator('#m-to').selectOption({ label: 'Suspend' });
  await admin.locator('#m-reason').fill('Demonstration of an override (browser test).');
  await admin.getByLabel('I confirm this change of membership').check();
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(/membership=changed/);
  assert.match(await admin.content(), /Demonstration of an override \(browser test\)\./);
  await shot(admin, 'membership-override.png');
  await admin.locator('#m-to').selectOption({ label: 'Reinstate' });
  await admin.locator('#m-reason').fill('End of the demonstration.');
  await admin.getByLabel('I confirm this change of membership').check();
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(/membership=changed/);
});
