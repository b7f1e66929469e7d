// SPDX-License-Identifier: AGPL-3.0-or-later
// The programme in real Chromium (issue 15's browser evidence): the
// secretariat moves a session in the editor's day x room grid by drag and
// drop (the drop fills and submits the card's own form) and releases a
// version; a participant stars the session, downloads "my programme" as
// iCalendar and sees the move in the changelog. Screenshots of the
// programme and the grid at 1280 and 390 px land in tests/browser/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../http/server.mjs';
import { Client, DEMO } from '../http/client.mjs';
import { launch, shot, loggedIn } from './harness.mjs';

let srv, browser;
const P = '/conferences/demo-conference';

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('drag a session in the grid, release; a participant stars it, gets the ICS, reads the changelog', async () => {
  const api = new Client(srv.base);
  await api.login(DEMO.admin);
  const draft = await (await api.get(`/api/v1${P}/programme/draft`)).json();
  const moved = draft.sessions.find((s) => s.title.en === 'Skills for green jobs');
  const room = draft.rooms.find((r) => r.id !== moved.room && r.name.en === 'Room D');
  const day = moved.start.slice(0, 10);

  const org = await loggedIn(browser, srv.base, DEMO.admin);
  org.setDefaultTimeout(30000);
  await org.goto(`${srv.base}${P}/programme/edit?day=${day}`);
  await shot(org, 'programme-grid-1280.png');
  const target = org.locator(`td.slot[data-time="17:00"][data-room="${room.id}"]`);
  await target.scrollIntoViewIfNeeded();
  // The drag and drop events as Chromium sends them: dragstart on the card, then
  // dragover and drop on the cell, with one DataTransfer carrying the session.
  await Promise.all([
    org.waitForURL(/done=1/),
    org.evaluate(({ id, sel }) => {
      const dt = new DataTransfer();
      const card = document.getElementById(`s${id}`);
      const cell = document.querySelector(sel);
      const ev = (type) => new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true });
      card.dispatchEvent(ev('dragstart'));
      cell.dispatchEvent(ev('dragover'));
      cell.dispatchEvent(ev('drop'));
      card.dispatchEvent(ev('dragend'));
    }, { id: moved.id, sel: `td.slot[data-time="17:00"][data-room="${room.id}"]` }),
  ]);
  await org.waitForLoadState();
  await assert.doesNotReject(org.getByRole('status').filter({ hasText: 'Saved' }).waitFor());
  const after = (await (await api.get(`/api/v1${P}/programme/draft`)).json()).sessions.find((s) => s.id === moved.id);
  assert.equal(after.start, `${day}T17:00`);
  assert.equal(after.room, room.id);
  assert.equal(after.duration, moved.duration);
  // The card now sits in Room D's column at 17:00.
  assert.equal(await org.locator(`td.slot[data-time="17:00"][data-room="${room.id}"] #s${moved.id}`).count(), 1);
  await org.setViewportSize({ width: 390, height: 844 });
  await shot(org, 'programme-grid-390.png');
  await org.setViewportSize({ width: 1280, height: 900 });
  await org.getByLabel('Version name').fill('v3');
  await org.getByLabel('Note', { exact: true }).fill('Green jobs moves to Room D');
  await Promise.all([org.waitForURL(/\/changelog$/), org.getByRole('button', { name: 'Release a version' }).click()]);

  const part = await loggedIn(browser, srv.base, DEMO.participant, { acceptDownloads: true });
  await part.goto(`${srv.base}${P}/programme?lang=en`);
  await part.locator(`#s${moved.id}`).getByRole('button', { name: 'Star' }).click();
  await part.waitForURL(/\/programme/);
  assert.equal(await part.locator(`#s${moved.id}`).getByRole('button', { name: 'Unstar' }).count(), 1);
  await shot(part, 'programme-1280.png', false);
  await part.setViewportSize({ width: 390, height: 844 });
  await shot(part, 'programme-390.png', false);
  await part.setViewportSize({ width: 1280, height: 900 });
  await part.goto(`${srv.base}${P}/my-programme`);
  const [dl] = await Promise.all([part.waitForEvent('download'), part.getByRole('link', { name: 'iCalendar (.ics)' }).click()]);
  const ics = readFileSync(await dl.path(), 'utf8');
  assert.match(ics, new RegExp(`UID:session-${moved.id}-`));
  assert.equal((ics.match(/BEGIN:VEVENT/g) || []).length, 1);
  assert.match(ics, /SEQUENCE:1/);
  await part.goto(`${srv.base}${P}/changelog`);
  const log = part.locator('main');
  await assert.doesNotReject(log.getByText('Skills for green jobs').first().waitFor());
  assert.match(await log.innerText(), /Room D/);
  assert.match(await log.innerText(), /v3/);
  await shot(part, 'programme-changelog-1280.png');
});
