-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0011: e-mail in its reader's language (mail/mail.h).
--
-- outbox.kind: the kind of message ('invite', 'reset', 'wf_transition', ...;
--   NULL for a message queued as plain text), so that caps such as "at most
--   so many sign-up notices an hour" count messages whatever their language.
-- outbox.lang: the language the message is written in.
-- outbox.html: its HTML part; NULL for messages queued before this
--   migration or as plain text, whose HTML part is made from the text when
--   they are sent.
ALTER TABLE outbox ADD COLUMN kind TEXT CHECK (kind IS NULL OR length(kind) BETWEEN 1 AND 40);
ALTER TABLE outbox ADD COLUMN lang TEXT CHECK (lang IS NULL OR length(lang) BETWEEN 2 AND 8);
ALTER TABLE outbox ADD COLUMN html TEXT;
CREATE INDEX outbox_recent ON outbox (to_addr, kind, created_at);
