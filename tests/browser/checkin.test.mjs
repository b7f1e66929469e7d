// SPDX-License-Identifier: AGPL-3.0-or-later
// The check-in page in real Chromium: door staff open it online (it downloads
// the conference's keys and revocations), the browser goes offline, tickets
// typed by a USB scanner are verified in the page (an altered one refused)
// and kept; back online they are uploaded, the counts move, and a second
// device is told "already checked in" with the time. At 1280 and 390 px;
// screenshots land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

const SLUG = 'demo-conference';
const STAFF = { email: 'door@example.org', password: 'Door-staff-demo-pass' };
let srv, browser;
const tickets = {};

before(async () => {
  srv = await startServer();
  browser = await launch();
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--email', STAFF.email, '--name', 'Door staff', '--role', `checkin:${SLUG}`],
    { input: `${STAFF.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  for (const reg of [21, 22]) {
    tickets[reg] = execFileSync(BIN, ['conference', 'ticket', '--db', srv.db, '--conference', SLUG, '--registration', String(reg)],
      { encoding: 'utf8' }).trim();
  }
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function counts() {
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  return (await admin.get(`/api/v1/conferences/${SLUG}/checkins`)).json();
}

async function type(page, ticket) {
  const field = page.getByLabel('Ticket (scanner or typed)');
  await field.fill(ticket);
  await field.press('Enter'); // a USB scanner types the text and Enter
}

test('offline scans are verified in the page, kept, then uploaded when back online', async () => {
  const page = await loggedIn(browser, srv.base, STAFF, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${srv.base}/conferences/${SLUG}/checkin`);
  await page.waitForFunction((k) => localStorage.getItem(k) !== null, `lc-checkin:${SLUG}:bundle`);

  await page.context().setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
  await assert.doesNotReject(page.locator('#checkin-net.warn').waitFor());
  await type(page, tickets[21]);
  const result = page.locator('#checkin-result');
  await page.waitForFunction(() => /checked in/.test(document.getElementById('checkin-result').textContent));
  assert.match(await result.textContent(), /Registration 21: checked in/);
  assert.equal(await page.locator('#checkin-pending').textContent(), '1');
  // A ticket with one character changed: refused by the signature check, not kept.
  const altered = tickets[22].slice(0, 40) + (tickets[22][40] === 'A' ? 'B' : 'A') + tickets[22].slice(41);
  await type(page, altered);
  await page.waitForFunction(() => /Refused/.test(document.getElementById('checkin-result').textContent));
  assert.match(await result.textContent(), /Refused: (altered or forged|this is not a ticket)/);
  assert.equal(await page.locator('#checkin-pending').textContent(), '1');
  // The same badge again on this device: said so, and kept for the server to flag.
  await type(page, tickets[21]);
  await page.waitForFunction(() => /already scanned on this device/.test(document.getElementById('checkin-result').textContent));
  await type(page, tickets[22]);
  await page.waitForFunction(() => document.getElementById('checkin-pending').textContent === '3');
  await shot(page, 'checkin-offline-1280.png');
  assert.equal((await counts()).scans, 0, 'nothing reached the server while offline');

  await page.context().setOffline(false);
  await page.waitForFunction(() => document.getElementById('checkin-pending').textContent === '0');
  await page.waitForFunction(() => document.getElementById('count-scans').textContent === '3');
  assert.equal(await page.locator('#count-checked-in').textContent(), '2');
  assert.equal(await page.locator('#count-repeated').textContent(), '1');
  const c = await counts();
  assert.deepEqual([c.checked_in, c.scans, c.repeated], [2, 3, 1]);
  await shot(page, 'checkin-synced-1280.png');

  // A second device, online, at 390 px: the server says when the person came in.
  const phone = await loggedIn(browser, srv.base, STAFF, { viewport: { width: 390, height: 844 } });
  await phone.goto(`${srv.base}/conferences/${SLUG}/checkin`);
  await phone.waitForFunction((k) => localStorage.getItem(k) !== null, `lc-checkin:${SLUG}:bundle`);
  await type(phone, tickets[22]);
  await phone.waitForFunction(() => /already checked in at/.test(document.getElementById('checkin-result').textContent));
  assert.match(await phone.locator('#checkin-result').textContent(), /Registration 22: already checked in at/);
  await shot(phone, 'checkin-phone-390.png');
  assert.equal((await counts()).scans, 4);
});
