-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Workflows (domain/workflow.h): one row per case that moves through the
-- states of a process (a membership application, a progress report, a
-- city's membership), and its append-only history. The answers of a case
-- live in the process's own table, keyed by the item id.

CREATE TABLE wf_items (
	id INTEGER PRIMARY KEY,
	process TEXT NOT NULL CHECK (length(process) BETWEEN 1 AND 40),
	state TEXT NOT NULL CHECK (length(state) BETWEEN 1 AND 31),
	owner_id INTEGER REFERENCES accounts (id),
	city_id INTEGER REFERENCES cities (id),
	country TEXT REFERENCES countries (alpha2),
	year INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2999),
	created_at INTEGER NOT NULL,
	entered_at INTEGER NOT NULL,
	due_at INTEGER,
	next_remind_at INTEGER,
	reminders_sent INTEGER NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0)
) STRICT;
CREATE INDEX wf_items_process ON wf_items (process, state);
CREATE INDEX wf_items_due ON wf_items (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX wf_items_remind ON wf_items (next_remind_at) WHERE next_remind_at IS NOT NULL;
CREATE INDEX wf_items_country ON wf_items (process, country);
CREATE INDEX wf_items_owner ON wf_items (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX wf_items_city ON wf_items (city_id) WHERE city_id IS NOT NULL;

CREATE TABLE wf_history (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES wf_items (id),
	transition TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT NOT NULL,
	actor_id INTEGER REFERENCES accounts (id),
	actor_email TEXT NOT NULL,
	reason TEXT,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX wf_history_item ON wf_history (item_id, id);
CREATE TRIGGER wf_history_no_update BEFORE UPDATE ON wf_history
BEGIN
	SELECT RAISE(ABORT, 'wf_history is append-only');
END;
CREATE TRIGGER wf_history_no_delete BEFORE DELETE ON wf_history
BEGIN
	SELECT RAISE(ABORT, 'wf_history is append-only');
END;

-- A new role: a member of the expert jury that recommends on membership
-- applications (a standing panel, so no scope). SQLite cannot change a
-- CHECK constraint in place: the table is rebuilt with the same rows.
CREATE TABLE role_grants_new (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'natcom', 'jury', 'participant', 'expert')),
	city_id INTEGER REFERENCES cities (id),
	country TEXT REFERENCES countries (alpha2),
	year INTEGER REFERENCES award_rounds (year),
	created_at INTEGER NOT NULL,
	CHECK ((role = 'coordinator') = (city_id IS NOT NULL)),
	CHECK ((role = 'natcom') = (country IS NOT NULL)),
	CHECK ((role = 'jury') = (year IS NOT NULL))
) STRICT;
INSERT INTO role_grants_new SELECT id, account_id, role, city_id, country, year, created_at FROM role_grants;
DROP TABLE role_grants;
ALTER TABLE role_grants_new RENAME TO role_grants;
CREATE UNIQUE INDEX role_grants_unique
	ON role_grants (account_id, role, coalesce(city_id, 0), coalesce(country, ''), coalesce(year, 0));
CREATE INDEX role_grants_city ON role_grants (city_id) WHERE city_id IS NOT NULL;
CREATE INDEX role_grants_role ON role_grants (role, country);
