-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0017: a conference's programme (domain/conference/programme*.c).
--
-- The tables hold the work in progress that the secretariat edits: rooms,
-- session types, tracks, speakers and sessions of one conference_events row.
-- Releasing freezes the work in progress into programme_versions as one JSON
-- snapshot (the public sees only those); a session keeps its id across
-- releases, which gives its iCalendar UID, and each snapshot carries the
-- session's SEQUENCE. Favourites are a participant's starred sessions.

CREATE TABLE programme_rooms (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- {"en": ..., "fr": ...}: English required.
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
	accessible INTEGER NOT NULL DEFAULT 1 CHECK (accessible IN (0, 1)),
	floor TEXT NOT NULL DEFAULT '' CHECK (length(floor) <= 32),
	position INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX programme_rooms_event ON programme_rooms (event_id, position);

-- Session types (plenary, forum, parallel session, ...) and tracks (the KF
-- areas and the conference's themes) share one shape: a code and a name.
CREATE TABLE programme_labels (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	kind TEXT NOT NULL CHECK (kind IN ('type', 'track')),
	code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^a-z0-9-]*'),
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'),
	UNIQUE (event_id, kind, code)
) STRICT;

CREATE TABLE programme_speakers (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- The name in Latin letters (sorting, badges) and in the person's own script.
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	name_native TEXT NOT NULL DEFAULT '' CHECK (length(name_native) <= 200),
	title TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 200),
	organisation TEXT NOT NULL DEFAULT '' CHECK (length(organisation) <= 200),
	city TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 200),
	-- Where the programme's change notices go; never shown publicly.
	email TEXT CHECK (email IS NULL OR length(email) <= 254),
	lang TEXT NOT NULL DEFAULT 'en' CHECK (length(lang) BETWEEN 2 AND 8),
	bio TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(bio) AND json_type(bio) = 'object')
) STRICT;
CREATE INDEX programme_speakers_event ON programme_speakers (event_id, name);

CREATE TABLE programme_sessions (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	title TEXT NOT NULL CHECK (json_valid(title) AND json_type(title, '$.en') = 'text'),
	abstract TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(abstract) AND json_type(abstract) = 'object'),
	type_id INTEGER NOT NULL REFERENCES programme_labels (id),
	track_id INTEGER REFERENCES programme_labels (id),
	room_id INTEGER REFERENCES programme_rooms (id),
	-- Local to the conference's time zone: "YYYY-MM-DDTHH:MM".
	start TEXT NOT NULL CHECK (length(start) = 16 AND datetime(start || ':00') IS NOT NULL),
	duration INTEGER NOT NULL CHECK (duration BETWEEN 5 AND 720),
	-- Interpretation offered, ["en", "fr", ...].
	languages TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(languages) AND json_type(languages) = 'array'),
	chair_id INTEGER REFERENCES programme_speakers (id),
	cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
) STRICT;
CREATE INDEX programme_sessions_event ON programme_sessions (event_id, start);

CREATE TABLE programme_session_speakers (
	session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
	speaker_id INTEGER NOT NULL REFERENCES programme_speakers (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (session_id, speaker_id)
) STRICT;
CREATE INDEX programme_session_speakers_speaker ON programme_session_speakers (speaker_id);

CREATE TABLE programme_versions (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES conference_events (id),
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 32 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
	note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	-- The frozen programme (programme.h describes its shape).
	snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
	released_at INTEGER NOT NULL,
	released_by INTEGER REFERENCES accounts (id),
	UNIQUE (event_id, name)
) STRICT;
CREATE INDEX programme_versions_event ON programme_versions (event_id, id);
CREATE TRIGGER programme_versions_no_update BEFORE UPDATE ON programme_versions
BEGIN SELECT RAISE(ABORT, 'programme_versions is append-only'); END;
CREATE TRIGGER programme_versions_no_delete BEFORE DELETE ON programme_versions
BEGIN SELECT RAISE(ABORT, 'programme_versions is append-only'); END;

CREATE TABLE programme_favourites (
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, session_id)
) STRICT;
CREATE INDEX programme_favourites_session ON programme_favourites (session_id);
