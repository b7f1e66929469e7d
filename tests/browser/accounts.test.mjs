// SPDX-License-Identifier: AGPL-3.0-or-later
// Accounts in real Chromium: the secretariat logs in and invites a city
// coordinator; the invitation e-mail is delivered by the server's outbox
// thread to a real local SMTP server (Debian's python3-aiosmtpd); the person
// opens the link from the captured message, chooses a name and a password,
// logs out, logs in again and sees the account page. Screenshots land in
// tests/browser/screenshots/ for a human to look at. No password or token
// may appear in the server's log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../http/server.mjs';
import { DEMO, startSmtp, linkIn } from '../http/client.mjs';
import { launch, shot, login } from './harness.mjs';

let srv, smtp, browser;
const secrets = [DEMO.admin.password];
const NEW = { email: 'aoife.murphy@example.org', name: 'Aoife Murphy', password: 'Cork-learning-city-2026' };
secrets.push(NEW.password);

before(async () => {
  smtp = await startSmtp();
  srv = await startServer(['--smtp', smtp.url, '--mail-from', 'learncity@example.org',
    '--outbox-interval', '1', '--access-log']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  const code = await srv?.stop();
  await smtp?.stop();
  assert.equal(code, 0);
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Under ASan one argon2id verification takes about a second: be patient.
  page.setDefaultTimeout(90000);
  page.on('pageerror', (e) => { throw e; });
  return page;
}


test('invite a coordinator, accept from the e-mail, log in, see the account page', async () => {
  const admin = await newPage();
  await admin.goto(srv.base + '/login');
  await shot(admin, 'login.png');
  await login(admin, srv.base, DEMO.admin);
  assert.ok(await admin.getByRole('button', { name: 'Log out', exact: true }).isVisible(), 'the header offers logout');
  await admin.getByRole('link', { name: 'Administration' }).click();
  await admin.waitForURL(/\/admin\/users$/);
  const invite = admin.locator('form[action="/admin/users/invite"]');
  await invite.getByLabel('E-mail address').fill(NEW.email);
  await invite.getByLabel('Name', { exact: true }).fill(NEW.name);
  await invite.getByLabel('Role', { exact: true }).selectOption('coordinator');
  await invite.getByLabel('Scope').fill('cork');
  await shot(admin, 'admin-invite.png');
  await admin.getByRole('button', { name: 'Send the invitation' }).click();
  await admin.waitForURL(/done=invited/);
  assert.ok(await admin.getByText('The invitation is queued for delivery.').isVisible());
  await shot(admin, 'admin-users.png');

  const mail = await smtp.waitFor((m) => m.to.includes(NEW.email));
  assert.match(mail.subject, /invitation/i);
  const link = linkIn(mail, '/invitations');
  assert.ok(link, 'the e-mail holds the link: ' + mail.body);
  secrets.push(link.token);

  // The outbox records "sent" just after the SMTP server took the message.
  for (let i = 0; i < 50; i++) {
    await admin.goto(srv.base + '/admin/outbox');
    if (await admin.locator('.badge.state-sent').count()) break;
    await admin.waitForTimeout(100);
  }
  assert.ok(await admin.getByText(NEW.email).isVisible());
  assert.ok(await admin.locator('.badge.state-sent').first().isVisible());
  await shot(admin, 'admin-outbox.png');
  await admin.goto(srv.base + '/admin/audit');
  await shot(admin, 'admin-audit.png');

  const person = await newPage();
  await person.goto(srv.base + link.href);
  assert.ok(await person.getByText(NEW.email).isVisible());
  await person.getByLabel('Name', { exact: true }).fill(NEW.name);
  await person.getByLabel('New password', { exact: true }).fill('short');
  await person.getByLabel('Repeat the new password').fill('short');
  await person.getByRole('button', { name: 'Activate my account' }).click();
  await person.locator('#password-error').waitFor();
  await shot(person, 'invitation-error.png');
  await person.getByLabel('New password', { exact: true }).fill(NEW.password);
  await person.getByLabel('Repeat the new password').fill(NEW.password);
  await shot(person, 'invitation.png');
  await person.getByRole('button', { name: 'Activate my account' }).click();
  await person.waitForURL(/\/account\?done=welcome/);
  assert.ok(await person.getByText('Welcome! Your account is active.').isVisible());

  await person.getByRole('button', { name: 'Log out', exact: true }).click();
  await person.waitForURL(/\/login\?done=logged_out/);
  await login(person, srv.base, NEW);
  // Login lands on the person's home; the account page is one click away.
  assert.equal(await person.getByRole('heading', { level: 1 }).textContent(), 'My work');
  await person.getByRole('link', { name: /Aoife Murphy/ }).click();
  await person.waitForURL(/\/account$/);
  assert.equal(await person.getByRole('heading', { level: 1 }).textContent(), 'Your account');
  assert.ok(await person.getByText('City coordinator (cork)').first().isVisible());
  assert.equal(await person.getByLabel('Name', { exact: true }).inputValue(), NEW.name);
  await shot(person, 'account.png');

  await person.getByLabel('Token name').fill('spreadsheet');
  await person.getByRole('button', { name: 'Create a token' }).click();
  const token = await person.locator('#new-token').inputValue();
  assert.match(token, /^lct_/);
  secrets.push(token);
  await shot(person, 'account-token.png');

  await person.goto(srv.base + '/account?lang=fr');
  assert.equal(await person.getByRole('heading', { level: 1 }).textContent(), 'Votre compte');
  await shot(person, 'account-fr.png');
  const forbidden = await person.goto(srv.base + '/admin/users');
  assert.equal(forbidden.status(), 403);
  await shot(person, 'forbidden-fr.png');
});

test('the account page works on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.setDefaultTimeout(90000);
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail address').fill(NEW.email);
  await page.getByLabel('Password').fill(NEW.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/home/);
  await page.goto(srv.base + '/account');
  await shot(page, 'account-mobile.png');
});

test('no password or token in the server log', () => {
  for (const s of secrets) assert.ok(!srv.stderr.includes(s), `a secret leaked into the log: ${s.slice(0, 6)}…\n${srv.stderr}`);
});
