-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0016: registration for a conference run in learncity
-- (domain/conference/category.c, registration.c).
--
-- A conference (conference_events, 0014) has participant categories, each
-- with its form as data, its capacity, its window and its visibility. A
-- registration is a wf_items row of the process 'conference_registration'
-- (pending, approved, rejected, waitlisted, withdrawn, cancelled); its
-- person, category and answers are here, keyed by the item id. Tickets,
-- badges, letters and check-in reference a registration by that id.

CREATE TABLE conference_categories (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- The category in URLs and the API: "mayor", "press". Lower-case letters, digits, _.
	code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^a-z0-9_]*'),
	-- {"en": ..., "fr": ...}: English is required.
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	-- The form as data: {"sections": [{"id", "title", "fields": [...]}]},
	-- checked by domain/conference/category.c.
	form TEXT NOT NULL CHECK (json_valid(form) AND json_type(form, '$.sections') = 'array'),
	-- Places: approved registrations and places held by an offer never exceed it.
	capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
	-- Registration window, ISO days, inclusive, UTC.
	opens TEXT NOT NULL CHECK (date(opens) = opens),
	closes TEXT NOT NULL CHECK (date(closes) = closes AND closes >= opens),
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'invitation')),
	-- Moderated: a registration waits in pending for the organisers.
	moderated INTEGER NOT NULL CHECK (moderated IN (0, 1)),
	-- An edit after approval returns a moderated registration to pending.
	edit_repends INTEGER NOT NULL DEFAULT 1 CHECK (edit_repends IN (0, 1)),
	-- How long an offer from the waiting list holds its place.
	offer_hours INTEGER NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 1 AND 720),
	position INTEGER NOT NULL,
	UNIQUE (event_id, code)
) STRICT;

CREATE TABLE conference_registrations (
	item_id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	category_id INTEGER NOT NULL REFERENCES conference_categories (id),
	-- The person's e-mail at registration; one active registration per
	-- conference and address, compared case-insensitively (the index below).
	email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	-- The name as the person writes it (any script), and in Latin letters.
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	name_latin TEXT,
	-- The language of the person's e-mails.
	lang TEXT NOT NULL CHECK (length(lang) BETWEEN 2 AND 7),
	-- {"field id": value}, checked against the category's form.
	answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'object'),
	-- 1 while the registration holds or waits for a place (pending, approved,
	-- waitlisted); 0 once withdrawn, rejected or cancelled.
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	-- A waiting-list offer holds a place until this second (the item's deadline too).
	offer_until INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX conference_registrations_one ON conference_registrations
	(event_id, email COLLATE NOCASE) WHERE active = 1;
CREATE INDEX conference_registrations_category ON conference_registrations (category_id, active);
CREATE INDEX wf_items_conference_registration ON wf_items (state, entered_at)
	WHERE process = 'conference_registration';
