-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0018: signed tickets and their keys (domain/conference/ticket.c).
--
-- A conference signs its participants' tickets with an Ed25519 key of its
-- own. A key is known by a small number, its key id, that every ticket
-- carries, so a key can be rotated while the tickets it signed stay
-- verifiable: a retired key keeps its public half and loses its secret.
-- A registration (registrations.id, held here as a plain integer) has at
-- most one current ticket; a change of name or category or a cancellation
-- revokes it, and the revoked serials are the conference's revocation list.

CREATE TABLE checkin_keys (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- The number a ticket names its key by, 1, 2, ... per conference.
	key_id INTEGER NOT NULL CHECK (key_id BETWEEN 1 AND 65535),
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	-- The signing seed of the active key; erased (NULL) when the key retires.
	secret_seed BLOB CHECK (secret_seed IS NULL OR length(secret_seed) = 32),
	active INTEGER NOT NULL CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	retired_at INTEGER,
	CHECK (active = 1 OR (secret_seed IS NULL AND retired_at IS NOT NULL)),
	CHECK (active = 0 OR secret_seed IS NOT NULL),
	UNIQUE (conference_id, key_id)
) STRICT;
-- One signing key per conference at a time.
CREATE UNIQUE INDEX checkin_keys_active ON checkin_keys (conference_id) WHERE active = 1;

CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- registrations (id): the foreign key comes with registration.
	registration_id INTEGER NOT NULL CHECK (registration_id >= 1),
	-- What the QR code carries, 1, 2, ... per conference.
	serial INTEGER NOT NULL CHECK (serial >= 1),
	key_id INTEGER NOT NULL,
	-- The Ed25519 signature, kept so that the ticket can be printed again
	-- after its key has retired.
	signature BLOB NOT NULL CHECK (length(signature) = 64),
	issued_at INTEGER NOT NULL,
	revoked_at INTEGER,
	revoked_why TEXT CHECK (revoked_why IN ('changed', 'cancelled')),
	CHECK ((revoked_at IS NULL) = (revoked_why IS NULL)),
	UNIQUE (conference_id, serial),
	FOREIGN KEY (conference_id, key_id) REFERENCES checkin_keys (conference_id, key_id)
) STRICT;
-- A registration's current ticket is unique.
CREATE UNIQUE INDEX tickets_current ON tickets (conference_id, registration_id)
	WHERE revoked_at IS NULL;
-- The revocation list of a conference.
CREATE INDEX tickets_revoked ON tickets (conference_id, revoked_at) WHERE revoked_at IS NOT NULL;

-- Scans at the door. A scanning device sends each scan once or more (an
-- upload repeated after a lost answer): the nonce it drew for the scan makes
-- the repetition change nothing. A ticket scanned twice (two devices offline,
-- or the same person twice) keeps every scan; all but the first are flagged.
CREATE TABLE checkins (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- The scanning device's random number for this scan.
	nonce TEXT NOT NULL CHECK (length(nonce) BETWEEN 16 AND 64
		AND nonce NOT GLOB '*[^A-Za-z0-9_-]*'),
	registration_id INTEGER NOT NULL,
	serial INTEGER NOT NULL,
	device TEXT NOT NULL CHECK (length(device) BETWEEN 1 AND 64),
	-- When the device saw the ticket (its clock), and when the server heard of it.
	scanned_at INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	account_id INTEGER REFERENCES accounts (id),
	-- Not the first scan of this registration: shown to the organisers.
	repeated INTEGER NOT NULL CHECK (repeated IN (0, 1)),
	UNIQUE (conference_id, nonce)
) STRICT;
CREATE INDEX checkins_registration ON checkins (conference_id, registration_id, scanned_at);
CREATE TRIGGER checkins_no_update BEFORE UPDATE ON checkins
BEGIN
	SELECT raise(ABORT, 'checkins are append-only');
END;

-- Door staff of one conference: the role checkin:SLUG. SQLite cannot change
-- a CHECK constraint in place: the table is rebuilt with the same rows.
CREATE TABLE role_grants_new (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'natcom', 'jury', 'participant',
		'expert', 'checkin')),
	city_id INTEGER REFERENCES cities (id),
	country TEXT REFERENCES countries (alpha2),
	year INTEGER REFERENCES award_rounds (year),
	created_at INTEGER NOT NULL,
	conference_id INTEGER REFERENCES conference_events (id),
	CHECK ((role = 'coordinator') = (city_id IS NOT NULL)),
	CHECK ((role = 'natcom') = (country IS NOT NULL)),
	CHECK ((role = 'jury') = (year IS NOT NULL)),
	CHECK ((role = 'checkin') = (conference_id IS NOT NULL))
) STRICT;
INSERT INTO role_grants_new (id, account_id, role, city_id, country, year, created_at)
	SELECT id, account_id, role, city_id, country, year, created_at FROM role_grants;
DROP TABLE role_grants;
ALTER TABLE role_grants_new RENAME TO role_grants;
CREATE UNIQUE INDEX role_grants_unique
	ON role_grants (account_id, role, coalesce(city_id, 0), coalesce(country, ''), coalesce(year, 0),
		coalesce(conference_id, 0));
CREATE INDEX role_grants_city ON role_grants (city_id) WHERE city_id IS NOT NULL;
CREATE INDEX role_grants_role ON role_grants (role, country);

-- Letters for a registration: a visa invitation letter (requested with
-- passport details, reviewed and issued by the secretariat) and a
-- certificate of attendance (issued only to a person checked in). An issued
-- letter has a verification code that anyone may check at
-- /letters/verify/{code}, which shows what the letter says, nothing more.
CREATE TABLE letters (
	id INTEGER PRIMARY KEY,
	conference_id INTEGER NOT NULL REFERENCES conference_events (id),
	-- registrations (id): the foreign key comes with registration.
	registration_id INTEGER NOT NULL CHECK (registration_id >= 1),
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'certificate')),
	state TEXT NOT NULL CHECK (state IN ('requested', 'issued', 'refused')),
	-- {"name", "nationality", "passport_number", "passport_expiry", "birth_date",
	--  "organisation", "language"}: what the letter prints.
	details TEXT NOT NULL CHECK (json_valid(details) AND json_type(details, '$.name') = 'text'),
	-- 20 characters of base32: issued letters only.
	code TEXT UNIQUE CHECK (code IS NULL OR (length(code) = 20 AND code NOT GLOB '*[^A-Z2-7]*')),
	reason TEXT,
	requested_at INTEGER NOT NULL,
	decided_at INTEGER,
	CHECK ((state = 'issued') = (code IS NOT NULL)),
	CHECK (kind = 'invitation' OR state = 'issued')
) STRICT;
CREATE INDEX letters_registration ON letters (conference_id, registration_id);
CREATE INDEX letters_queue ON letters (conference_id, state, requested_at);
