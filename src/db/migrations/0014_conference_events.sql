-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0014: a conference run in learncity (domain/conference/event.c).
--
-- conferences (0001) keeps the facts of the six ICLCs, by number. A
-- conference that registers its participants, prints badges and publishes a
-- programme here has a row in conference_events, found by its slug; it names
-- the ICLC it is when it is one. Registration, the programme and check-in
-- hang their tables on conference_events (id).

CREATE TABLE conference_events (
	id INTEGER PRIMARY KEY,
	-- The URL's name: /conferences/{slug}. Lower-case letters, digits, hyphens.
	slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 64
		AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*'),
	-- The ICLC this is, when it is one (its facts stay in conferences).
	number INTEGER UNIQUE REFERENCES conferences (number),
	-- {"en": ..., "fr": ...}: English is required, other languages optional.
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	-- ISO days, local to the venue; the conference's own time zone (IANA name)
	-- places its sessions and check-ins in time.
	start_date TEXT NOT NULL CHECK (date(start_date) = start_date),
	end_date TEXT NOT NULL CHECK (date(end_date) = end_date AND end_date >= start_date),
	timezone TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
	-- {"name": {"en": ...}, "address": text}
	venue TEXT NOT NULL CHECK (json_valid(venue) AND json_type(venue, '$.name.en') = 'text'),
	city_id INTEGER REFERENCES cities (id),
	-- The languages of the conference, ["en", "fr", ...]: forms, e-mails and
	-- interpretation offer these.
	languages TEXT NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'
		AND json_array_length(languages) >= 1),
	-- A demonstration: shown as such, never an official call.
	demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX conference_events_start ON conference_events (start_date);
