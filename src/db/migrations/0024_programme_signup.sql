-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0024: sign-up for the programme's sessions that have a capacity
-- (study visits, workshops), on the workflow engine (process
-- "session_signup", domain/conference/programme_signup.c).
--
-- A session with a capacity takes sign-ups from participants whose
-- conference registration is approved; a full session puts newcomers on its
-- waiting list, and a freed place is offered to the first on the list for as
-- long as the person's registration category holds offers (the same clock as
-- the registration's waiting list). A session without a capacity is open to
-- all and takes no sign-ups.

ALTER TABLE programme_sessions ADD COLUMN capacity INTEGER
	CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000);

CREATE TABLE programme_signups (
	item_id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	session_id INTEGER NOT NULL REFERENCES programme_sessions (id),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	-- 0 once the sign-up has ended (withdrawn, expired): the person may sign up again.
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	offer_until INTEGER,
	created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX programme_signups_one ON programme_signups (session_id, account_id)
	WHERE active = 1;
CREATE INDEX programme_signups_session ON programme_signups (session_id, active);
CREATE INDEX programme_signups_account ON programme_signups (account_id, active);
