-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0021: the weekly e-mail of what waits on a person (domain/home/digest.c).
--
-- A row per person who chose it; the clock sends one message a week, only
-- when something waits, in the person's language, and notes when.

CREATE TABLE account_digests (
	account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
	weekly INTEGER NOT NULL CHECK (weekly IN (0, 1)),
	-- When the clock last looked (sent or found nothing): the next look is a week later.
	last_at INTEGER,
	updated_at INTEGER NOT NULL
) STRICT;
