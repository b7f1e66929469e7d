// SPDX-License-Identifier: AGPL-3.0-or-later
// E-mail in its reader's language, as the SMTP server receives it: a French
// account gets its invitation, its password reset and a workflow message in
// French (subject and both MIME parts), while an English account told of the
// same workflow step gets it in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { Client, DEMO, startSmtp, linkIn } from './client.mjs';

let srv, smtp;
const EMAIL = 'claire.dubois@example.org';
const PASSWORD = 'Un-mot-de-passe-assez-long-7';

before(async () => {
  smtp = await startSmtp();
  srv = await startServer(['--smtp', smtp.url, '--mail-from', 'learncity@example.org',
    '--outbox-interval', '1']);
});
after(async () => {
  const code = await srv?.stop();
  await smtp?.stop();
  assert.equal(code, 0, 'server exits cleanly on SIGTERM');
});

// The MIME shape every message has: a text and an HTML part, UTF-8 in
// quoted-printable, inside a multipart/alternative; a non-ASCII subject as
// RFC 2047 encoded words.
function assertMime(m, lang) {
  assert.ok(m.types.includes('multipart/alternative'), m.types.join(', '));
  assert.deepEqual(m.parts.map((p) => p.type.split(';')[0]), ['text/plain', 'text/html']);
  for (const p of m.parts) {
    assert.match(p.type, /charset=UTF-8/i);
    assert.equal(p.headers['content-transfer-encoding'], 'quoted-printable');
  }
  assert.match(m.headers['mime-version'] || '', /^1\.0/);
  if (/[^\x00-\x7f]/.test(m.subject)) assert.match(m.rawSubject, /^=\?UTF-8\?B\?/);
  assert.match(m.html, new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang}" dir="ltr">`));
}

test('a French account gets its invitation, reset and workflow e-mail in French', async () => {
  const admin = new Client(srv.base);
  await admin.login(DEMO.admin);
  let r = await admin.post('/admin/users/invite', {
    form: { email: EMAIL, name: 'Claire Dubois', language: 'fr', role_kind: 'coordinator', scope: 'cork' },
  });
  assert.equal(r.status, 303);

  // The invitation.
  const invite = await smtp.waitFor((m) => m.to.includes(EMAIL) && linkIn(m, '/invitations'));
  assertMime(invite, 'fr');
  assert.equal(invite.subject, 'Votre invitation à learncity');
  assert.match(invite.body, /^Bonjour Claire Dubois,\n\nVous êtes invité·e à ouvrir un compte sur learncity/);
  assert.match(invite.body, /le lien ne sert qu'une fois, pendant 7 jours/);
  const link = linkIn(invite, '/invitations');
  assert.ok(invite.html.includes(`<a href="http://`) && invite.html.includes(`/invitations?token=${link.token}">`),
    'the HTML part links to the same page: ' + invite.html);
  assert.match(invite.html, /<p>Bonjour Claire Dubois,<\/p>/);
  const person = new Client(srv.base);
  r = await person.post(link.path, { form: { token: link.token, name: 'Claire Dubois', password: PASSWORD, password2: PASSWORD } });
  assert.equal(r.status, 303);

  // The password reset.
  r = await new Client(srv.base).post('/password/forgot', { form: { email: EMAIL } });
  assert.equal(r.status, 200);
  const reset = await smtp.waitFor((m) => m.to.includes(EMAIL) && linkIn(m, '/password/reset'));
  assertMime(reset, 'fr');
  assert.equal(reset.subject, 'Réinitialiser votre mot de passe learncity');
  assert.match(reset.body, /Quelqu'un a demandé la réinitialisation du mot de passe/);
  assert.match(reset.html, /<a href="http:\/\/[^"]+\/password\/reset\?token=[A-Za-z0-9_-]+">/);

  // A workflow step on Cork, of which Claire is now a coordinator: the
  // secretariat suspends the membership with a reason.
  const reason = 'Rapport <en retard> & pièces manquantes';
  r = await admin.post('/api/v1/cities/cork/membership/transitions', { json: { to: 'suspended', reason } });
  assert.equal(r.status, 200, await r.text());
  const fr = await smtp.waitFor((m) => m.to.includes(EMAIL) && /Adhésion/.test(m.subject));
  assertMime(fr, 'fr');
  assert.equal(fr.subject, 'Adhésion de Cork : suspendu');
  assert.match(fr.body, /^Bonjour,\n\nAdhésion de Cork\n\nDe « membre » à « suspendu »\nPar : admin@example.org\nMotif : Rapport <en retard> & pièces manquantes/);
  assert.match(fr.body, /Voir \/memberships\/\d+ sur learncity\./);
  assert.ok(fr.html.includes('Motif : Rapport &lt;en retard&gt; &amp; pièces manquantes'), 'the reason is escaped in HTML');
  assert.ok(!/<a /.test(fr.html), 'nothing in it is a link');
  // The secretariat (English) hears of the same step in English.
  const en = await smtp.waitFor((m) => m.to.includes(DEMO.admin.email) && /Membership of Cork/.test(m.subject));
  assertMime(en, 'en');
  assert.equal(en.subject, 'Membership of Cork: suspended');
  assert.match(en.body, /^Hello,\n\nMembership of Cork\n\nFrom “member” to “suspended”\nBy: admin@example.org\nReason: Rapport <en retard>/);
});
